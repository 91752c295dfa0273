"""The CI matrix's own logic: how `scripts/matrix.py` reads cells and judges the union of the
shards, that the workflow runs exactly its commands, and that pytest-split's shards of the
real suite add up to the unsharded collection."""

from __future__ import annotations

import itertools
import json
import shlex
import subprocess
import sys
from pathlib import Path

import matrix
import pytest
from _pytest.junitxml import mangle_test_address
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "e2e.yml"


A, B, C = (
    "e2e/test_a.py::test_one[desktop-chromium]",
    "e2e/test_a.py::test_two[desktop-chromium]",
    "e2e/test_b.py::test_three[mobile-chromium]",
)


def cell(browser: str, shard: int, outcomes: dict[str, str], **kwargs) -> matrix.CellResult:
    return matrix.CellResult(
        browser=browser,
        shard=shard,
        outcomes=outcomes,
        wall_s=kwargs.get("wall_s", 10.0),
        exit_code=kwargs.get("exit_code", 0),
        allure_tests=kwargs.get("allure_tests", len(outcomes)),
    )


# --- summarising cells ----------------------------------------------------------------------


def test_shards_that_split_the_collection_exactly_are_ok() -> None:
    cells = [
        cell("chromium", 1, {A: "passed", C: "skipped"}, wall_s=12.5),
        cell("chromium", 2, {B: "passed"}, wall_s=11.0),
    ]

    summary = matrix.summarise(cells, [A, B, C], report_tests=3, report_path="report")

    assert summary.ok, summary.problems
    assert (summary.distinct_tests, summary.unsharded_tests) == (3, 3)
    assert summary.duplicates == summary.missing == summary.unexpected == []
    assert summary.cells[0] == {
        "browser": "chromium",
        "shard": 1,
        "passed": 1,
        "failed": 0,
        "skipped": 1,
        "wall_s": 12.5,
        "exit_code": 0,
        "allure_tests": 2,
    }


def test_a_test_run_by_two_shards_is_a_duplicate() -> None:
    cells = [cell("chromium", 1, {A: "passed", B: "passed"}), cell("chromium", 2, {B: "passed"})]

    summary = matrix.summarise(cells, [A, B], report_tests=2, report_path="report")

    assert summary.duplicates == [B]
    assert summary.distinct_tests == 2
    assert not summary.ok
    assert "1 tests ran in more than one cell" in summary.problems


def test_a_collected_test_no_shard_ran_is_missing_and_a_stranger_is_unexpected() -> None:
    stranger = "e2e/test_c.py::test_four[desktop-firefox]"
    cells = [cell("chromium", 1, {A: "passed"}), cell("chromium", 2, {stranger: "passed"})]

    summary = matrix.summarise(cells, [A, B], report_tests=2, report_path="report")

    assert summary.missing == [B]
    assert summary.unexpected == [stranger]
    assert not summary.ok


@pytest.mark.parametrize(
    ("exit_code", "outcomes", "green"),
    [
        (0, {A: "passed"}, True),
        (1, {A: "failed"}, False),
        # A crash after the tests (a failing session teardown) still turns the cell red.
        (3, {A: "passed"}, False),
        (5, {}, True),
    ],
)
def test_a_cell_is_green_only_when_its_process_succeeded_and_nothing_failed(
    exit_code: int, outcomes: dict[str, str], green: bool
) -> None:
    result = cell("firefox", 1, outcomes, exit_code=exit_code)

    assert result.green is green
    summary = matrix.summarise([result], outcomes, report_tests=len(outcomes), report_path="r")
    assert summary.ok is green


def test_a_report_missing_or_short_of_tests_is_a_problem() -> None:
    cells = [cell("chromium", 1, {A: "passed", B: "passed"})]

    short = matrix.summarise(cells, [A, B], report_tests=1, report_path="r")
    absent = matrix.summarise(cells, [A, B], report_tests=None, report_path="r")

    assert short.problems == ["the merged report holds 1 tests, the cells ran 2"]
    assert absent.problems == ["no merged report at r"]


def test_allure_results_overwritten_in_a_cell_are_a_problem() -> None:
    summary = matrix.summarise(
        [cell("chromium", 1, {A: "passed", B: "passed"}, allure_tests=1)],
        [A, B],
        report_tests=2,
        report_path="r",
    )

    assert summary.problems == ["cell chromium-1: 1 tests in its Allure results for 2 run"]


def test_the_summary_json_has_the_documented_keys() -> None:
    summary = matrix.summarise(
        [cell("chromium", 1, {A: "passed"})], [A], report_tests=1, report_path="r"
    )

    written = summary.to_json()

    assert {
        "cells",
        "distinct_tests",
        "unsharded_tests",
        "duplicates",
        "missing",
        "report_tests",
        "report_path",
    } <= set(written)
    assert set(written["cells"][0]) >= {"browser", "shard", "passed", "failed", "wall_s"}
    assert written["ok"] is True
    json.dumps(written)


def test_balance_is_the_slowest_shard_over_the_fastest_per_browser() -> None:
    cells = [
        {"browser": "chromium", "wall_s": 60.0},
        {"browser": "chromium", "wall_s": 50.0},
        {"browser": "firefox", "wall_s": 30.0},
        {"browser": "firefox", "wall_s": 30.0},
    ]

    assert matrix.shard_balance(cells) == {"chromium": 1.2, "firefox": 1.0}


# --- reading what pytest and Allure wrote ---------------------------------------------------


def test_collection_output_is_read_up_to_its_first_blank_line() -> None:
    output = "\n".join(
        [
            A,
            B,
            "",
            "=============== warnings summary ===============",
            f"{C}",
            "  some warning",
            "2/3 tests collected (1 deselected) in 0.50s",
        ]
    )

    assert matrix.parse_collection(output) == [A, B]


@pytest.mark.parametrize(
    "test_id",
    [A, "e2e/sub/test_x.py::TestGroup::test_y[desktop-firefox]", "e2e/test_z.py::test_plain"],
)
def test_junit_addresses_agree_with_pytest(test_id: str) -> None:
    names = mangle_test_address(test_id)

    assert matrix.junit_address(test_id) == (".".join(names[:-1]), names[-1])


def test_junit_results_are_read_back_as_test_ids_with_their_outcomes(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_probe="""
        import pytest

        @pytest.mark.parametrize("project", ["desktop-chromium", "mobile-chromium"])
        def test_passes(project):
            pass

        def test_fails():
            assert False

        def test_skips():
            pytest.skip("not here")

        @pytest.fixture
        def broken_teardown():
            yield
            raise RuntimeError("teardown")

        def test_errors_after_passing(broken_teardown):
            pass
        """
    )
    collected = [
        "test_probe.py::test_passes[desktop-chromium]",
        "test_probe.py::test_passes[mobile-chromium]",
        "test_probe.py::test_fails",
        "test_probe.py::test_skips",
        "test_probe.py::test_errors_after_passing",
    ]
    junit = pytester.path / "junit.xml"

    # In a process of its own: pytest-playwright's plugin state does not nest in this one's.
    pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--junitxml={junit}")

    assert matrix.read_junit(junit, collected) == {
        "test_probe.py::test_passes[desktop-chromium]": "passed",
        "test_probe.py::test_passes[mobile-chromium]": "passed",
        "test_probe.py::test_fails": "failed",
        "test_probe.py::test_skips": "skipped",
        "test_probe.py::test_errors_after_passing": "failed",
    }


def test_allure_results_count_each_test_once_however_often_it_was_retried(
    tmp_path: Path,
) -> None:
    for number, history_id in enumerate(["one", "two", "two", "three"]):
        (tmp_path / f"{number}-result.json").write_text(json.dumps({"historyId": history_id}))
    (tmp_path / "x-container.json").write_text(json.dumps({"children": []}))

    assert matrix.allure_test_count(tmp_path) == 3


def test_report_count_comes_from_the_generated_reports_summary(tmp_path: Path) -> None:
    assert matrix.report_test_count(tmp_path) is None

    (tmp_path / "summary.json").write_text(json.dumps({"stats": {"total": 42, "passed": 40}}))

    assert matrix.report_test_count(tmp_path) == 42


# --- the workflow runs matrix.py's commands -------------------------------------------------


def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def step_running(steps: list[dict], program: str) -> dict:
    found = [step for step in steps if step.get("run", "").startswith(program)]
    assert len(found) == 1, f"expected one step running {program!r}, found {len(found)}"
    return found[0]


def expand(text: str, browser: str, shard: int) -> str:
    return text.replace("${{ matrix.browser }}", browser).replace("${{ matrix.shard }}", str(shard))


def test_every_workflow_cell_runs_the_command_matrix_py_runs() -> None:
    job = workflow()["jobs"]["e2e"]
    browsers, shards = job["strategy"]["matrix"]["browser"], job["strategy"]["matrix"]["shard"]
    run = step_running(job["steps"], "pytest ")["run"]

    assert browsers == list(matrix.BROWSERS)
    assert shards == list(range(1, len(shards) + 1))
    for browser, shard in itertools.product(browsers, shards):
        assert shlex.split(expand(run, browser, shard)) == matrix.cell_command(
            browser, shards=len(shards), shard=shard
        )


def test_every_workflow_cell_uploads_the_folders_matrix_py_merges() -> None:
    steps = workflow()["jobs"]["e2e"]["steps"]
    uploads = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact")]
    paths = [expand(step["with"]["path"], "firefox", 2).split() for step in uploads]

    assert all(step.get("if") == "always()" for step in uploads)
    assert [f"{matrix.DEFAULT_OUT}/allure-results/firefox-2"] in paths
    assert [
        f"{matrix.DEFAULT_OUT}/test-results/firefox-2",
        f"{matrix.DEFAULT_OUT}/junit/firefox-2.xml",
    ] in paths


def test_the_report_job_merges_with_the_command_matrix_py_runs() -> None:
    report = workflow()["jobs"]["report"]
    run = step_running(report["steps"], "npx allure")["run"]

    assert report["needs"] == "e2e"
    assert report["if"] == "always()"
    assert shlex.split(run) == matrix.merge_command()


# --- pytest-split over the real suite -------------------------------------------------------


def collected_ids(*args: str) -> list[str]:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "e2e",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return matrix.parse_collection(run.stdout)


# Not called `browser`: that is pytest-playwright's fixture, and would make this a browser test.
@pytest.mark.parametrize("engine", matrix.BROWSERS)
def test_two_shards_of_a_browser_hold_its_whole_collection_once(engine: str) -> None:
    split = ["--splits", "2", "--splitting-algorithm", "least_duration"]
    unsharded = collected_ids("--browser", engine)
    shards = [collected_ids("--browser", engine, *split, "--group", str(group)) for group in (1, 2)]

    assert unsharded, f"nothing collected for {engine}"
    assert all(shards), f"a shard of {engine} is empty: {[len(shard) for shard in shards]}"
    assert not set(shards[0]) & set(shards[1])
    assert sorted(shards[0] + shards[1]) == sorted(unsharded)
