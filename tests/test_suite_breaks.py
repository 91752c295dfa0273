"""The catalogue of breaks must keep matching the platform, and its runner must judge honestly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from break_order import front_first, spread_over_workers
from breaks import KINDS, Break
from breaks.catalogue import catalogue
from deliberate_breaks import (
    AREA_MODULES,
    REPO_ROOT,
    apply,
    area_summary,
    first_failure,
    markdown_table,
    round_robin,
    run_first_for,
)

BREAKS = catalogue()
# Screens, as the first column of docs/screens.md's table names them, plus the non-screen rules.
SCREEN_PATHS = re.findall(r"^\| (`/[^|]+`) \|", (REPO_ROOT / "docs/screens.md").read_text(), re.M)
OTHER_AREAS = {"API", "WebSocket", "worker", "every page", "every form"}


def _paths_of(row: str) -> set[str]:
    """The paths one row of the screens table covers: "`/a`, `/b`" covers /a and /b."""
    return {part.strip("` ") for part in row.split(",")}


@pytest.mark.parametrize("change", BREAKS, ids=[b.name for b in BREAKS])
def test_each_break_finds_each_of_its_texts_once_in_the_platform(change: Break) -> None:
    for edit in change.edits:
        text = (REPO_ROOT / edit.path).read_text(encoding="utf-8")
        assert edit.path.startswith("app/"), (
            f"{change.name} edits {edit.path}, outside the platform"
        )
        assert text.count(edit.old) == 1, (
            f"{edit.path} holds the text {change.name} breaks {text.count(edit.old)} times, not once"
        )
        assert edit.old != edit.new, f"{change.name} changes nothing in {edit.path}"


def test_break_names_are_unique_and_each_names_a_known_kind_and_screen() -> None:
    names = [b.name for b in BREAKS]
    known_screens = {path for row in SCREEN_PATHS for path in _paths_of(row)} | OTHER_AREAS
    assert len(names) == len(set(names)), "two breaks share a name"
    for change in BREAKS:
        assert change.kind in KINDS, f"{change.name}: unknown kind {change.kind!r}"
        assert change.screen in known_screens, (
            f"{change.name}: {change.screen!r} is neither a screen of docs/screens.md nor one of "
            f"{sorted(OTHER_AREAS)}"
        )


def test_every_screen_of_the_contract_has_a_break() -> None:
    broken = {b.screen for b in BREAKS}
    # "/templates/new, /templates/{id}" is one row: a break of either path covers it.
    missing = [row for row in SCREEN_PATHS if not _paths_of(row) & broken]
    assert not missing, f"no break touches these screens of docs/screens.md: {missing}"


def test_apply_changes_the_copy_and_refuses_text_that_is_not_there(tmp_path: Path) -> None:
    change = BREAKS[0]
    edit = change.edits[0]
    copy = tmp_path / edit.path
    copy.parent.mkdir(parents=True)
    copy.write_text((REPO_ROOT / edit.path).read_text(encoding="utf-8"), encoding="utf-8")

    apply(change, tmp_path)

    assert edit.new in copy.read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match="0 times, not once"):
        apply(change, tmp_path)


JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
  <testcase classname="e2e.test_a" name="test_ok[desktop-chromium]" time="1.0"/>
  <testcase classname="e2e.test_b" name="test_sees[desktop-chromium]" time="2.0">
    <failure message="AssertionError: the job page shows 40 / 100; expected 100 / 100">trace</failure>
  </testcase>
  <testcase classname="e2e.test_c" name="test_later[desktop-chromium]" time="1.0">
    <error message="fixture failed">trace</error>
  </testcase>
</testsuite></testsuites>
"""


def test_first_failure_is_the_first_failed_case_with_its_message() -> None:
    tests_run, test, message = first_failure(JUNIT)

    assert tests_run == 3
    assert test == "e2e/test_b.py::test_sees[desktop-chromium]"
    assert message == "AssertionError: the job page shows 40 / 100; expected 100 / 100"


def test_a_run_where_everything_passed_has_no_first_failure() -> None:
    passing = re.sub(r"<testcase classname=\"e2e.test_[bc]\".*?</testcase>", "", JUNIT, flags=re.S)

    assert first_failure(passing) == (1, None, None)


def test_markdown_table_counts_the_kill_rate() -> None:
    row = {"screen": "/jobs", "kind": "off-by-one", "what": "a | b", "wall_s": 12.0}
    table = markdown_table(
        [
            {**row, "name": "x", "outcome": "killed", "first_failure": "e2e/t.py::test_sees"},
            {
                **row,
                "name": "y",
                "outcome": "survived",
                "first_failure": None,
                "fast_test_noticing": "tests/test_platform_jobs.py::test_refuses",
            },
        ]
    )

    assert "| `x` | `/jobs` | off-by-one | a / b | killed | `test_sees` | 12 |" in table
    assert "| survived | no journey; fast test `test_refuses` | 12 |" in table
    assert "Killed 1 of 2 (50%)." in table


def test_the_area_summary_counts_each_area_and_names_the_modules_that_noticed() -> None:
    results = [
        {"name": "jobs-a", "outcome": "killed", "first_failure": "e2e/test_jobs.py::test_x[p]"},
        {"name": "jobs-b", "outcome": "killed", "first_failure": "e2e/test_jobs.py::test_y[p]"},
        {"name": "seeds-a", "outcome": "survived", "first_failure": None},
    ]

    summary = area_summary(results)

    assert "| jobs | 2 | 2 | `test_jobs.py` (2) |" in summary
    assert "| seeds | 1 | 0 | — |" in summary
    assert "| **all** | **3** | **2** | |" in summary


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


def test_tests_that_noticed_earlier_breaks_move_to_the_front_and_nothing_is_dropped() -> None:
    items = [_Item(name) for name in ("a", "b", "c", "d")]

    ordered = front_first(items, ["d", "x-not-collected", "b"])

    assert [item.nodeid for item in ordered] == ["d", "b", "a", "c"]


def test_tests_wanted_first_are_dealt_to_the_workers_in_turn_and_nothing_is_dropped() -> None:
    # 22 tests over 2 workers: xdist's load scheduler sends each a first chunk of 2.
    ordered = ["A", "B", "C", *range(19)]

    spread = spread_over_workers(ordered, ahead=3, workers=2)

    assert spread[:4] == ["A", "C", "B", 0], "the first worker's chunk, then the second's"
    assert sorted(map(str, spread)) == sorted(map(str, ordered))
    assert spread_over_workers(ordered, ahead=3, workers=1) == ordered


def test_noticers_of_the_same_screen_then_area_run_first_then_the_rest() -> None:
    change = Break(name="jobs-new", screen="/jobs", kind="off-by-one", what="", edits=())
    results = [
        {"name": "authz-a", "screen": "API", "first_failure": "security"},
        {"name": "authz-b", "screen": "API", "first_failure": "security"},
        {"name": "jobs-a", "screen": "/exports", "first_failure": "lists"},
        {"name": "jobs-b", "screen": "/jobs", "first_failure": "cancellation"},
        {"name": "jobs-c", "screen": "/jobs", "first_failure": None},
    ]

    assert run_first_for(change, results) == ["cancellation", "lists", "security"]


def test_the_area_modules_follow_the_screen_noticers_quickest_first() -> None:
    change = Break(name="jobs-new", screen="/jobs", kind="off-by-one", what="", edits=())
    durations = {
        "e2e/test_jobs_lists.py::test_slow[desktop-chromium]": 9.0,
        "e2e/test_job_cancellation.py::test_quick[desktop-chromium]": 2.0,
        "e2e/test_jobs_lists.py::test_slow[desktop-firefox]": 1.0,
        "e2e/test_dashboard.py::test_other[desktop-chromium]": 1.0,
    }
    results = [{"name": "jobs-b", "screen": "/jobs", "first_failure": "cancellation"}]

    assert run_first_for(change, results, durations) == [
        "cancellation",
        "e2e/test_job_cancellation.py::test_quick[desktop-chromium]",
        "e2e/test_jobs_lists.py::test_slow[desktop-chromium]",
    ]


def test_every_area_of_the_catalogue_names_modules_that_exist() -> None:
    areas = {b.name.split("-")[0] for b in BREAKS} - {"resume", "stale"}
    modules = {path.stem for path in (REPO_ROOT / "e2e").glob("test_*.py")}
    for area in sorted(areas):
        prefixes = AREA_MODULES[area]
        assert all(any(m.startswith(p) for m in modules) for p in prefixes), area


def test_breaks_are_taken_area_by_area_in_turn_and_none_is_lost() -> None:
    ordered = round_robin(BREAKS)

    assert sorted(b.name for b in ordered) == sorted(b.name for b in BREAKS)
    first_areas = [b.name.split("-")[0] for b in ordered[:3]]
    assert len(set(first_areas)) == 3, f"the first three breaks are all of {first_areas}"
