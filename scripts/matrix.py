"""Run the CI matrix on this machine, cell by cell, as `.github/workflows/e2e.yml` would.

    python scripts/matrix.py --shards 2 --json matrix-results/summary.json

Every browser × shard cell runs as its own `pytest` process with the command the workflow
runs (pytest-split's least-duration groups over `.test_durations`, xdist workers inside),
each writing into folders of its own under `--out`. Then the cells' Allure results are merged
into one report with the workflow's `allure generate` command, and a JSON summary is written:
`cells` (browser, shard, passed, failed, skipped, wall_s, exit_code, allure_tests),
`distinct_tests`, `unsharded_tests`, `duplicates`, `missing`, `unexpected`, `report_tests`,
`report_path`, `ok`. The run fails unless every cell is green and the shards' union is
exactly the unsharded collection, once each, and the report holds every test.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from junit_outcomes import FAILED, PASSED, SKIPPED, outcomes_by_test
from progress import Progress

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "firefox")
DEFAULT_OUT = "matrix-results"
# pytest's exit codes that still mean every selected test passed (5: nothing was selected).
GREEN_EXIT_CODES = (0, 5)


# --- the commands the workflow runs too ------------------------------------------------------


def cell_name(browser: str, shard: int) -> str:
    """The name of a cell's folders and artifacts, e.g. `firefox-2`."""
    return f"{browser}-{shard}"


def cell_command(
    browser: str, *, shards: int, shard: int, out: str = DEFAULT_OUT, workers: str = "auto"
) -> list[str]:
    """The pytest command of one matrix cell, as the workflow writes it."""
    name = cell_name(browser, shard)
    return [
        "pytest", "e2e", "--browser", browser,
        "--splits", str(shards), "--group", str(shard),
        "--splitting-algorithm", "least_duration",
        "-n", workers,
        "--alluredir", f"{out}/allure-results/{name}",
        "--output", f"{out}/test-results/{name}",
        "--junitxml", f"{out}/junit/{name}.xml",
    ]  # fmt: skip


def collect_command(browser: str) -> list[str]:
    """The unsharded collection of one browser's projects."""
    return ["pytest", "e2e", "--browser", browser, "--collect-only", "-q"]


def merge_command(out: str = DEFAULT_OUT) -> list[str]:
    """Allure's merge of every cell's results into one report (the glob is the shell's)."""
    return ["npx", "allure", "generate", f"{out}/allure-results/*", "-o", f"{out}/allure-report"]


# --- reading what the cells left ------------------------------------------------------------


def parse_collection(output: str) -> list[str]:
    """The test ids `pytest --collect-only -q` printed, in order.

    They come first, one a line, up to the first blank line; what follows (warnings, the
    count) may mention test ids too and is not read.
    """
    ids = []
    for line in output.splitlines():
        if not line.strip():
            if ids:
                break
            continue
        if "::" in line:
            ids.append(line.strip())
    return ids


def junit_address(test_id: str) -> tuple[str, str]:
    """The (classname, name) pytest's junitxml writes for `test_id`.

    pytest turns `e2e/test_x.py::Class::test_y[p]` into `e2e.test_x.Class` and `test_y[p]`;
    kept in step with `_pytest.junitxml.mangle_test_address` so ids can be found again.
    """
    path, bracket, params = test_id.partition("[")
    names = path.split("::")
    names[0] = re.sub(r"\.py$", "", names[0].replace("/", "."))
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


def read_junit(path: Path, known_ids: Iterable[str] = ()) -> dict[str, str]:
    """Outcome (passed / failed / skipped) per test id in a junitxml file.

    `known_ids` turn junit's (classname, name) back into test ids; an address none of them
    makes is kept as `classname::name`, so it still shows up as unexpected.
    """
    by_address = {junit_address(test_id): test_id for test_id in known_ids}
    return outcomes_by_test(
        ElementTree.parse(path).getroot().iter("testcase"),
        lambda classname, name: by_address.get((classname, name), f"{classname}::{name}"),
    )


def allure_test_count(results_dir: Path) -> int:
    """How many distinct tests a folder of Allure results holds (retries count once)."""
    history_ids = set()
    for result_file in results_dir.glob("*-result.json"):
        result = json.loads(result_file.read_text(encoding="utf-8"))
        history_ids.add(result.get("historyId") or result.get("fullName") or result_file.name)
    return len(history_ids)


def report_test_count(report_dir: Path) -> int | None:
    """How many tests a generated Allure 3 report shows, or None when there is no report."""
    summary = report_dir / "summary.json"
    if not summary.exists():
        return None
    return int(json.loads(summary.read_text(encoding="utf-8"))["stats"]["total"])


# --- the summary ----------------------------------------------------------------------------


@dataclass
class CellResult:
    """What one browser × shard cell ran and how it went."""

    browser: str
    shard: int
    outcomes: dict[str, str]
    wall_s: float
    exit_code: int
    allure_tests: int = 0

    def counts(self) -> dict[str, int]:
        """How many tests passed, failed and were skipped."""
        tally = Counter(self.outcomes.values())
        return {outcome: tally.get(outcome, 0) for outcome in (PASSED, FAILED, SKIPPED)}

    @property
    def green(self) -> bool:
        """Whether the cell's process succeeded and none of its tests failed."""
        return self.exit_code in GREEN_EXIT_CODES and self.counts()[FAILED] == 0


@dataclass
class MatrixSummary:
    """The matrix's outcome: per cell, and the shards' union against the unsharded run."""

    cells: list[dict[str, Any]]
    distinct_tests: int
    unsharded_tests: int
    duplicates: list[str]
    missing: list[str]
    unexpected: list[str]
    report_tests: int | None
    report_path: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every check held."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The summary as written to `--json`."""
        return {**asdict(self), "ok": self.ok}


def summarise(
    cells: Sequence[CellResult],
    unsharded: Iterable[str],
    *,
    report_tests: int | None,
    report_path: str,
) -> MatrixSummary:
    """Compare what the cells ran with the unsharded collection and the merged report."""
    unsharded_ids = set(unsharded)
    seen_in = Counter(test_id for cell in cells for test_id in cell.outcomes)
    ran = set(seen_in)
    summary = MatrixSummary(
        cells=[
            {
                "browser": cell.browser,
                "shard": cell.shard,
                **cell.counts(),
                "wall_s": round(cell.wall_s, 2),
                "exit_code": cell.exit_code,
                "allure_tests": cell.allure_tests,
            }
            for cell in cells
        ],
        distinct_tests=len(ran),
        unsharded_tests=len(unsharded_ids),
        duplicates=sorted(test_id for test_id, times in seen_in.items() if times > 1),
        missing=sorted(unsharded_ids - ran),
        unexpected=sorted(ran - unsharded_ids),
        report_tests=report_tests,
        report_path=report_path,
    )
    summary.problems = _problems(cells, summary)
    return summary


def _problems(cells: Sequence[CellResult], summary: MatrixSummary) -> list[str]:
    problems = [
        f"cell {cell_name(cell.browser, cell.shard)}: exit code {cell.exit_code}, "
        f"{cell.counts()[FAILED]} failed"
        for cell in cells
        if not cell.green
    ]
    problems += [
        f"cell {cell_name(cell.browser, cell.shard)}: {cell.allure_tests} tests in its Allure "
        f"results for {len(cell.outcomes)} run"
        for cell in cells
        if cell.allure_tests != len(cell.outcomes)
    ]
    if summary.duplicates:
        problems.append(f"{len(summary.duplicates)} tests ran in more than one cell")
    if summary.missing:
        problems.append(f"{len(summary.missing)} collected tests ran in no cell")
    if summary.unexpected:
        problems.append(f"{len(summary.unexpected)} tests ran that the collection does not hold")
    if summary.report_tests is None:
        problems.append(f"no merged report at {summary.report_path}")
    elif summary.report_tests != summary.distinct_tests:
        problems.append(
            f"the merged report holds {summary.report_tests} tests, the cells ran "
            f"{summary.distinct_tests}"
        )
    return problems


def shard_balance(cells: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Slowest ÷ fastest cell wall time among each browser's shards."""
    by_browser: dict[str, list[float]] = {}
    for cell in cells:
        by_browser.setdefault(cell["browser"], []).append(float(cell["wall_s"]))
    return {
        browser: round(max(walls) / min(walls), 3)
        for browser, walls in by_browser.items()
        if min(walls) > 0
    }


# --- running --------------------------------------------------------------------------------


def run_logged(command: Sequence[str], log_path: Path) -> tuple[int, float]:
    """Run `command` at the repository root with its output in `log_path`: (exit code, s)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        exit_code = subprocess.call(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return exit_code, time.monotonic() - started


def python_command(command: Sequence[str]) -> list[str]:
    """`pytest ...` run by this interpreter, so the cells use the same environment."""
    if command[0] == "pytest":
        return [sys.executable, "-m", *command]
    return list(command)


def collect(browser: str, logs: Path) -> list[str]:
    """The ids an unsharded run of `browser` collects."""
    log_path = logs / f"collect-{browser}.log"
    exit_code, _ = run_logged(python_command(collect_command(browser)), log_path)
    output = log_path.read_text(encoding="utf-8")
    if exit_code != 0:
        raise SystemExit(f"collecting {browser} failed ({exit_code}):\n{output[-3000:]}")
    return parse_collection(output)


def run_cell(
    browser: str, *, shards: int, shard: int, out: str, workers: str, known_ids: Sequence[str]
) -> CellResult:
    """Run one cell as its own process and read its results."""
    name = cell_name(browser, shard)
    command = cell_command(browser, shards=shards, shard=shard, out=out, workers=workers)
    exit_code, wall_s = run_logged(python_command(command), ROOT / out / "logs" / f"{name}.log")
    junit = ROOT / out / "junit" / f"{name}.xml"
    outcomes = read_junit(junit, known_ids) if junit.exists() else {}
    return CellResult(
        browser=browser,
        shard=shard,
        outcomes=outcomes,
        wall_s=wall_s,
        exit_code=exit_code,
        allure_tests=allure_test_count(ROOT / out / "allure-results" / name),
    )


def merge_reports(out: str) -> int | None:
    """Generate the merged Allure report; how many tests it holds (None if it failed)."""
    *program, pattern, flag, report = merge_command(out)
    results = sorted(glob.glob(str(ROOT / pattern)))
    report_dir = ROOT / report
    shutil.rmtree(report_dir, ignore_errors=True)
    exit_code, _ = run_logged(
        [*program, *results, flag, str(report_dir)], ROOT / out / "logs" / "allure.log"
    )
    return report_test_count(report_dir) if exit_code == 0 else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shards", type=int, required=True, help="shards per browser")
    parser.add_argument("--json", type=Path, required=True, help="where to write the summary")
    parser.add_argument(
        "--browsers", nargs="+", default=list(BROWSERS), choices=BROWSERS, help="browsers to run"
    )
    parser.add_argument(
        "--out", default=DEFAULT_OUT, help=f"results folder, relative to the root ({DEFAULT_OUT})"
    )
    parser.add_argument("--workers", default="auto", help="xdist workers per cell (-n)")
    args = parser.parse_args(argv)
    if args.shards < 1:
        parser.error("--shards must be at least 1")

    out_dir = ROOT / args.out
    shutil.rmtree(out_dir, ignore_errors=True)
    logs = out_dir / "logs"
    unsharded: list[str] = []
    for browser in args.browsers:
        ids = collect(browser, logs)
        print(f"collected {len(ids)} tests for {browser}", flush=True)
        unsharded += ids

    cells = []
    progress = Progress(total=len(args.browsers) * args.shards)
    for browser in args.browsers:
        for shard in range(1, args.shards + 1):
            progress.starting(f"cell {cell_name(browser, shard)}: running …")
            cell = run_cell(
                browser,
                shards=args.shards,
                shard=shard,
                out=args.out,
                workers=args.workers,
                known_ids=unsharded,
            )
            counts = cell.counts()
            progress.finished(
                f"cell {cell_name(browser, shard)}: {counts[PASSED]} passed, {counts[FAILED]} "
                f"failed, {counts[SKIPPED]} skipped in {cell.wall_s:.1f} s "
                f"(exit {cell.exit_code}; log {args.out}/logs/{cell_name(browser, shard)}.log)"
            )
            cells.append(cell)

    print("merging the cells' Allure results ...", flush=True)
    report_tests = merge_reports(args.out)
    summary = summarise(
        cells,
        unsharded,
        report_tests=report_tests,
        report_path=str(out_dir / "allure-report"),
    )
    result = {**summary.to_json(), "shard_balance": shard_balance(summary.cells)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(
        f"{summary.distinct_tests} distinct tests ran, {summary.unsharded_tests} collected "
        f"unsharded; {len(summary.duplicates)} duplicates, {len(summary.missing)} missing; "
        f"report holds {summary.report_tests}; balance {result['shard_balance']}"
    )
    for problem in summary.problems:
        print(f"PROBLEM: {problem}")
    print(f"summary written to {args.json}")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
