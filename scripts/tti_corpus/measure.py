"""The corpus sweep: every page, light and heavy, by the probe in each browser and by Lighthouse.

One page at a time. A probe run is what a test does: a new context, the recorder installed,
a new page — left to settle for a second, as Lighthouse's tab has — the page opened, the
result read once the quiet window is whole. Besides TTI each run keeps FCP, DCL and where the
navigation's time went, so that a difference from Lighthouse can be traced to a phase.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from fixtures.tti.probe import (
    RecorderSettings,
    install_recorder,
    prepare_measured_page,
    read_snapshot,
    timeline_from_snapshot,
)
from fixtures.tti.timeline import TtiResult, compute_tti
from tti_corpus.apps import CorpusApp
from tti_corpus.lighthouse import run_lighthouse
from tti_corpus.server import CorpusServer
from tti_corpus.stats import LIGHTHOUSE, PROBES

# Lighthouse's `metrics` audit costs nothing more (the same trace) and gives its FCP and DCL.
CORPUS_AUDITS = ("interactive", "metrics")
_NAVIGATION_PHASES = (
    "fetchStart",
    "requestStart",
    "responseStart",
    "responseEnd",
    "domInteractive",
    "domContentLoadedEventEnd",
    "loadEventEnd",
)


@dataclass(frozen=True)
class ProbeLoad:
    """One load measured by the probe, and what `collect` read from the page before it closed."""

    result: TtiResult
    snapshot: dict[str, Any]
    wall_s: float
    collected: Any


def measure_load(
    browser: Browser,
    url: str,
    settings: RecorderSettings,
    collect: Callable[[Page], Any] = lambda page: None,
) -> ProbeLoad:
    """One first visit of `url` in a fresh context, as a test makes it, measured by the probe."""
    started = time.perf_counter()
    context = browser.new_context()
    try:
        install_recorder(context, settings)
        page = context.new_page()
        # As Lighthouse's tab, the page has settled before the navigation (docs/tti.md). The
        # wait is the benchmark's condition, not a cost of the probe: it is not in the wall time.
        settling = time.perf_counter()
        prepare_measured_page(page, url)
        settled_s = time.perf_counter() - settling
        page.goto(url)
        snapshot = read_snapshot(page, until_ms=settings.max_observation_ms)
        result = compute_tti(timeline_from_snapshot(snapshot), settings.quiet_window_ms)
        wall_s = time.perf_counter() - started - settled_s
        collected = collect(page)
    finally:
        context.close()
    return ProbeLoad(result, snapshot, wall_s, collected)


def _navigation_phases(page: Page) -> dict[str, float | None]:
    phases = page.evaluate(
        "phases => { const n = performance.getEntriesByType('navigation')[0];"
        " return Object.fromEntries(phases.map(p => [p, n ? n[p] : null])); }",
        list(_NAVIGATION_PHASES),
    )
    return {k: None if v is None else round(v, 1) for k, v in phases.items()}


def probe_once(browser: Browser, url: str, settings: RecorderSettings) -> dict[str, Any]:
    """One load of `url` by the probe: TTI, its companions and the navigation's phases."""
    load = measure_load(browser, url, settings, collect=_navigation_phases)
    result = load.result
    return {
        "tti_ms": result.tti_ms,
        "complete": result.complete,
        "fcp_ms": result.fcp_ms,
        "dcl_ms": result.dcl_ms,
        "tbt_ms": result.tbt_ms,
        "longest_task_ms": max((t.duration_ms for t in result.longest_tasks), default=0.0),
        "wall_s": round(load.wall_s, 2),
        "navigation_ms": load.collected,
    }


def lighthouse_once(lighthouse: Path, chrome_path: str, url: str) -> dict[str, Any]:
    """One Lighthouse run on `url`: TTI, and its observed FCP and DCL."""
    run = run_lighthouse(lighthouse, chrome_path, url, CORPUS_AUDITS)
    return {
        "tti_ms": run.numeric("interactive"),
        "complete": run.numeric("interactive") is not None,
        "fcp_ms": run.observed("observedFirstContentfulPaint"),
        "dcl_ms": run.observed("observedDomContentLoaded"),
        "wall_s": round(run.wall_s, 2),
        "error": run.error,
    }


def sweep(
    browsers: dict[str, Browser],
    server: CorpusServer,
    apps: Sequence[CorpusApp],
    states: Sequence[str],
    *,
    runs: int,
    settings: RecorderSettings,
    lighthouse: Path | None,
    chrome_path: str,
    report: Callable[[dict[str, Any]], None] = lambda row: None,
) -> list[dict[str, Any]]:
    """Every page × tool, `runs` times, one page at a time; one row per load."""
    rows: list[dict[str, Any]] = []
    for run in range(runs):
        for app in apps:
            for state in states:
                url = server.url(app.name, state)
                measured: list[tuple[str, dict[str, Any]]] = [
                    (PROBES[engine], probe_once(browser, url, settings))
                    for engine, browser in browsers.items()
                ]
                if lighthouse is not None:
                    measured.append((LIGHTHOUSE, lighthouse_once(lighthouse, chrome_path, url)))
                for tool, figures in measured:
                    row = {"app": app.name, "state": state, "tool": tool, "run": run, **figures}
                    rows.append(row)
                    report(row)
    return rows
