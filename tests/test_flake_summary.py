"""scripts/flake.py: reading junit outcomes, summing runs into flakiness figures, and the
pytest command it runs (random order really on, with a seed of its own, no retries)."""

from __future__ import annotations

from pathlib import Path

import flake
import pytest

A = "e2e/test_a.py::test_one[desktop-chromium]"
B = "e2e/test_a.py::test_two[desktop-firefox]"
C = "e2e/test_b.py::test_three[mobile-chromium]"
P, F, S = flake.PASSED, flake.FAILED, flake.SKIPPED

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="5">
  <testcase classname="e2e.test_a" name="test_one[desktop-chromium]" time="1.0"/>
  <testcase classname="e2e.test_a" name="test_two[desktop-firefox]" time="1.0">
    <failure message="AssertionError">boom</failure>
  </testcase>
  <testcase classname="e2e.test_b" name="test_three[mobile-chromium]" time="0.1">
    <skipped message="only in chromium"/>
  </testcase>
  <testcase classname="e2e.test_b" name="test_four[desktop-chromium]" time="1.0"/>
  <testcase classname="e2e.test_b" name="test_four[desktop-chromium]" time="0.2">
    <error message="failed on teardown">teardown</error>
  </testcase>
  <testcase classname="e2e.test_c.TestGroup" name="test_five" time="0.1">
    <error message="failed on setup">setup</error>
  </testcase>
</testsuite></testsuites>
"""


def test_junit_outcomes_count_errors_as_failures_and_keep_skips_apart():
    assert flake.outcomes_from_junit(JUNIT) == {
        A: P,
        B: F,
        C: S,
        "e2e/test_b.py::test_four[desktop-chromium]": F,
        "e2e/test_c.py::TestGroup::test_five": F,
    }


def test_a_test_that_passed_and_failed_across_runs_is_flaky():
    summary = flake.summarise([{A: P, B: P}, {A: F, B: P}, {A: P, B: P}])

    assert summary["runs"] == 3
    assert summary["tests"] == 2
    assert summary["flaky"] == [A]
    assert summary["always_failed"] == []
    assert summary["flake_rate"] == pytest.approx(0.5)
    assert summary["per_test"] == {
        A: {"passes": 2, "failures": 1},
        B: {"passes": 3, "failures": 0},
    }


def test_a_test_that_never_passed_is_always_failed_not_flaky():
    summary = flake.summarise([{A: F, B: P}, {A: F, B: P}])

    assert summary["flaky"] == []
    assert summary["always_failed"] == [A]
    assert summary["flake_rate"] == 0


def test_skips_neither_pass_nor_fail_and_missing_runs_are_not_failures():
    summary = flake.summarise([{A: S, B: P}, {B: P, C: F}, {}])

    assert summary["per_test"][A] == {"passes": 0, "failures": 0}
    assert summary["flaky"] == []
    assert summary["always_failed"] == [C]
    assert summary["tests"] == 3


def test_no_runs_give_a_zero_rate_rather_than_a_division_error():
    assert flake.summarise([]) == {
        "runs": 0,
        "tests": 0,
        "flaky": [],
        "always_failed": [],
        "flake_rate": 0.0,
        "per_test": {},
    }


def test_each_run_is_the_whole_e2e_suite_in_random_order_on_two_workers_without_retries(
    tmp_path,
):
    command = flake.pytest_command(
        seed=42,
        junit=tmp_path / "run.xml",
        output=tmp_path / "out",
        allure=tmp_path / "allure",
        workers=2,
        extra=["-x"],
    )

    assert command[1:4] == ["-m", "pytest", "e2e"]
    assert command[command.index("-n") + 1] == "2"
    assert ["-p", "randomly", "--randomly-seed=42"] == command[6:9]
    assert command[command.index("--reruns") + 1] == "0"
    assert f"--junitxml={tmp_path / 'run.xml'}" in command
    assert f"--alluredir={tmp_path / 'allure'}" in command
    assert command[-1] == "-x"
    assert "--project" not in command and "--browser" not in command, "every project runs"


def test_arguments_need_a_positive_run_count_and_pass_extra_ones_to_pytest():
    args = flake.parse_args(["--runs", "3", "--json", "out.json", "--", "-m", "chaos"])
    assert (args.runs, args.json, args.pytest_args) == (3, Path("out.json"), ["-m", "chaos"])
    with pytest.raises(SystemExit):
        flake.parse_args(["--runs", "0", "--json", "out.json"])


@pytest.fixture
def ordered_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """Thirty tests in one file, with random order blocked in addopts as pyproject does."""
    pytester.makeini("[pytest]\naddopts = -p no:randomly\n")
    pytester.makepyfile("\n".join(f"def test_{index:02d}():\n    pass\n" for index in range(30)))
    return pytester


def _collected(project: pytest.Pytester, *args: str) -> list[str]:
    result = project.runpytest_subprocess("--collect-only", "-q", *args)
    return [line.split("::")[-1] for line in result.outlines if "::test_" in line]


def test_the_random_order_arguments_override_the_blocked_plugin_and_follow_the_seed(
    ordered_project,
):
    file_order = _collected(ordered_project)
    first = _collected(ordered_project, *flake.random_order_args(1))
    again = _collected(ordered_project, *flake.random_order_args(1))
    second = _collected(ordered_project, *flake.random_order_args(2))

    assert file_order == [f"test_{index:02d}" for index in range(30)], "addopts did not block it"
    assert sorted(first) == file_order
    assert first != file_order, "seed 1 left the tests in file order: random order is off"
    assert first == again, "the same seed gave two orders"
    assert second != first, "two seeds gave the same order"
