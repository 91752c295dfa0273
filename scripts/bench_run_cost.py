"""What the suite's checks cost: the default Chromium run of an earlier commit beside HEAD's.

    python scripts/bench_run_cost.py --base ebc90ff --rounds 1 --json run-cost.json
    python scripts/bench_run_cost.py --without e2e/test_visual.py --json visual-share.json

Each round runs `pytest e2e --browser chromium` (the default run, one process, as people run
it) in a throwaway worktree of `--base` and then of HEAD, one after the other on the same
machine, so that both see the same load; the load average is noted around every run. It
prints each run's wall time, tests passed and failed, and HEAD's time over the base's. Commit
first: the worktrees hold what is committed. With `--without PATH`, both runs are of HEAD, the
first leaving PATH out (`--ignore`): what that module adds to the default run.
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
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
SELECTION = ("e2e", "--browser", "chromium")


def junit_counts(path: Path) -> dict[str, int]:
    """Passed, failed (failures and errors) and skipped test cases of a JUnit file."""
    cases = list(ElementTree.parse(path).getroot().iter("testcase"))
    failed = sum(
        case.find("failure") is not None or case.find("error") is not None for case in cases
    )
    skipped = sum(case.find("skipped") is not None for case in cases)
    return {"passed": len(cases) - failed - skipped, "failed": failed, "skipped": skipped}


def run_at(revision: str, scratch: Path, ignored: Sequence[str] = ()) -> dict[str, Any]:
    """One default Chromium run in a fresh worktree of `revision`, less the `ignored` paths."""
    tree = scratch / f"tree-{revision}-{len(ignored)}"
    add = ["git", "worktree", "add", "--quiet", "--detach", str(tree), revision]
    subprocess.run(add, cwd=ROOT, check=True)
    if (ROOT / "node_modules").exists():
        (tree / "node_modules").symlink_to(ROOT / "node_modules")
    junit = tree / "run-cost-junit.xml"
    try:
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "pytest", *SELECTION, "-q", "-p", "no:cacheprovider",
             f"--junitxml={junit}", *(f"--ignore={path}" for path in ignored)],
            cwd=tree, check=False, capture_output=True, text=True,
        )  # fmt: skip
        wall = round(time.monotonic() - started, 1)
        nothing = {"passed": 0, "failed": 0, "skipped": 0}
        counts = junit_counts(junit) if junit.exists() else nothing
        load_after = os.getloadavg()[0]
        return {
            "revision": revision,
            "ignored": list(ignored),
            "wall_s": wall,
            **counts,
            "load_before": round(load_before, 2),
            "load_after": round(load_after, 2),
        }
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    choice = parser.add_mutually_exclusive_group(required=True)
    choice.add_argument("--base", help="the earlier commit to compare with")
    choice.add_argument("--without", nargs="+", help="test paths HEAD's first run leaves out")
    parser.add_argument("--rounds", type=int, default=1, help="base-then-HEAD pairs to run")
    parser.add_argument("--json", type=Path, default=None, help="also write the runs here")
    args = parser.parse_args(argv)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ignored = tuple(args.without or ())
    # The compared pair: (revision, paths left out), the base first.
    base_run, head_run = ((head, ignored), (head, ())) if ignored else ((args.base, ()), (head, ()))
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="run-cost-") as scratch:
        for _ in range(args.rounds):
            for revision, left_out in (base_run, head_run):
                runs.append(run_at(revision, Path(scratch), left_out))
                print(json.dumps(runs[-1]), flush=True)
    base = statistics.median(r["wall_s"] for r in runs if r["ignored"] == list(base_run[1]))
    now = statistics.median(r["wall_s"] for r in runs if r["ignored"] == list(head_run[1]))
    base_name = f"{head} without {' '.join(ignored)}" if ignored else args.base
    summary = {"base": base_name, "head": head, "base_wall_s": base, "head_wall_s": now,
               "ratio": round(now / base, 3), "runs": runs}  # fmt: skip
    print(f"{base_name}: {base:.0f} s; {head}: {now:.0f} s; HEAD / base = {now / base:.2f}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["failed"] == 0 and r["passed"] > 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
