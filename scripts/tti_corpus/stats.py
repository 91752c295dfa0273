"""Figures of the corpus benchmark: per-page medians, probe − Lighthouse, run-to-run spread.

A run is one load of one page by one tool (`probe-chromium`, `probe-firefox`,
`lighthouse`). Per page and tool: the median TTI and the **spread, max − min over the runs**
(the range: with a handful of runs a quantile is no better defined, and the range is the
figure a budget has to live with). Per page and browser: the difference of the medians,
probe − Lighthouse. A page passes the per-page target when |difference| ≤ max(50 ms, 10% of
Lighthouse's median).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

LIGHTHOUSE = "lighthouse"
PROBES = {"chromium": "probe-chromium", "firefox": "probe-firefox"}
PAGE_TOLERANCE_MS = 50.0
PAGE_TOLERANCE_RELATIVE = 0.10


@dataclass(frozen=True)
class Run:
    app: str
    state: str
    tool: str
    run: int
    tti_ms: float | None
    complete: bool = True

    @property
    def page(self) -> str:
        return f"{self.app}/{self.state}"


def spread(values: Sequence[float]) -> float | None:
    """Run-to-run spread: max − min (None under two runs: nothing to spread)."""
    return max(values) - min(values) if len(values) >= 2 else None


def page_tolerance_ms(lighthouse_ms: float) -> float:
    """How far a page's probe median may be from Lighthouse's: max(50 ms, 10%)."""
    return max(PAGE_TOLERANCE_MS, PAGE_TOLERANCE_RELATIVE * lighthouse_ms)


def per_page(runs: Iterable[Run]) -> list[dict[str, Any]]:
    """One entry per page: each tool's runs, median and spread; each probe's difference."""
    by_page: dict[tuple[str, str], dict[str, list[Run]]] = {}
    for run in runs:
        by_page.setdefault((run.app, run.state), {}).setdefault(run.tool, []).append(run)
    pages = []
    for (app, state), tools in by_page.items():
        entry: dict[str, Any] = {"app": app, "state": state, "tools": {}}
        for tool, tool_runs in sorted(tools.items()):
            values = [r.tti_ms for r in tool_runs if r.tti_ms is not None]
            entry["tools"][tool] = {
                "runs": len(tool_runs),
                "values_ms": [None if r.tti_ms is None else round(r.tti_ms, 1) for r in tool_runs],
                "lower_bounds": sum(1 for r in tool_runs if not r.complete),
                "median_ms": round(statistics.median(values), 1) if values else None,
                "spread_ms": _round(spread(values)),
            }
        lighthouse = entry["tools"].get(LIGHTHOUSE, {}).get("median_ms")
        entry["difference_ms"] = {}
        entry["within_tolerance"] = {}
        for engine, tool in PROBES.items():
            probe = entry["tools"].get(tool, {}).get("median_ms")
            if probe is None or lighthouse is None:
                continue
            difference = probe - lighthouse
            entry["difference_ms"][engine] = round(difference, 1)
            entry["within_tolerance"][engine] = abs(difference) <= page_tolerance_ms(lighthouse)
        pages.append(entry)
    return pages


def summarise(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Medians over pages, for all pages and for each state, per browser and tool."""
    groups = {"all": list(pages)}
    for page in pages:
        groups.setdefault(page["state"], []).append(page)
    summary: dict[str, Any] = {}
    for group, members in groups.items():
        figures: dict[str, Any] = {"pages": len(members)}
        for engine, tool in PROBES.items():
            differences = [
                p["difference_ms"][engine] for p in members if engine in p["difference_ms"]
            ]
            if not differences:
                continue
            pairs = [
                (p["tools"][tool]["spread_ms"], p["tools"][LIGHTHOUSE]["spread_ms"])
                for p in members
                if tool in p["tools"]
                and LIGHTHOUSE in p["tools"]
                and p["tools"][tool]["spread_ms"] is not None
                and p["tools"][LIGHTHOUSE]["spread_ms"] is not None
            ]
            figures[engine] = {
                "median_difference_ms": round(statistics.median(differences), 1),
                "median_abs_difference_ms": round(
                    statistics.median(abs(d) for d in differences), 1
                ),
                "worst_abs_difference_ms": round(max(abs(d) for d in differences), 1),
                "pages_within_tolerance": sum(
                    1 for p in members if p["within_tolerance"].get(engine)
                ),
                "median_probe_spread_ms": (
                    round(statistics.median(s for s, _ in pairs), 1) if pairs else None
                ),
                "pages_probe_spread_at_most_lighthouse": sum(1 for s, lh in pairs if s <= lh),
            }
        lighthouse_spreads = [
            p["tools"][LIGHTHOUSE]["spread_ms"]
            for p in members
            if LIGHTHOUSE in p["tools"] and p["tools"][LIGHTHOUSE]["spread_ms"] is not None
        ]
        if lighthouse_spreads:
            figures["median_lighthouse_spread_ms"] = round(statistics.median(lighthouse_spreads), 1)
        summary[group] = figures
    return summary


def targets_met(summary: dict[str, Any]) -> dict[str, bool | None]:
    """The real-page targets of docs/tti.md against these figures (None: not measured)."""
    every = summary.get("all", {})
    met: dict[str, bool | None] = {}
    for engine, limit in (("chromium", 20.0), ("firefox", 50.0)):
        figures = every.get(engine)
        met[f"real pages, {engine}: median |probe - Lighthouse| <= {limit:.0f} ms"] = (
            None if figures is None else figures["median_abs_difference_ms"] <= limit
        )
        met[f"real pages, {engine}: median probe spread <= Lighthouse's"] = (
            None
            if figures is None
            or figures["median_probe_spread_ms"] is None
            or "median_lighthouse_spread_ms" not in every
            else figures["median_probe_spread_ms"] <= every["median_lighthouse_spread_ms"]
        )
    chromium = every.get("chromium")
    met["real pages, chromium: every page within max(50 ms, 10%)"] = (
        None if chromium is None else chromium["pages_within_tolerance"] == every["pages"]
    )
    return met


def markdown_table(pages: Sequence[dict[str, Any]]) -> str:
    """Per page: each tool's median (spread), and probe − Lighthouse per browser."""
    header = (
        "| page | Lighthouse | probe Chromium | − LH | probe Firefox | − LH |\n"
        "|---|---:|---:|---:|---:|---:|\n"
    )
    lines = []
    for page in pages:
        cells = [f"{page['app']} ({page['state']})", _cell(page, LIGHTHOUSE)]
        for engine, tool in PROBES.items():
            cells.append(_cell(page, tool))
            difference = page["difference_ms"].get(engine)
            cells.append("–" if difference is None else f"{difference:+.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    note = (
        "\nMedian TTI in ms over the runs, with the spread (max − min) in brackets; "
        "`>` marks a tool that returned a lower bound on some run; − LH is probe − Lighthouse "
        "of the medians.\n"
    )
    return header + "\n".join(lines) + "\n" + note


def _cell(page: dict[str, Any], tool: str) -> str:
    figures = page["tools"].get(tool)
    if figures is None or figures["median_ms"] is None:
        return "–"
    mark = ">" if figures["lower_bounds"] else ""
    if figures["spread_ms"] is None:
        return f"{mark}{figures['median_ms']:.0f}"
    return f"{mark}{figures['median_ms']:.0f} ({figures['spread_ms']:.0f})"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
