"""Benchmark the TTI probe against Lighthouse on the calibration pages, side by side.

    python scripts/bench_tti.py --json test-results/bench-tti.json

For every calibration page (fixtures/tti/calibration/) this runs, in one process and one
page at a time: the probe in Chromium and in Firefox, then Lighthouse (the npm package
`lighthouse`, pinned in package.json, with CHROME_PATH set to the system Chromium). Each
page records its own true TTI, so every value is checked against the truth of its very load.
Then every page again in one pipelined pass per browser (fixtures/tti/pipeline.py), to show
its cost and that its values agree with one-at-a-time ones; and the recorder's own cost: the
same page loaded with and without it.

The JSON holds `pages` (per page and browser: truth, probe and Lighthouse values, wall time
of each) and `summary` (median / worst absolute error of the probe per browser, Lighthouse's
median error, Lighthouse's wall time per page over the probe's, the recorder's overhead).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, Playwright, sync_playwright

from fixtures.browsers import launch_args_for
from fixtures.settings import CONFIG_FILE_NAME, SuiteConfig, read_config
from fixtures.tti.calibration import CALIBRATION_PAGES, CalibrationServer, truth_of
from fixtures.tti.overhead import measure_overhead
from fixtures.tti.pipeline import ScreenVisit, measure_pipelined
from fixtures.tti.probe import (
    RecorderSettings,
    install_recorder,
    read_snapshot,
    timeline_from_snapshot,
)
from fixtures.tti.timeline import DEFAULT_QUIET_WINDOW_MS, compute_tti

BROWSERS = ("chromium", "firefox")
LIGHTHOUSE_BIN = REPO / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's own Chrome gets the same closed-network flags as the suite's Chromium.
LIGHTHOUSE_CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
)
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
    parser.add_argument("--json", required=True, type=Path, help="where to write the results")
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
    started = time.perf_counter()
    context = browser.new_context()
    try:
        install_recorder(context, settings)
        page = context.new_page()
        page.goto(server.page_url(page_name, run=uuid.uuid4().hex))
        snapshot = read_snapshot(page, until_ms=settings.max_observation_ms)
        result = compute_tti(timeline_from_snapshot(snapshot), settings.quiet_window_ms)
        wall_s = time.perf_counter() - started
        truth = truth_of(page)
    finally:
        context.close()
    return ProbeRun(
        tti_ms=result.tti_ms,
        complete=result.complete,
        truth_ms=truth["truthMs"],
        wall_s=wall_s,
        method=result.method,
        recorder_self_ms=snapshot["recorderSelfMs"],
    )


def run_lighthouse(
    lighthouse: Path, chrome_path: str, server: CalibrationServer, page_name: str
) -> LighthouseRun:
    run = f"lighthouse-{page_name}-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="bench-tti-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [
            str(lighthouse),
            server.page_url(page_name, run, report=True),
            "--output=json",
            f"--output-path={report_path}",
            # Only the audit compared here, so Lighthouse spends no time on the others.
            "--only-audits=interactive",
            "--throttling-method=provided",
            "--screenEmulation.disabled",
            "--form-factor=desktop",
            "--quiet",
            f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
        ]
        started = time.perf_counter()
        completed = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chrome_path},
            capture_output=True,
            text=True,
            check=False,
        )
        wall_s = time.perf_counter() - started
        if completed.returncode != 0 or not report_path.exists():
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
            return LighthouseRun(None, None, wall_s, f"exit {completed.returncode}: {tail}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
    audit = report["audits"]["interactive"]
    truth = server.truth(run, TRUTH_TIMEOUT_S)
    return LighthouseRun(
        tti_ms=audit.get("numericValue"),
        truth_ms=truth["truthMs"] if truth else None,
        wall_s=wall_s,
        error=audit.get("errorMessage") or report.get("runtimeError", {}).get("message"),
    )


def warm_up(browser: Browser, server: CalibrationServer) -> None:
    """A first load pays the browser's start-up work; no page should be measured on it."""
    context = browser.new_context()
    try:
        context.new_page().goto(server.blank_url)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    lighthouse = find_lighthouse(args.lighthouse)
    suite = read_config(REPO / CONFIG_FILE_NAME)
    chrome_path = suite.browsers["chromium"].executable_path
    page_names = [name for name in args.pages.split(",") if name]
    engines = [name for name in args.browsers.split(",") if name]
    settings = RecorderSettings(quiet_window_ms=args.quiet_window_ms)
    if args.quiet_window_ms != DEFAULT_QUIET_WINDOW_MS:
        print(f"note: quiet window of {args.quiet_window_ms:.0f} ms, not the definition's 5000")

    rows: list[dict[str, Any]] = []
    versions: dict[str, str] = {}
    # Timing figures mean little on a machine that is busy with something else: say how busy.
    load_at_start = os.getloadavg()[0]
    with CalibrationServer() as server, sync_playwright() as playwright:
        browsers = {engine: launch(playwright, engine, suite) for engine in engines}
        try:
            for engine, browser in browsers.items():
                versions[engine] = browser.version
                warm_up(browser, server)
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
            overhead = {
                engine: measure_overhead(
                    browser,
                    server,
                    settings,
                    load_samples=args.overhead_samples,
                    observation_samples=args.observation_samples,
                )
                for engine, browser in browsers.items()
            }
        finally:
            for browser in browsers.values():
                browser.close()

    report = {
        "settings": {
            "quiet_window_ms": settings.quiet_window_ms,
            "heartbeat_delay_ms": settings.heartbeat_delay_ms,
            "lighthouse_flags": "--only-audits=interactive --throttling-method=provided "
            "--screenEmulation.disabled --form-factor=desktop",
        },
        "environment": {
            "browsers": versions,
            "lighthouse": _lighthouse_version(lighthouse),
            "cpus": os.cpu_count(),
            "load_average_1min": {"start": load_at_start, "end": os.getloadavg()[0]},
            "python": platform.python_version(),
        },
        "pages": rows,
        "summary": summarise(rows, overhead),
        "recorder_overhead": overhead,
        "pipelined": pipelined,
    }
    report["targets_met"] = targets_met(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_summary(report)
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
    measurements, timing = measure_pipelined(browser.new_context, visits, settings=settings)
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
    for engine, figures in report["recorder_overhead"].items():
        if "load" not in figures:
            print(f"recorder overhead, {engine:9}: {figures['method']}")
            continue
        print(
            f"recorder overhead, {engine:9}: {figures['load']['overhead_ms']:.2f} ms to a page "
            f"load (spread {figures['load']['spread_without_ms']:.2f} ms), "
            f"{figures['observation']['overhead_ms']:.2f} ms over a whole quiet window"
        )
    for engine, figures in report["pipelined"].items():
        print(
            f"pipelined pass, {engine:9}: {figures['wall_s']:.1f} s = "
            f"x{figures['ratio_to_sum_plus_window']:.2f} (sum of TTIs + one window); median error "
            f"{figures['median_abs_error_ms']:.1f} ms; largest difference from one at a time "
            f"{100 * figures['max_relative_difference_from_one_at_a_time']:.1f}%"
        )


def _fmt(value: float | None) -> str:
    return f"{value:7.0f} ms" if value is not None else "       - "


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _lighthouse_version(lighthouse: Path) -> str:
    completed = subprocess.run(
        [str(lighthouse), "--version"], capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
