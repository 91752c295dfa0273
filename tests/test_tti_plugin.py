"""The `tti` fixture's plugin in a pytest run of its own: Allure-free recording and the summary,
with and without xdist workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

RECORDING_TESTS = """
import pytest
from fixtures.tti.timeline import Task, Timeline, compute_tti


def result(last_task_start):
    return compute_tti(Timeline(
        observed_until_ms=20000.0, fcp_ms=100.0, dcl_ms=90.0,
        tasks=(Task(last_task_start, 100.0),),
    ))


@pytest.mark.parametrize("screen,start", [("login", 200.0), ("dashboard", 900.0)])
def test_records(tti, screen, start):
    budget = tti.record(screen, result(start), browser="chromium")
    assert budget == 2000.0
"""


@pytest.fixture
def tti_run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # The run happens in a scratch folder, outside this repository's conftest.
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_recording=RECORDING_TESTS)
    return pytester


def _summary(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "out" / "tti-summary.json").read_text())


def test_results_are_summarised_in_the_terminal_and_in_a_file(tti_run: pytest.Pytester):
    run = tti_run.runpytest_subprocess("-p", "fixtures.tti.plugin", "--output", "out")

    run.assert_outcomes(passed=2)
    run.stdout.fnmatch_lines(
        ["*time to interactive*", "screen*browser*TTI*", "dashboard*chromium*1000 ms*"]
    )
    assert _summary(tti_run)["screens"] == {
        "dashboard": {"chromium": "1000 ms"},
        "login": {"chromium": "300 ms"},
    }


def test_xdist_workers_hand_their_results_to_one_summary(tti_run: pytest.Pytester):
    run = tti_run.runpytest_subprocess("-p", "fixtures.tti.plugin", "--output", "out", "-n", "2")

    run.assert_outcomes(passed=2)
    summary = _summary(tti_run)
    assert sorted(entry["screen"] for entry in summary["results"]) == ["dashboard", "login"]
    assert not list((tti_run.path / "out").glob("tti-summary-*.json"))


LIVE_LINE_TEST = """
def test_says_where_the_pass_is(tti):
    print("captured, shown only for a failure")
    tti.say("TTI pass in chromium, pipelined: 14 screens")
"""


def test_a_pass_speaks_to_the_terminal_while_the_test_runs(pytester: pytest.Pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_live=LIVE_LINE_TEST)

    run = pytester.runpytest_subprocess("-p", "fixtures.tti.plugin", "--output", "out")

    run.assert_outcomes(passed=1)
    run.stdout.fnmatch_lines(
        ["test_live.py*", "TTI pass in chromium, pipelined: 14 screens", ".*100%*"]
    )
    assert "captured, shown only" not in run.stdout.str()
