"""Break the platform on purpose, one area at a time, and check that its journeys notice.

    python scripts/deliberate_breaks.py                      # every break, desktop-chromium
    python scripts/deliberate_breaks.py --only csrf stale    # some of them
    python scripts/deliberate_breaks.py --project desktop-firefox

A test that cannot fail proves nothing. Each break below removes one protection from `app/`
(an authorisation check, an escape, a CSRF check, resuming from checkpoints, the dashboard's
stale-data fallback) in a throwaway git worktree of HEAD, runs the journeys that guard it, and
expects them to fail. The clean tree is run first with the same selection, so that a failure
is known to come from the break. Exit code 0 only when the clean run passes and every break
makes its journeys fail.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Break:
    """One protection removed: `old` becomes `new` in `path`; `tests` must then fail."""

    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    keyword: str


BREAKS = (
    Break(
        name="authz",
        what="a template is found by id whoever owns it",
        path="app/services/templates.py",
        # get_template only: the read path both the screen and the API use.
        old="        template = session.get(Template, template_id)\n"
        "    if template is None or template.user_id != user_id:\n",
        new="        template = session.get(Template, template_id)\n    if template is None:\n",
        tests=("e2e/test_security.py",),
        keyword="second_user",
    ),
    Break(
        name="escape",
        what="pages are rendered without HTML escaping",
        path="app/web/common.py",
        old='autoescape=select_autoescape(["html"])',
        new="autoescape=False",
        tests=("e2e/test_security.py",),
        keyword="script_in_template_names",
    ),
    Break(
        name="csrf-forms",
        what="forms are accepted without their CSRF token",
        path="app/web/common.py",
        old="    if not tokens_match(session_of(request).csrf_token, token):\n",
        new="    if False:\n",
        tests=("e2e/test_security.py",),
        keyword="csrf",
    ),
    Break(
        name="csrf-api",
        what="API writes are accepted without the X-CSRF-Token header",
        path="app/api/deps.py",
        old='    if not tokens_match(session_of(request).csrf_token, request.headers.get("x-csrf-token")):\n',
        new="    if False:\n",
        tests=("e2e/test_security.py",),
        keyword="csrf",
    ),
    Break(
        name="resume",
        what="a resumed job starts again from record 0 instead of its checkpoint",
        path="app/worker.py",
        old="        done, cost = job.records_done, job.cost_usd\n",
        new="        done, cost = 0, 0.0\n",
        tests=("e2e/test_chaos.py",),
        keyword="killed_platform",
    ),
    Break(
        name="stale",
        what="a failed dashboard refresh blanks the figures and shows no stale notice",
        path="app/web/static/js/dashboard.js",
        old="    failures += 1;\n    stale.hidden = false;\n",
        new="    failures += 1;\n    summary.replaceChildren();\n    stale.hidden = true;\n",
        tests=("e2e/test_chaos.py", "e2e/test_dashboard.py"),
        keyword="last_values",
    ),
)


def apply(change: Break, root: Path) -> None:
    """Make the change in the tree at `root`; the text must be there exactly once."""
    target = root / change.path
    text = target.read_text(encoding="utf-8")
    if text.count(change.old) != 1:
        raise SystemExit(
            f"{change.name}: the text to break is in {change.path} {text.count(change.old)} "
            "times, not once; update BREAKS to the platform's current code"
        )
    target.write_text(text.replace(change.old, change.new), encoding="utf-8")


def run_tests(root: Path, tests: Sequence[str], keyword: str, project: str) -> int:
    """pytest's exit code for the selection, run in the tree at `root`."""
    # Inside the worktree, so that its removal takes the traces and results with it.
    out = root / "test-results" / "deliberate-breaks"
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=line",
        "--project", project, "-k", keyword,
        "--output", str(out / "output"), "--alluredir", str(out / "allure"), *tests,
    ]  # fmt: skip
    result = subprocess.run(command, check=False, cwd=root, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith(("E ", "FAILED")) or " passed" in line or " failed" in line:
            print(f"    {line[:240]}")
    return result.returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=[b.name for b in BREAKS], default=None)
    parser.add_argument("--project", default="desktop-chromium")
    args = parser.parse_args(argv)
    chosen = [b for b in BREAKS if args.only is None or b.name in args.only]

    unnoticed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="breaks-worktree-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--quiet", "--detach", str(tree), "HEAD"],
            cwd=REPO_ROOT, check=True,
        )  # fmt: skip
        try:
            tests = sorted({test for b in chosen for test in b.tests})
            keyword = " or ".join(sorted({b.keyword for b in chosen}))
            print(f"clean tree: {keyword}")
            if run_tests(tree, tests, keyword, args.project) != 0:
                print("the clean tree already fails these journeys; no break can be judged")
                return 1
            for change in chosen:
                print(f"{change.name}: {change.what}")
                apply(change, tree)
                # 1 is pytest's "tests failed"; a crash or a collection error proves nothing.
                failed = run_tests(tree, change.tests, change.keyword, args.project) == 1
                subprocess.run(["git", "checkout", "--quiet", "--", "."], cwd=tree, check=True)
                print(f"  -> {'noticed' if failed else 'NOT NOTICED'}")
                if not failed:
                    unnoticed.append(change.name)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=REPO_ROOT, check=False
            )
    if unnoticed:
        print(f"breaks no journey noticed: {', '.join(unnoticed)}")
        return 1
    print(f"all {len(chosen)} breaks were noticed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
