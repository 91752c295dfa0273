"""Benchmark the TTI probe against Lighthouse: the calibration pages and real pages.

    python scripts/bench_tti.py --json test-results/bench-tti.json --markdown bench-tti.md

For every calibration page (fixtures/tti/calibration/) this runs, in one process and one
page at a time: the probe in Chromium and in Firefox, then Lighthouse (the npm package
`lighthouse`, pinned in package.json, with CHROME_PATH set to the system Chromium). Each
page records its own true TTI, so every value is checked against the truth of its very load.
Then every page again in one pipelined pass per browser (fixtures/tti/pipeline.py), to show
its cost and that its values agree with one-at-a-time ones; and the recorder's own cost: the
same page loaded with and without it.

Then the real-page corpus (scripts/tti_corpus/: third-party apps' production builds, each
in a light and a heavy state, served on loopback): a smoke check that every page starts and
the heavy ones render their items, then every page `--corpus-runs` times by the probe in
each browser and by Lighthouse, one page at a time.

The JSON holds `pages` (per calibration page and browser: truth, probe and Lighthouse values,
wall time of each), `summary` (median / worst absolute error of the probe per browser,
Lighthouse's median error, Lighthouse's wall time per page over the probe's, the recorder's
overhead) and `corpus` (every load, per page each tool's median and spread, max − min, and
probe − Lighthouse, medians over pages); `--markdown` writes the corpus table.
`--only-overhead` measures the recorder's cost alone (`--overhead-samples` loads each way).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, Playwright, sync_playwright
from tti_corpus import stats as corpus_stats
from tti_corpus.apps import APPS_BY_NAME, CORPUS, STATES
from tti_corpus.lighthouse import run_lighthouse as lighthouse_on
from tti_corpus.measure import measure_load, sweep
from tti_corpus.packages import fetch as fetch_package
from tti_corpus.server import CorpusServer
from tti_corpus.smoke import smoke

from fixtures.browsers import launch_args_for
from fixtures.settings import CONFIG_FILE_NAME, SuiteConfig, read_config
from fixtures.tti.calibration import CALIBRATION_PAGES, CalibrationServer, truth_of
from fixtures.tti.overhead import measure_overhead
from fixtures.tti.pipeline import ScreenVisit, choose_depth_for_pass, measure_pipelined
from fixtures.tti.probe import (
    RecorderSettings,
)
from fixtures.tti.timeline import DEFAULT_QUIET_WINDOW_MS

BROWSERS = ("chromium", "firefox")
LIGHTHOUSE_BIN = REPO / "node_modules" / ".bin" / "lighthouse"
TRUTH_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ProbeRun:
    tti_ms: float
    complete: bool
    truth_ms: float
    wall_s: float
    method: str
    recorder_self_ms: float


@dataclass(frozen=True)
class LighthouseRun:
    tti_ms: float | None
    truth_ms: float | None
    wall_s: float
    error: str | None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--json", type=Path, help="where to write the results (required to measure)"
    )
    parser.add_argument(
        "--pages",
        default=",".join(p.name for p in CALIBRATION_PAGES),
        help="comma-separated calibration pages (default: all)",
    )
    parser.add_argument(
        "--browsers", default=",".join(BROWSERS), help="probe browsers (default: both)"
    )
    parser.add_argument(
        "--quiet-window-ms",
        type=float,
        default=DEFAULT_QUIET_WINDOW_MS,
        help="the probe's quiet window (the definition's 5000 unless said otherwise)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="one-at-a-time runs of every page (default 2)"
    )
    parser.add_argument(
        "--overhead-samples",
        type=int,
        default=20,
        help="loads per variant for the recorder's cost to a page load (default 20)",
    )
    parser.add_argument(
        "--observation-samples",
        type=int,
        default=4,
        help="loads per variant for its cost over a whole quiet window (default 4)",
    )
    parser.add_argument(
        "--calibration",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the calibration pages, the pipelined pass and the recorder's cost (default: on)",
    )
    parser.add_argument(
        "--only-overhead",
        action="store_true",
        help="only the recorder's cost (the blank page with and without it), no pages, no corpus",
    )
    parser.add_argument(
        "--corpus",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the real-page corpus, scripts/tti_corpus/ (default: on)",
    )
    parser.add_argument(
        "--corpus-runs", type=int, default=5, help="loads of every corpus page per tool (default 5)"
    )
    parser.add_argument(
        "--corpus-apps",
        default=",".join(app.name for app in CORPUS),
        help="comma-separated corpus apps (default: all)",
    )
    parser.add_argument(
        "--corpus-states", default=",".join(STATES), help="light, heavy or both (default)"
    )
    parser.add_argument(
        "--corpus-smoke",
        action="store_true",
        help="only check that every corpus page starts and the heavy ones render their items",
    )
    parser.add_argument(
        "--fetch-corpus",
        action="store_true",
        help="only fetch the corpus apps' builds (npm pack, integrity checked) and stop",
    )
    parser.add_argument("--markdown", type=Path, help="where to write the corpus table")
    parser.add_argument("--lighthouse", type=Path, default=LIGHTHOUSE_BIN, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def find_lighthouse(path: Path) -> Path:
    if not path.exists():
        sys.exit(
            f"Lighthouse is not installed at {path}: run `npm ci` in {REPO} "
            f"(bash scripts/setup.sh does it), which installs the version package.json pins"
        )
    return path


def launch(playwright: Playwright, engine: str, suite: SuiteConfig) -> Browser:
    own = Path(getattr(playwright, engine).executable_path).exists()
    args = launch_args_for(
        engine, suite, {"headless": True}, own_browser_installed=own, remote=False
    )
    return getattr(playwright, engine).launch(**args)


def run_probe(
    browser: Browser, server: CalibrationServer, page_name: str, settings: RecorderSettings
) -> ProbeRun:
    url = server.page_url(page_name, run=uuid.uuid4().hex)
    load = measure_load(browser, url, settings, collect=truth_of)
    return ProbeRun(
        tti_ms=load.result.tti_ms,
        complete=load.result.complete,
        truth_ms=load.collected["truthMs"],
        wall_s=load.wall_s,
        method=load.result.method,
        recorder_self_ms=load.snapshot["recorderSelfMs"],
    )


def run_lighthouse(
    lighthouse: Path, chrome_path: str, server: CalibrationServer, page_name: str
) -> LighthouseRun:
    run = f"lighthouse-{page_name}-{uuid.uuid4().hex[:8]}"
    measured = lighthouse_on(lighthouse, chrome_path, server.page_url(page_name, run, report=True))
    if measured.report is None:
        return LighthouseRun(None, None, measured.wall_s, measured.error)
    truth = server.truth(run, TRUTH_TIMEOUT_S)
    return LighthouseRun(
        tti_ms=measured.numeric("interactive"),
        truth_ms=truth["truthMs"] if truth else None,
        wall_s=measured.wall_s,
        error=measured.error,
    )


def warm_up(browser: Browser, url: str) -> None:
    """A first load pays the browser's start-up work; no page should be measured on it."""
    context = browser.new_context()
    try:
        context.new_page().goto(url)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    apps = [APPS_BY_NAME[name] for name in args.corpus_apps.split(",") if name]
    states = [state for state in args.corpus_states.split(",") if state]
    if args.fetch_corpus or (args.corpus and not args.only_overhead) or args.corpus_smoke:
        for app in apps:
            print(f"corpus: {app.package}@{app.version} in {fetch_package(app)}", flush=True)
        if args.fetch_corpus:
            return 0
    if args.json is None and not args.corpus_smoke:
        sys.exit("--json PATH: where to write the results")
    lighthouse = find_lighthouse(args.lighthouse)
    suite = read_config(REPO / CONFIG_FILE_NAME)
    chrome_path = suite.browsers["chromium"].executable_path
    page_names = [name for name in args.pages.split(",") if name]
    engines = [name for name in args.browsers.split(",") if name]
    settings = RecorderSettings(quiet_window_ms=args.quiet_window_ms)
    if args.quiet_window_ms != DEFAULT_QUIET_WINDOW_MS:
        print(f"note: quiet window of {args.quiet_window_ms:.0f} ms, not the definition's 5000")

    report: dict[str, Any] = {}
    versions: dict[str, str] = {}
    # Timing figures mean little on a machine that is busy with something else: say how busy.
    load_at_start = os.getloadavg()[0]
    with sync_playwright() as playwright:
        browsers = {engine: launch(playwright, engine, suite) for engine in engines}
        try:
            versions = {engine: browser.version for engine, browser in browsers.items()}
            if args.corpus_smoke:
                with CorpusServer() as server:
                    checks = corpus_smoke(browsers, server, apps, states)
                return 0 if all(check["ok"] for check in checks) else 1
            if args.only_overhead:
                report["recorder_overhead"] = run_overhead(args, browsers, settings)
            elif args.calibration:
                report.update(run_calibration(args, browsers, lighthouse, chrome_path, settings))
                report["calibration_pages"] = page_names
            if args.corpus and not args.only_overhead:
                report["corpus"] = run_corpus(
                    args, browsers, apps, states, lighthouse, chrome_path, settings
                )
        finally:
            for browser in browsers.values():
                browser.close()

    report["settings"] = {
        "quiet_window_ms": settings.quiet_window_ms,
        "heartbeat_delay_ms": settings.heartbeat_delay_ms,
        "lighthouse_flags": "--only-audits=interactive --throttling-method=provided "
        "--screenEmulation.disabled --form-factor=desktop",
        "corpus_runs": args.corpus_runs if args.corpus and not args.only_overhead else None,
    }
    report["environment"] = {
        "browsers": versions,
        "lighthouse": _lighthouse_version(lighthouse),
        "cpus": os.cpu_count(),
        "load_average_1min": {"start": load_at_start, "end": os.getloadavg()[0]},
        "python": platform.python_version(),
    }
    report["targets_met"] = {
        **(overhead_targets_met(report["recorder_overhead"]) if args.only_overhead else {}),
        **(targets_met(report) if args.calibration and not args.only_overhead else {}),
        **(corpus_stats.targets_met(report["corpus"]["summary"]) if "corpus" in report else {}),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.only_overhead:
        print_overhead(report["recorder_overhead"])
    elif args.calibration:
        print_summary(report)
    if "corpus" in report:
        table = corpus_stats.markdown_table(report["corpus"]["pages"])
        print()
        print(table)
        print_corpus_summary(report["corpus"]["summary"])
        if args.markdown:
            args.markdown.parent.mkdir(parents=True, exist_ok=True)
            args.markdown.write_text(table, encoding="utf-8")
    print()
    for target, met in report["targets_met"].items():
        print(f"{'met    ' if met else 'not met' if met is False else 'unknown'}  {target}")
    load = report["environment"]["load_average_1min"]
    print(
        f"load average (1 min) on {os.cpu_count()} CPUs: {load['start']:.1f} at the start, "
        f"{load['end']:.1f} at the end"
    )
    print(f"written to {args.json}")
    return 0


def run_overhead(
    args: argparse.Namespace, browsers: dict[str, Browser], settings: RecorderSettings
) -> dict[str, dict[str, Any]]:
    """The recorder's cost alone: the blank page with and without it, in every browser."""
    with CalibrationServer() as server:
        for browser in browsers.values():
            warm_up(browser, server.blank_url)
        return {
            engine: measure_overhead(
                browser,
                server,
                settings,
                load_samples=args.overhead_samples,
                observation_samples=args.observation_samples,
            )
            for engine, browser in browsers.items()
        }


def run_calibration(
    args: argparse.Namespace,
    browsers: dict[str, Browser],
    lighthouse: Path,
    chrome_path: str,
    settings: RecorderSettings,
) -> dict[str, Any]:
    """The calibration pages one at a time, then pipelined, then the recorder's cost."""
    page_names = [name for name in args.pages.split(",") if name]
    rows: list[dict[str, Any]] = []
    with CalibrationServer() as server:
        for browser in browsers.values():
            warm_up(browser, server.blank_url)
        for repeat in range(args.repeat):
            for page_name in page_names:
                chromium_row = None
                for engine, browser in browsers.items():
                    probe = run_probe(browser, server, page_name, settings)
                    row = _row(page_name, engine, repeat, probe)
                    rows.append(row)
                    chromium_row = row if engine == "chromium" else chromium_row
                    print(
                        f"  {page_name:30} {engine:9} probe {_fmt(probe.tti_ms)} "
                        f"truth {_fmt(probe.truth_ms)} wall {probe.wall_s:5.1f} s",
                        flush=True,
                    )
                lighthouse_run = run_lighthouse(lighthouse, chrome_path, server, page_name)
                if chromium_row is not None:
                    _attach_lighthouse(chromium_row, lighthouse_run)
                print(
                    f"  {page_name:30} lighthouse {_fmt(lighthouse_run.tti_ms)} "
                    f"truth {_fmt(lighthouse_run.truth_ms)} wall {lighthouse_run.wall_s:5.1f} s"
                    + (f" ({lighthouse_run.error})" if lighthouse_run.error else ""),
                    flush=True,
                )
        pipelined = {
            engine: run_pipelined(browser, server, page_names, settings, rows)
            for engine, browser in browsers.items()
        }
    overhead = run_overhead(args, browsers, settings)
    return {
        "pages": rows,
        "summary": summarise(rows, overhead),
        "recorder_overhead": overhead,
        "pipelined": pipelined,
    }


def corpus_smoke(
    browsers: dict[str, Browser],
    server: CorpusServer,
    apps: list[Any],
    states: list[str],
) -> list[dict[str, Any]]:
    """Every corpus page once per browser: it starts, and a heavy one renders its items."""
    checks = []
    for engine, browser in browsers.items():
        for app in apps:
            for state in states:
                result = smoke(browser, server, app, state)
                check = {"browser": engine, **vars(result), "ok": result.ok}
                checks.append(check)
                print(
                    f"  smoke {engine:9} {app.name:11} {state:5} {result.items:5} of "
                    f"{result.expected_items} items in {result.seconds:4.1f} s"
                    + (
                        ""
                        if result.ok
                        else f"  FAILED {result.failed_requests} {result.page_errors}"
                    ),
                    flush=True,
                )
    if server.unexpected:
        print(f"  smoke: the pages asked for what the corpus does not serve: {server.unexpected}")
    return checks


def run_corpus(
    args: argparse.Namespace,
    browsers: dict[str, Browser],
    apps: list[Any],
    states: list[str],
    lighthouse: Path,
    chrome_path: str,
    settings: RecorderSettings,
) -> dict[str, Any]:
    """The real pages: a smoke check, then `--corpus-runs` loads of each by every tool."""
    with CorpusServer() as server:
        for browser in browsers.values():
            warm_up(browser, server.url(apps[0].name, "light"))
        # One browser (Chromium, when it runs): the smoke check is about the pages, not the
        # browsers.
        smoke_engine = "chromium" if "chromium" in browsers else next(iter(browsers))
        checks = corpus_smoke({smoke_engine: browsers[smoke_engine]}, server, apps, states)
        rows = sweep(
            browsers,
            server,
            apps,
            states,
            runs=args.corpus_runs,
            settings=settings,
            lighthouse=lighthouse,
            chrome_path=chrome_path,
            report=_print_corpus_row,
        )
        unexpected = server.unexpected
    runs = [
        corpus_stats.Run(r["app"], r["state"], r["tool"], r["run"], r["tti_ms"], r["complete"])
        for r in rows
    ]
    pages = corpus_stats.per_page(runs)
    return {
        "apps": [
            {
                "name": app.name,
                "framework": app.framework,
                "package": f"{app.package}@{app.version}",
                "licence": app.licence,
                "heavy_items": app.heavy_items,
            }
            for app in apps
        ],
        "spread": "max - min over the runs",
        "smoke": checks,
        "unexpected_requests": unexpected,
        "loads": rows,
        "pages": pages,
        "summary": corpus_stats.summarise(pages),
    }


def _print_corpus_row(row: dict[str, Any]) -> None:
    extra = f" ({row['error']})" if row.get("error") else ""
    print(
        f"  run {row['run'] + 1} {row['app']:11} {row['state']:5} {row['tool']:15} "
        f"TTI {_fmt(row['tti_ms'])} FCP {_fmt(row['fcp_ms'])} DCL {_fmt(row['dcl_ms'])} "
        f"wall {row['wall_s']:5.1f} s{extra}",
        flush=True,
    )


def print_corpus_summary(summary: dict[str, Any]) -> None:
    for group, figures in summary.items():
        for engine in corpus_stats.PROBES:
            if engine not in figures:
                continue
            f = figures[engine]
            print(
                f"{group:5} pages, {engine:9}: probe - Lighthouse median "
                f"{f['median_difference_ms']:+.0f} ms, median |.| "
                f"{f['median_abs_difference_ms']:.0f} ms, "
                f"worst {f['worst_abs_difference_ms']:.0f} ms, "
                f"{f['pages_within_tolerance']}/{figures['pages']} within max(50 ms, 10%); "
                f"spread probe {_num(f['median_probe_spread_ms'], 0)} ms, "
                f"Lighthouse {_num(figures.get('median_lighthouse_spread_ms'), 0)} ms"
            )


def _row(page_name: str, engine: str, repeat: int, probe: ProbeRun) -> dict[str, Any]:
    return {
        "page": page_name,
        "browser": engine,
        "repeat": repeat,
        "truth_ms": round(probe.truth_ms, 1),
        "probe_ms": round(probe.tti_ms, 1),
        "probe_complete": probe.complete,
        "probe_method": probe.method,
        "lighthouse_ms": None,
        "lighthouse_truth_ms": None,
        "lighthouse_error": None,
        "probe_wall_s": round(probe.wall_s, 2),
        "lighthouse_wall_s": None,
        "recorder_self_ms": round(probe.recorder_self_ms, 2),
    }


def _attach_lighthouse(chromium_row: dict[str, Any], run: LighthouseRun) -> None:
    # Lighthouse drives Chrome only: its figures sit on the Chromium row of the page.
    chromium_row["lighthouse_ms"] = None if run.tti_ms is None else round(run.tti_ms, 1)
    chromium_row["lighthouse_truth_ms"] = None if run.truth_ms is None else round(run.truth_ms, 1)
    chromium_row["lighthouse_wall_s"] = round(run.wall_s, 2)
    chromium_row["lighthouse_error"] = run.error


def run_pipelined(
    browser: Browser,
    server: CalibrationServer,
    page_names: list[str],
    settings: RecorderSettings,
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    """Every page in one pipelined pass: its cost, and its values beside one-at-a-time ones."""
    engine = browser.browser_type.name
    visits = [
        ScreenVisit(name, server.page_url(name, run=uuid.uuid4().hex), collect=truth_of)
        for name in page_names
    ]
    # The depth the budget pass would choose here and now (fixtures/tti/depth.py).
    choice = choose_depth_for_pass(browser.new_context, visits, settings=settings)
    print(f"  pipelined pass, {engine}: {choice.reason}", flush=True)
    measurements, timing = measure_pipelined(
        browser.new_context, visits, settings=settings, depth=choice.depth
    )
    pages = []
    for measurement in measurements:
        alone = [
            r["probe_ms"]
            for r in rows
            if r["browser"] == engine and r["page"] == measurement.screen
        ]
        pages.append(
            {
                "page": measurement.screen,
                "truth_ms": round(measurement.collected["truthMs"], 1),
                "pipelined_ms": round(measurement.result.tti_ms, 1),
                "one_at_a_time_ms": round(statistics.median(alone), 1),
            }
        )
    print(
        f"  pipelined pass, {engine}: {timing.wall_s:.1f} s for a sum of TTIs of "
        f"{timing.sum_of_tti_s:.1f} s + one window",
        flush=True,
    )
    return {
        "depth": timing.depth,
        "depth_choice": choice.to_dict(),
        "wall_s": round(timing.wall_s, 2),
        "sum_of_tti_s": round(timing.sum_of_tti_s, 2),
        "quiet_window_s": timing.quiet_window_s,
        "ratio_to_sum_plus_window": round(timing.ratio_to_ideal, 2),
        "median_abs_error_ms": round(
            statistics.median(abs(p["pipelined_ms"] - p["truth_ms"]) for p in pages), 1
        ),
        "max_relative_difference_from_one_at_a_time": round(
            max(
                abs(p["pipelined_ms"] - p["one_at_a_time_ms"]) / p["one_at_a_time_ms"]
                for p in pages
            ),
            3,
        ),
        "pages": pages,
    }


def summarise(rows: list[dict[str, Any]], overhead: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The summary object, with exactly the keys the issue names."""
    probe_errors: dict[str, list[float]] = {}
    for row in rows:
        probe_errors.setdefault(row["browser"], []).append(abs(row["probe_ms"] - row["truth_ms"]))
    lighthouse_errors = [
        abs(row["lighthouse_ms"] - row["lighthouse_truth_ms"])
        for row in rows
        if row["lighthouse_ms"] is not None and row["lighthouse_truth_ms"] is not None
    ]
    lighthouse_walls = [row["lighthouse_wall_s"] for row in rows if row["lighthouse_wall_s"]]
    # Same engine, one page at a time: Lighthouse's Chrome against the probe in Chromium.
    probe_walls = [row["probe_wall_s"] for row in rows if row["browser"] == "chromium"]
    ratio = None
    if lighthouse_walls and probe_walls:
        ratio = statistics.mean(lighthouse_walls) / statistics.mean(probe_walls)
    return {
        "probe_median_abs_error_ms": {
            engine: round(statistics.median(errors), 1) for engine, errors in probe_errors.items()
        },
        "probe_max_abs_error_ms": {
            engine: round(max(errors), 1) for engine, errors in probe_errors.items()
        },
        "lighthouse_median_abs_error_ms": (
            round(statistics.median(lighthouse_errors), 1) if lighthouse_errors else None
        ),
        "wall_ratio_lighthouse_over_probe": None if ratio is None else round(ratio, 2),
        "recorder_overhead_ms": {
            engine: figures["overhead_ms"] for engine, figures in overhead.items()
        },
    }


def overhead_targets_met(overhead: dict[str, dict[str, Any]]) -> dict[str, bool | None]:
    """The recorder's cost against its target, per browser (None: not measured)."""
    return {
        f"{engine}: recorder overhead < 2 ms": (
            None if figures["overhead_ms"] is None else figures["overhead_ms"] < 2
        )
        for engine, figures in overhead.items()
    }


def targets_met(report: dict[str, Any]) -> dict[str, bool | None]:
    """Each target of the probe, against this run's figures (None: not measured)."""
    summary = report["summary"]
    lighthouse = summary["lighthouse_median_abs_error_ms"]
    met: dict[str, bool | None] = {}
    for engine, limit in (("chromium", 20.0), ("firefox", 50.0)):
        median = summary["probe_median_abs_error_ms"].get(engine)
        met[f"{engine}: median error <= {limit:.0f} ms"] = (
            None if median is None else median <= limit
        )
        met[f"{engine}: median error <= Lighthouse's + 10 ms"] = (
            None if median is None or lighthouse is None else median <= lighthouse + 10
        )
        overhead = summary["recorder_overhead_ms"].get(engine)
        met[f"{engine}: recorder overhead < 2 ms"] = None if overhead is None else overhead < 2
        passes = report["pipelined"].get(engine)
        met[f"{engine}: pipelined pass <= 1.5 x (sum of TTIs + window)"] = (
            None if passes is None else passes["ratio_to_sum_plus_window"] <= 1.5
        )
    ratio = summary["wall_ratio_lighthouse_over_probe"]
    met["Lighthouse wall time / probe wall time >= 3"] = None if ratio is None else ratio >= 3
    return met


def print_summary(report: dict[str, Any]) -> None:
    summary = report["summary"]
    print()
    print(
        f"{'page':30} {'browser':9} {'truth':>9} {'probe':>9} {'lighthouse':>11} "
        f"{'probe s':>8} {'LH s':>6}"
    )
    for row in report["pages"]:
        print(
            f"{row['page']:30} {row['browser']:9} {_fmt(row['truth_ms'])} "
            f"{_fmt(row['probe_ms'])} {_fmt(row['lighthouse_ms']):>11} "
            f"{row['probe_wall_s']:8.1f} "
            f"{row['lighthouse_wall_s'] if row['lighthouse_wall_s'] is not None else '-':>6}"
        )
    print()
    for engine, median in summary["probe_median_abs_error_ms"].items():
        print(
            f"probe error, {engine:9}: median {median:6.1f} ms, "
            f"worst {summary['probe_max_abs_error_ms'][engine]:6.1f} ms"
        )
    print(f"lighthouse error         : median {_num(summary['lighthouse_median_abs_error_ms'])} ms")
    print(
        f"wall time per page, Lighthouse / probe: {_num(summary['wall_ratio_lighthouse_over_probe'])}"
    )
    print_overhead(report["recorder_overhead"])
    for engine, figures in report["pipelined"].items():
        print(
            f"pipelined pass, {engine:9}: depth {figures['depth']}, {figures['wall_s']:.1f} s = "
            f"x{figures['ratio_to_sum_plus_window']:.2f} (sum of TTIs + one window); median error "
            f"{figures['median_abs_error_ms']:.1f} ms; largest difference from one at a time "
            f"{100 * figures['max_relative_difference_from_one_at_a_time']:.1f}%"
        )


def print_overhead(overhead: dict[str, dict[str, Any]]) -> None:
    for engine, figures in overhead.items():
        if "load" not in figures:
            print(f"recorder overhead, {engine:9}: {figures['method']}")
            continue
        load = figures["load"]
        print(
            f"recorder overhead, {engine:9}: {load['overhead_ms']:.2f} ms to a page load "
            f"({load['with_recorder_ms']:.2f} with, {load['without_recorder_ms']:.2f} without, "
            f"{load['samples_per_variant']} loads each; spread {load['spread_without_ms']:.2f} ms; "
            f"means {load['mean_overhead_ms']:+.2f} ± {load['mean_overhead_standard_error_ms']:.2f}), "
            f"{figures['observation']['overhead_ms']:.2f} ms over a whole quiet window"
        )


def _fmt(value: float | None) -> str:
    return f"{value:7.0f} ms" if value is not None else "       - "


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _lighthouse_version(lighthouse: Path) -> str:
    completed = subprocess.run(
        [str(lighthouse), "--version"], capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
