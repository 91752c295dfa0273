"""Benchmark the suite's reach on this machine: workers, saved logins and shards.

    python scripts/bench_parallel.py --json bench-parallel.json

Three parts (`--parts` picks some):
- `suite`: wall time of the whole browser suite (`pytest e2e`, every project) in one process,
  then with two xdist workers (`-n 2`), and the speed-up; each run's pass/fail counts. The
  serial run also records pytest-split durations, as the refresh of `.test_durations` does.
- `login`: time from a test's start to a signed-in dashboard, per browser: a new context
  from the saved storage state, open `/dashboard`, heading visible; against a new context
  that logs in through the form. One browser per engine stays up, as in a test session;
  the first round of each is a warm-up and is not counted. Median and p95 in ms.
- `shards`: the balance of `scripts/matrix.py --shards 2` — per browser, the slowest cell's
  wall time over the fastest (each cell is a machine of its own in CI). Runs the matrix,
  or reads a summary it already wrote (`--matrix-json`).

Every part records the load average before and after it, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matrix  # scripts/matrix.py, beside this file: its runner and result readers
from playwright.sync_api import Browser, expect, sync_playwright

from fixtures.accounts import Account, AccountPool
from fixtures.browsers import context_args_for, launch_args_for
from fixtures.server import PlatformProcess
from fixtures.settings import CONFIG_FILE_NAME, SuiteConfig, playwright_catalogue, read_config
from pages.dashboard import DashboardPage
from pages.login import LoginPage

PARTS = ("suite", "login", "shards")
LOGIN_TARGET_MS = 300
BALANCE_TARGET = 1.3


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [round(value, 2) for value in os.getloadavg()]


def measured(part: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run a part, noting the machine's load before and after it."""
    before = load_average()
    result = part()
    return {**result, "load_before": before, "load_after": load_average()}


# --- the whole suite, serial and with workers -----------------------------------------------


def run_suite(name: str, extra: Sequence[str], scratch: Path) -> dict[str, Any]:
    """One run of `pytest e2e` with its own output folders: wall time and outcomes."""
    junit = scratch / f"{name}.xml"
    command = [
        sys.executable, "-m", "pytest", "e2e", "-p", "no:cacheprovider", "-q", *extra,
        "--output", str(scratch / name / "test-results"),
        "--alluredir", str(scratch / name / "allure-results"),
        "--junitxml", str(junit),
    ]  # fmt: skip
    print(f"suite ({name}): {' '.join(command[2:])}", flush=True)
    exit_code, wall_s = matrix.run_logged(command, scratch / f"{name}.log")
    outcomes = matrix.read_junit(junit) if junit.exists() else {}
    counts = {key: list(outcomes.values()).count(key) for key in ("passed", "failed", "skipped")}
    print(f"suite ({name}): {counts} in {wall_s:.1f} s (exit {exit_code})", flush=True)
    return {"wall_s": round(wall_s, 1), "exit_code": exit_code, **counts}


def bench_suite(scratch: Path) -> dict[str, Any]:
    """Serial against two workers.

    The serial run is the one `.test_durations` is refreshed from, so it also stores its
    durations (in the scratch folder: copying them over `.test_durations` is a choice).
    """
    durations = scratch / "test_durations.json"
    store = ["--store-durations", "--clean-durations", "--durations-path", str(durations)]
    serial = measured(lambda: run_suite("serial", store, scratch))
    parallel = measured(lambda: run_suite("workers-2", ["-n", "2"], scratch))
    return {
        "serial": serial,
        "workers_2": parallel,
        "speedup": round(serial["wall_s"] / parallel["wall_s"], 2),
        "durations_path": str(durations),
    }


# --- time to a signed-in page ---------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` of 0.95 is the p95)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def describe(samples_ms: Sequence[float]) -> dict[str, Any]:
    """Median, p95, extremes and count of a set of timings in ms."""
    return {
        "median_ms": round(statistics.median(samples_ms), 1),
        "p95_ms": round(percentile(samples_ms, 0.95), 1),
        "min_ms": round(min(samples_ms), 1),
        "max_ms": round(max(samples_ms), 1),
        "n": len(samples_ms),
    }


def signed_in_from_saved_state(browser: Browser, context_args: dict, account: Account) -> float:
    """ms from a new context with the saved login to the dashboard's heading."""
    started = time.perf_counter()
    context = browser.new_context(**context_args, storage_state=account.storage_state)
    dashboard = DashboardPage(context.new_page())
    # Signed in is the dashboard's heading on screen; the load event (its scripts) is not
    # what a test waits for before its first step, since web-first assertions wait anyway.
    dashboard.page.goto(DashboardPage.path, wait_until="commit")
    expect(dashboard.main_heading).to_be_visible()
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    return elapsed


def signed_in_through_the_form(browser: Browser, context_args: dict, account: Account) -> float:
    """ms from a new context without a login, through the login form, to the dashboard."""
    started = time.perf_counter()
    context = browser.new_context(**context_args)
    login = LoginPage(context.new_page())
    login.page.goto(LoginPage.path, wait_until="commit")
    dashboard = login.log_in(email=account.email, password=account.password)
    expect(dashboard.main_heading).to_be_visible()
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    return elapsed


def bench_login(suite: SuiteConfig, iterations: int, scratch: Path) -> dict[str, Any]:
    """Saved login against the login form, per desktop project's browser."""
    platform = PlatformProcess(data_dir=scratch / "platform").start()
    pool = AccountPool(platform.url, scratch / "auth", "bench")
    catalogue = playwright_catalogue()
    results: dict[str, Any] = {}
    try:
        account = pool.get("standard")
        with sync_playwright() as playwright:
            for project in (p for p in suite.projects if not p.is_mobile):
                engine = project.browser
                launch = launch_args_for(
                    engine, suite, {}, own_browser_installed=catalogue.has_own_browser(engine),
                    remote=False,
                )  # fmt: skip
                browser = getattr(playwright, engine).launch(**launch)
                context_args = context_args_for(project, engine, {"base_url": platform.url})
                saved: list[float] = []
                form: list[float] = []
                # Alternated, so that a busy moment on a shared machine hits both alike.
                for round_number in range(iterations + 1):
                    saved_ms = signed_in_from_saved_state(browser, context_args, account)
                    form_ms = signed_in_through_the_form(browser, context_args, account)
                    if round_number > 0:
                        saved.append(saved_ms)
                        form.append(form_ms)
                browser.close()
                results[project.name] = {
                    "saved_state": describe(saved),
                    "login_form": describe(form),
                    "saved_state_under_target": statistics.median(saved) < LOGIN_TARGET_MS,
                }
                print(f"login ({project.name}): {results[project.name]}", flush=True)
    finally:
        pool.close()
        platform.stop()
    return {"target_ms": LOGIN_TARGET_MS, "browsers": results}


# --- shard balance --------------------------------------------------------------------------


def bench_shards(matrix_json: Path | None, scratch: Path) -> dict[str, Any]:
    """Balance of the two-shard matrix, from a summary given or from a fresh matrix run."""
    if matrix_json is None:
        matrix_json = scratch / "matrix.json"
        command = [sys.executable, str(ROOT / "scripts" / "matrix.py"), "--shards", "2"]
        print(f"shards: {' '.join(command[1:])}", flush=True)
        subprocess.run([*command, "--json", str(matrix_json)], cwd=ROOT, check=False)
    summary = json.loads(matrix_json.read_text(encoding="utf-8"))
    balance = matrix.shard_balance(summary["cells"])
    return {
        "cells": [
            {key: cell[key] for key in ("browser", "shard", "passed", "failed", "wall_s")}
            for cell in summary["cells"]
        ],
        "slowest_over_fastest_per_browser": balance,
        "target": BALANCE_TARGET,
        "within_target": all(ratio <= BALANCE_TARGET for ratio in balance.values()),
        "matrix_ok": summary.get("ok"),
        "matrix_json": str(matrix_json),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, required=True, help="where to write the figures")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--iterations", type=int, default=20, help="login rounds per browser")
    parser.add_argument(
        "--matrix-json", type=Path, help="a summary from scripts/matrix.py --shards 2 to reuse"
    )
    args = parser.parse_args(argv)

    suite = read_config(ROOT / CONFIG_FILE_NAME)
    scratch = Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_at_start": load_average()},
        "scratch": str(scratch),
    }
    if "login" in args.parts:
        figures["login"] = measured(lambda: bench_login(suite, args.iterations, scratch))
    if "suite" in args.parts:
        figures["suite"] = bench_suite(scratch)
    if "shards" in args.parts:
        figures["shards"] = measured(lambda: bench_shards(args.matrix_json, scratch))
    figures["machine"]["load_at_end"] = load_average()

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
