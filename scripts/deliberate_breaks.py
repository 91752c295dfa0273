"""Break the platform on purpose, one realistic bug at a time, and see whether the suite notices.

    python scripts/deliberate_breaks.py                         # the whole catalogue
    python scripts/deliberate_breaks.py --only jobs-export-batch-skip dashboard-running-all-users
    python scripts/deliberate_breaks.py --resume        # go on after a stop (same commit)
    python scripts/deliberate_breaks.py --report breaks-results/breaks.json --markdown t.md

A test that cannot fail proves nothing. The catalogue (`scripts/breaks/`) holds realistic
mistakes a developer could make in `app/`: off-by-ones, wrong filters and status sets, a wrong
field, an update not sent, an event dropped, truncation, rounding, a lost normalisation, markup
and style regressions, removed protections. Each one is applied alone in a throwaway git
worktree of HEAD (commit first: the worktree holds what is committed), and the whole default
Chromium selection runs against it (`pytest e2e --browser chromium -x -n 2`), never a chosen
journey: the question is whether anything notices. The clean tree runs first with the same
selection and must pass, so that a failure is known to come from the break.

With xdist, a `-x` run that meets a failure exits 2 ("Interrupted"), so the verdict is read
from the JUnit file: killed when some test failed or errored, survived when every test passed.
The tests that noticed earlier breaks run first, those of the same screen and area ahead
(`scripts/break_order.py`): every test still
runs when none fails, so the order changes only how soon a noticed break stops the run.
A run that neither passed nor failed a test (a crash, a collection error) is an error, not a
kill. A break the journeys let through is then tried on the platform's fast tests
(`tests/test_platform_*.py`), so the table says whether anything in the suite notices it. The
JSON written holds, per break, the verdict, the first failing test and its message, the wall
time and that fast test; `--markdown` writes the table the docs carry.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from break_order import ORDER_FILE_VARIABLE, STOP_FILE_VARIABLE
from breaks import Break
from breaks.catalogue import catalogue
from flake import junit_test_id
from progress import Progress

REPO_ROOT = Path(__file__).resolve().parent.parent
# Earlier runs kept with the docs: who noticed what there orders this run's tests.
RUNS_DIR = REPO_ROOT / "docs" / "breaks-runs"
SELECTION = ("e2e", "--browser", "chromium")
KILLED, SURVIVED, ERROR = "killed", "survived", "error"
# The first lines of a failure are what a reader needs; the rest is the traceback.
MESSAGE_CHARS = 400


@dataclass(frozen=True)
class Verdict:
    """What one run of the selection showed."""

    outcome: str
    exit_code: int
    wall_s: float
    tests_run: int
    first_failure: str | None = None
    message: str | None = None


def apply(change: Break, root: Path) -> None:
    """Make every edit of the break in the tree at `root`; each text must be there exactly once."""
    for edit in change.edits:
        target = root / edit.path
        text = target.read_text(encoding="utf-8")
        if text.count(edit.old) != 1:
            raise SystemExit(
                f"{change.name}: the text to break is in {edit.path} {text.count(edit.old)} "
                "times, not once; update the catalogue to the platform's current code"
            )
        target.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


def first_failure(junit_xml: str) -> tuple[int, str | None, str | None]:
    """(test cases run, the first failing test's id, its message) from a JUnit document.

    "First" is in the file's order, which is the order the results arrived in.
    """
    cases = list(ElementTree.fromstring(junit_xml).iter("testcase"))
    for case in cases:
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            test = junit_test_id(case.get("classname", ""), case.get("name", ""))
            message = (problem.get("message") or problem.text or "").strip()
            return len(cases), test, message[:MESSAGE_CHARS]
    return len(cases), None, None


def run_selection(
    root: Path, workers: int, extra: Sequence[str], *, run_first: Sequence[str] = ()
) -> Verdict:
    """Run the default Chromium selection in the tree at `root`, stopping at the first failure.

    `run_first` are test ids to start with (see scripts/break_order.py); the rest follow.
    """
    # Inside the worktree, so that its removal takes the traces and results with it.
    out = root / "test-results" / "deliberate-breaks"
    out.mkdir(parents=True, exist_ok=True)
    junit = out / "junit.xml"
    junit.unlink(missing_ok=True)
    order = out / "run-first.txt"
    order.write_text("".join(f"{test}\n" for test in run_first), encoding="utf-8")
    stop = out / "stop"
    stop.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "pytest", *SELECTION, "-x", "-n", str(workers), "-q",
        "-p", "no:cacheprovider", "-p", "break_order", "--tb=no", f"--junitxml={junit}",
        "--output", str(out / "output"), "--alluredir", str(out / "allure"), *extra,
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        command, check=False, cwd=root, capture_output=True, text=True,
        env={**os.environ, ORDER_FILE_VARIABLE: str(order), STOP_FILE_VARIABLE: str(stop)},
    )  # fmt: skip
    wall = round(time.monotonic() - started, 1)
    if not junit.exists():
        return Verdict(ERROR, result.returncode, wall, 0, None, result.stdout[-MESSAGE_CHARS:])
    tests_run, test, message = first_failure(junit.read_text(encoding="utf-8"))
    if test is not None:
        return Verdict(KILLED, result.returncode, wall, tests_run, test, message)
    if result.returncode == 0 and tests_run > 0:
        return Verdict(SURVIVED, result.returncode, wall, tests_run)
    return Verdict(ERROR, result.returncode, wall, tests_run, None, result.stdout[-MESSAGE_CHARS:])


def round_robin(chosen: Sequence[Break]) -> list[Break]:
    """The breaks taken area by area in turn (an area is a name's first word), so that a run
    stopped early has judged a part of every area rather than all of a few."""
    areas: dict[str, list[Break]] = {}
    for change in chosen:
        areas.setdefault(change.name.split("-")[0], []).append(change)
    turns = max((len(group) for group in areas.values()), default=0)
    return [group[turn] for turn in range(turns) for group in areas.values() if turn < len(group)]


#: The browser test modules named after each area's screens: tried right after the tests that
#: noticed breaks of the same screen, while an area's own noticers are still being learnt.
AREA_MODULES = {
    "authz": ("test_security",),
    "csrf": ("test_security",),
    "escape": ("test_security",),
    "dashboard": ("test_dashboard",),
    "input": ("test_bad_input",),
    "jobs": ("test_jobs_lists", "test_job_cancellation", "test_exports_scale", "test_dataset"),
    "observatory": ("test_observatory",),
    "seeds": ("test_seeds_screens",),
    "templates": ("test_template",),
    "look": ("test_visual",),
    # No screen shows the platform's Server-Timing: its fast test is what can notice.
    "server": (),
}


def area_tests(area: str, durations: dict[str, float]) -> list[str]:
    """The Chromium tests of `area`'s modules (`.test_durations`' ids), quickest first."""
    prefixes = tuple(f"e2e/{module}" for module in AREA_MODULES.get(area, ()))
    chosen = [test for test in durations if test.startswith(prefixes) and "-chromium]" in test]
    return sorted(chosen, key=durations.__getitem__)


def run_first_for(
    change: Break, results: Sequence[dict[str, Any]], durations: dict[str, float] | None = None
) -> list[str]:
    """The tests that noticed earlier breaks of the same screen, then the tests of the area's
    own modules (AREA_MODULES), then the noticers of the same area (the name's first word),
    then the rest; noticers most often first."""

    def noticers(keep: Callable[[dict[str, Any]], bool]) -> list[str]:
        counts = Counter(r["first_failure"] for r in results if r["first_failure"] and keep(r))
        return [test for test, _ in counts.most_common()]

    area = change.name.split("-")[0]
    ordered = [
        *noticers(lambda r: r["screen"] == change.screen),
        *area_tests(area, durations or {}),
        *noticers(lambda r: r["name"].split("-")[0] == area),
        *noticers(lambda r: True),
    ]
    return list(dict.fromkeys(ordered))


def earlier_results(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """The killed breaks of earlier runs' JSON files, for ordering only.

    A break renamed or removed since then still says which test noticed its screen and area.
    """
    results: list[dict[str, Any]] = []
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        results += [r for r in document["breaks"] if r["outcome"] == KILLED]
    return results


def fast_tests_notice(root: Path) -> str | None:
    """The first of the platform's fast tests (`tests/test_platform_*.py`) that fails, if any.

    Asked only of a break the browser journeys let through, so that the table can say whether
    the suite notices it at all and where.
    """
    junit = root / "test-results" / "deliberate-breaks" / "fast-junit.xml"
    junit.unlink(missing_ok=True)
    tests = sorted(
        str(path.relative_to(root)) for path in (root / "tests").glob("test_platform_*.py")
    )
    command = [
        sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:cacheprovider", "--tb=no",
        f"--junitxml={junit}",
    ]  # fmt: skip
    subprocess.run(command, check=False, cwd=root, capture_output=True, text=True)
    if not junit.exists():
        return None
    return first_failure(junit.read_text(encoding="utf-8"))[1]


def markdown_table(results: Sequence[dict[str, Any]]) -> str:
    """The catalogue's results as the Markdown table the docs carry."""
    lines = [
        "| break | screen | kind | what a user would see | verdict | noticed first by | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        test = f"`{r['first_failure'].split('::')[-1]}`" if r["first_failure"] else "—"
        if r["outcome"] == SURVIVED:
            fast = (r.get("fast_test_noticing") or "").split("::")[-1]
            test = f"no journey; fast test `{fast}`" if fast else "nothing"
        lines.append(
            f"| `{r['name']}` | `{r['screen']}` | {r['kind']} | {r['what'].replace('|', '/')} "
            f"| {r['outcome']} "
            f"| {test} | {r['wall_s']:.0f} |"
        )
    killed = sum(r["outcome"] == KILLED for r in results)
    lines.append("")
    lines.append(f"Killed {killed} of {len(results)} ({killed / max(1, len(results)):.0%}).")
    return "\n".join(lines) + "\n"


def area_summary(results: Sequence[dict[str, Any]]) -> str:
    """Per area (a name's first word): breaks, killed, and the test modules that noticed them."""
    lines = ["| area | breaks | killed | noticed first by |", "|---|---|---|---|"]
    areas: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        areas.setdefault(r["name"].split("-")[0], []).append(r)
    for area, group in areas.items():
        modules = Counter(
            r["first_failure"].split("::")[0].removeprefix("e2e/")
            for r in group
            if r["outcome"] == KILLED and r["first_failure"]
        )
        noticers = ", ".join(f"`{module}` ({count})" for module, count in modules.most_common())
        killed = sum(r["outcome"] == KILLED for r in group)
        lines.append(f"| {area} | {len(group)} | {killed} | {noticers or '—'} |")
    killed = sum(r["outcome"] == KILLED for r in results)
    lines.append(f"| **all** | **{len(results)}** | **{killed}** | |")
    return "\n".join(lines) + "\n"


def write_report(path: Path, commit: str, clean: Verdict | None, results: list[dict]) -> None:
    """The JSON of the run so far; written after every break so that a stop loses nothing."""
    killed = sum(r["outcome"] == KILLED for r in results)
    document = {
        "commit": commit,
        "selection": " ".join(("pytest", *SELECTION, "-x", "-n N")),
        "clean_run": asdict(clean) if clean else None,
        "total": len(results),
        "killed": killed,
        "kill_rate": round(killed / len(results), 3) if results else None,
        "breaks": results,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    every = catalogue()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=[b.name for b in every], default=None)
    parser.add_argument("--workers", type=int, default=2, help="xdist workers (-n)")
    # Not under test-results/: pytest-playwright empties that folder at the start of a run.
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "breaks-results" / "breaks.json")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument(
        "--resume", action="store_true",
        help="keep the verdicts already in --json for this commit and run only the others",
    )  # fmt: skip
    parser.add_argument(
        "--order-from", nargs="*", type=Path, default=sorted(RUNS_DIR.glob("*.json")),
        help="earlier runs' JSON whose noticers run first (ordering only; any commit)",
    )  # fmt: skip
    parser.add_argument(
        "--report", type=Path, default=None,
        help="only write --markdown from this earlier JSON, running nothing",
    )  # fmt: skip
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        results = json.loads(args.report.read_text(encoding="utf-8"))["breaks"]
        table = area_summary(results) + "\n" + markdown_table(results)
        if args.markdown:
            args.markdown.write_text(table, encoding="utf-8")
        else:
            print(table, end="")
        return 0
    chosen = [b for b in catalogue() if args.only is None or b.name in args.only]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    results: list[dict[str, Any]] = []
    clean: Verdict | None = None
    if args.resume and args.json.exists():
        earlier = json.loads(args.json.read_text(encoding="utf-8"))
        if earlier["commit"] == commit:
            results = [r for r in earlier["breaks"] if r["outcome"] != ERROR]
            clean = Verdict(**earlier["clean_run"]) if earlier["clean_run"] else None
    judged = {r["name"] for r in results}
    earlier_noticers = earlier_results(args.order_from)
    durations_file = REPO_ROOT / ".test_durations"
    durations = json.loads(durations_file.read_text()) if durations_file.exists() else {}
    todo = round_robin([b for b in chosen if b.name not in judged])

    with tempfile.TemporaryDirectory(prefix="breaks-worktree-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--quiet", "--detach", str(tree), "HEAD"],
            cwd=REPO_ROOT, check=True,
        )  # fmt: skip
        if (REPO_ROOT / "node_modules").exists():
            (tree / "node_modules").symlink_to(REPO_ROOT / "node_modules")
        progress = Progress(total=len(todo) + (clean is None))
        try:
            if clean is None:
                progress.starting("clean tree: running the selection")
                clean = run_selection(tree, args.workers, args.pytest_args)
                progress.finished(f"clean tree: {clean.outcome} in {clean.wall_s:.0f} s")
                if clean.outcome != SURVIVED:
                    print(f"the clean tree does not pass ({clean.first_failure}: {clean.message})")
                    return 1
            for change in todo:
                progress.starting(f"{change.name} ({change.screen}, {change.kind}) …")
                apply(change, tree)
                verdict = run_selection(
                    tree,
                    args.workers,
                    args.pytest_args,
                    run_first=run_first_for(change, [*results, *earlier_noticers], durations),
                )
                fast = fast_tests_notice(tree) if verdict.outcome == SURVIVED else None
                subprocess.run(["git", "checkout", "--quiet", "--", "."], cwd=tree, check=True)
                by = f" by {verdict.first_failure}" if verdict.first_failure else ""
                by += f" (fast tests: {fast or 'nothing'})" if verdict.outcome == SURVIVED else ""
                progress.finished(
                    f"{change.name}: {verdict.outcome.upper()} in {verdict.wall_s:.0f} s{by}"
                )
                results.append(
                    {
                        "name": change.name,
                        "screen": change.screen,
                        "kind": change.kind,
                        "what": change.what,
                        **asdict(verdict),
                        "fast_test_noticing": fast,
                    }
                )
                write_report(args.json, commit, clean, results)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=REPO_ROOT, check=False
            )
    write_report(args.json, commit, clean, results)
    if args.markdown:
        args.markdown.write_text(
            area_summary(results) + "\n" + markdown_table(results), encoding="utf-8"
        )
    survived = [r["name"] for r in results if r["outcome"] != KILLED]
    print(f"killed {len(results) - len(survived)} of {len(results)}; results in {args.json}")
    if survived:
        print(f"not killed: {', '.join(survived)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
