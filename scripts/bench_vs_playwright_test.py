"""What this suite's pytest-playwright integration costs beside Playwright Test.

    python scripts/bench_vs_playwright_test.py --tests 30 --rounds 3 --json bench-vs-pwt.json

The same trivial signed-in test (open the dashboard, see its heading), 30 times, one worker,
one embedded platform, the same system Chromium, viewport and saved login, run by
`@playwright/test` (scripts/bench_playwright_test/dashboard.spec.mjs, same Playwright version
as the Python package) and by this suite (test_signed_in_dashboard.py beside it, through the
suite's own fixtures). Each trace mode (`--trace`, default both `off` and `retain-on-failure`)
runs `--rounds` times, the two tools taking turns. A test's time is its own duration as each
tool reports it (Playwright Test's JSON reporter; pytest's setup + call + teardown), the
median over the tests of a run, so that the first test's browser launch does not weigh; for
pytest the setup, call and teardown medians are given apart, to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "scripts" / "bench_playwright_test"
sys.path.insert(0, str(ROOT))

from fixtures.accounts import new_user_profile, storage_state_for  # noqa: E402
from fixtures.api import PlatformApi  # noqa: E402
from fixtures.server import PlatformProcess  # noqa: E402
from fixtures.settings import CONFIG_FILE_NAME, read_config  # noqa: E402

TARGET_RATIO = 1.15


def median_ms(values: Sequence[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def median_per_test(runs: Sequence[dict[str, Any]], tool: str, trace: str) -> float:
    """The median over `tool`'s runs in `trace` mode of each run's median time a test."""
    return statistics.median(
        r["per_test_ms"] for r in runs if r["tool"] == tool and r["trace"] == trace
    )


def run_playwright_test(env: dict[str, str], scratch: Path, trace: str) -> dict[str, Any]:
    """One Playwright Test run; each test's duration from its JSON reporter."""
    report = scratch / f"pwt-{trace}.json"
    env = {**env, "BENCH_TRACE": trace, "BENCH_JSON_REPORT": str(report),
           "BENCH_OUTPUT_DIR": str(scratch / "pwt-output")}  # fmt: skip
    command = [str(ROOT / "node_modules" / ".bin" / "playwright"), "test", "--config",
               str(BENCH_DIR / "playwright.config.mjs")]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(
            f"Playwright Test failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    durations = [
        result_["duration"] / 1000
        for suite in _suites(json.loads(report.read_text(encoding="utf-8")))
        for spec in suite.get("specs", [])
        for test in spec["tests"]
        for result_ in test["results"]
    ]
    return {"tool": "playwright-test", "trace": trace, "wall_s": round(wall, 1),
            "tests": len(durations), "per_test_ms": median_ms(durations)}  # fmt: skip


def _suites(report: dict[str, Any]) -> list[dict[str, Any]]:
    found, todo = [], list(report["suites"])
    while todo:
        suite = todo.pop()
        found.append(suite)
        todo += suite.get("suites", [])
    return found


def run_pytest(env: dict[str, str], scratch: Path, trace: str, base_url: str) -> dict[str, Any]:
    """One pytest run of the same test through the suite's fixtures; phases from a plugin."""
    phases_file = scratch / f"pytest-{trace}.json"
    env = {**env, "BENCH_PHASES": str(phases_file),
           "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), env.get("PYTHONPATH", "")])}  # fmt: skip
    command = [
        sys.executable, "-m", "pytest", str(BENCH_DIR / "test_signed_in_dashboard.py"),
        "--project", "desktop-chromium", "--base-url", base_url, "--tracing", trace,
        "-p", "phase_timer", "-p", "no:cacheprovider", "-q", "--output", str(scratch / "py-output"),
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"pytest failed:\n{result.stdout[-3000:]}")
    phases = json.loads(phases_file.read_text(encoding="utf-8"))
    totals = [sum(phase.values()) for phase in phases.values()]
    return {
        "tool": "pytest", "trace": trace, "wall_s": round(wall, 1), "tests": len(totals),
        "per_test_ms": median_ms(totals),
        **{f"{when}_ms": median_ms([p.get(when, 0.0) for p in phases.values()])
           for when in ("setup", "call", "teardown")},
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--trace", nargs="+", default=["off", "retain-on-failure"])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    chromium = read_config(ROOT / CONFIG_FILE_NAME).browsers["chromium"]
    runs: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-vs-pwt-") as scratch_name,
        PlatformProcess() as platform,
    ):
        scratch = Path(scratch_name)
        user = new_user_profile(worker="bench")
        with PlatformApi(platform.url) as api:
            api.signup(user.email, user.password, user.display_name)
            api.login(user.email, user.password)
            state = scratch / "state.json"
            state.write_text(json.dumps(storage_state_for(api)), encoding="utf-8")
        env = {**os.environ, "BENCH_TESTS": str(args.tests), "BENCH_BASE_URL": platform.url,
               "BENCH_STORAGE_STATE": str(state), "BENCH_CHROMIUM_PATH": chromium.executable_path,
               "BENCH_CHROMIUM_ARGS": json.dumps(list(chromium.args))}  # fmt: skip
        for trace in args.trace:
            for _ in range(args.rounds):
                for run in (run_playwright_test(env, scratch, trace),
                            run_pytest(env, scratch, trace, platform.url)):  # fmt: skip
                    runs.append(run)
                    print(json.dumps(run), flush=True)
    summary: dict[str, Any] = {
        "tests": args.tests,
        "rounds": args.rounds,
        "modes": {},
        "runs": runs,
    }
    for trace in args.trace:
        pwt, ours = (median_per_test(runs, tool, trace) for tool in ("playwright-test", "pytest"))
        summary["modes"][trace] = {
            "playwright_test_ms": pwt,
            "pytest_ms": ours,
            "ratio": round(ours / pwt, 2),
        }
        print(f"trace {trace}: Playwright Test {pwt:.0f} ms a test, this suite {ours:.0f} ms: "
              f"{ours / pwt:.2f}x (target {TARGET_RATIO}x)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
