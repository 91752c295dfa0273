"""Measure how flaky the browser suite is: run it N times in random order and compare.

    python scripts/flake.py --runs 10 --json flake-results/summary.json
    python scripts/flake.py --runs 3 --json /tmp/flake.json -- -m chaos   # extra pytest args

Each run is `pytest e2e` in every project of playwright.config.json (Chromium and Firefox),
with two xdist workers, pytest-randomly re-enabled with a seed of its own (the suite's
addopts switch it off for ordinary runs) and no retries. Per-test outcomes are read from each
run's junitxml. The JSON written holds `runs`, `tests` (how many distinct test ids ran),
`flaky` (ids that both passed and failed), `always_failed` (ids that failed and never
passed), `flake_rate` (flaky ÷ tests), `per_test` (id → passes, failures) and `run_details`
(seed, exit code, wall time and counts of each run). The exit code is 0 only when no test
was flaky and none always failed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from junit_outcomes import FAILED, PASSED, SKIPPED, outcomes_by_test
from progress import Progress

ROOT = Path(__file__).resolve().parent.parent


def random_order_args(seed: int) -> list[str]:
    """pytest arguments that turn pytest-randomly back on with `seed`.

    pyproject's addopts hold `-p no:randomly`; a later `-p randomly` on the command line
    unblocks the plugin again, and `--randomly-seed` makes the order reproducible.
    """
    return ["-p", "randomly", f"--randomly-seed={seed}"]


def pytest_command(
    *,
    seed: int,
    junit: Path,
    output: Path,
    allure: Path,
    workers: int,
    extra: Sequence[str] = (),
) -> list[str]:
    """One measured run: the whole e2e suite, all projects, random order, no retries."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "e2e",
        "-n",
        str(workers),
        *random_order_args(seed),
        # A flake hidden by a retry would not be measured.
        "--reruns",
        "0",
        f"--junitxml={junit}",
        "--output",
        str(output),
        f"--alluredir={allure}",
        "-p",
        "no:cacheprovider",
        "-q",
        *extra,
    ]


def junit_test_id(classname: str, name: str) -> str:
    """A readable id for a junit test case: `e2e/test_chaos.py::test_x[desktop-chromium]`."""
    parts = classname.split(".")
    # pytest writes the module as a dotted path, then any class names; modules are lower case.
    module = [part for part in parts if not part[:1].isupper()]
    classes = parts[len(module) :]
    path = "/".join(module) + ".py"
    return "::".join([path, *classes, name])


def outcomes_from_junit(xml_text: str) -> dict[str, str]:
    """Outcome (passed / failed / skipped) of each test case in a junitxml document.

    An error (in set-up or teardown) counts as a failure: the test did not pass cleanly.
    """
    return outcomes_by_test(ElementTree.fromstring(xml_text).iter("testcase"), junit_test_id)


def summarise(runs: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """The flakiness figures over several runs' outcomes (each: test id → outcome)."""
    per_test: dict[str, dict[str, int]] = {}
    for outcomes in runs:
        for key, outcome in outcomes.items():
            tally = per_test.setdefault(key, {"passes": 0, "failures": 0})
            if outcome == PASSED:
                tally["passes"] += 1
            elif outcome == FAILED:
                tally["failures"] += 1
    flaky = sorted(key for key, t in per_test.items() if t["passes"] and t["failures"])
    always_failed = sorted(key for key, t in per_test.items() if t["failures"] and not t["passes"])
    return {
        "runs": len(runs),
        "tests": len(per_test),
        "flaky": flaky,
        "always_failed": always_failed,
        "flake_rate": len(flaky) / len(per_test) if per_test else 0.0,
        "per_test": dict(sorted(per_test.items())),
    }


@dataclass(frozen=True)
class RunDetail:
    """What one run did."""

    seed: int
    exit_code: int
    wall_s: float
    passed: int
    failed: int
    skipped: int

    @classmethod
    def of(cls, seed: int, exit_code: int, wall_s: float, outcomes: Mapping[str, str]) -> RunDetail:
        """The detail of a run from its outcomes."""
        counted = list(outcomes.values())
        return cls(
            seed=seed,
            exit_code=exit_code,
            wall_s=round(wall_s, 1),
            passed=counted.count(PASSED),
            failed=counted.count(FAILED),
            skipped=counted.count(SKIPPED),
        )


def run_once(
    index: int, *, seed: int, out: Path, workers: int, extra: Sequence[str]
) -> tuple[dict[str, str], RunDetail]:
    """Run the suite once and read its outcomes."""
    junit = out / f"run-{index:02d}.xml"
    command = pytest_command(
        seed=seed,
        junit=junit,
        output=out / f"output-{index:02d}",
        allure=out / f"allure-{index:02d}",
        workers=workers,
        extra=extra,
    )
    log = out / f"run-{index:02d}.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as log_file:
        exit_code = subprocess.call(command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    wall_s = time.monotonic() - started
    outcomes = outcomes_from_junit(junit.read_text(encoding="utf-8")) if junit.exists() else {}
    return outcomes, RunDetail.of(seed, exit_code, wall_s, outcomes)


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/flake.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, required=True, help="how many times to run the suite")
    parser.add_argument("--json", type=Path, required=True, help="where to write the summary")
    parser.add_argument("--workers", type=int, default=2, help="xdist workers per run (default 2)")
    parser.add_argument(
        "--seed", type=int, default=None, help="first run's seed (default: random); +1 per run"
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Iterable[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.json.resolve().parent / f"{args.json.stem}-runs"
    out.mkdir(parents=True, exist_ok=True)
    first_seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    runs: list[dict[str, str]] = []
    details: list[RunDetail] = []
    progress = Progress(total=args.runs)
    for index in range(args.runs):
        seed = first_seed + index
        progress.starting(f"run {index + 1} (seed {seed}) …")
        outcomes, detail = run_once(
            index, seed=seed, out=out, workers=args.workers, extra=args.pytest_args
        )
        runs.append(outcomes)
        details.append(detail)
        progress.finished(
            f"run {index + 1}: {detail.passed} passed, {detail.failed} failed, "
            f"{detail.skipped} skipped in {detail.wall_s:.0f} s (exit {detail.exit_code})"
        )
    summary = summarise(runs)
    summary["run_details"] = [vars(detail) for detail in details]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(
        f"{summary['tests']} tests over {summary['runs']} runs: {len(summary['flaky'])} flaky "
        f"(rate {summary['flake_rate']:.3f}), {len(summary['always_failed'])} always failed; "
        f"written to {args.json}"
    )
    return 0 if not summary["flaky"] and not summary["always_failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
