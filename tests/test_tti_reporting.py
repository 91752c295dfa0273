"""Budgets, verdicts, failure messages and the session summary of the TTI probe."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures.settings import TtiSettings
from fixtures.tti.budgets import (
    VERDICT_OVER,
    VERDICT_UNCONFIRMED,
    VERDICT_WITHIN,
    TtiBudgets,
    failure_message,
    verdict,
)
from fixtures.tti.plugin import summary_table, write_summary
from fixtures.tti.timeline import Task, Timeline, compute_tti


def result_with(tasks: tuple[Task, ...], *, until: float = 20_000.0):
    return compute_tti(
        Timeline(observed_until_ms=until, fcp_ms=100.0, dcl_ms=90.0, tasks=tasks, url="http://x/")
    )


def test_budgets_come_from_the_config_section_with_a_default():
    budgets = TtiBudgets.from_settings(
        TtiSettings.model_validate(
            {"quietWindowMs": 4000, "budgetsMs": {"default": 1500, "dashboard": 2500}}
        )
    )

    assert budgets.quiet_window_ms == 4000.0
    assert budgets.budget_for("dashboard") == 2500.0
    assert budgets.budget_for("login") == 1500.0


def test_without_a_config_section_the_definitions_defaults_apply():
    budgets = TtiBudgets.from_settings(None)

    assert budgets.quiet_window_ms == 5000.0
    assert budgets.budget_for("anything") == 2000.0


def test_verdicts_separate_within_over_and_unconfirmed():
    complete = result_with((Task(1000.0, 300.0),))
    lower_bound_over = result_with((Task(2500.0, 100.0),), until=4000.0)
    lower_bound_under = result_with((Task(500.0, 100.0),), until=4000.0)

    assert verdict(complete, 2000.0) == VERDICT_WITHIN
    assert verdict(complete, 1200.0) == VERDICT_OVER
    assert verdict(lower_bound_over, 2000.0) == VERDICT_OVER
    assert verdict(lower_bound_under, 2000.0) == VERDICT_UNCONFIRMED


def test_a_budget_failure_names_screen_value_budget_and_longest_tasks():
    result = result_with((Task(1000.0, 300.0), Task(2000.0, 400.0)))

    message = failure_message("dashboard", result, 2000.0)

    assert "'dashboard' is 2400 ms, over its budget of 2000 ms" in message
    assert "longest tasks: 400 ms at 2000 ms, 300 ms at 1000 ms" in message
    assert "page: http://x/" in message


def test_an_unconfirmed_result_says_it_could_not_be_confirmed():
    result = result_with((Task(500.0, 100.0),), until=4000.0)

    message = failure_message("jobs", result, 2000.0)

    assert "could not be confirmed within its budget of 2000 ms: it is > 600 ms" in message
    assert "note: observation ended at 4000 ms" in message


def _entry(screen: str, browser: str, display: str) -> dict:
    result = result_with((Task(1000.0, 300.0),)).to_dict()
    return {
        "test": f"e2e/test_x.py::test_y[{browser}]",
        "project": None,
        "browser": browser,
        "screen": screen,
        "budget_ms": 2000.0,
        "verdict": VERDICT_WITHIN,
        **result,
        "display": display,
    }


def test_the_summary_table_has_a_row_per_screen_and_browser():
    lines = summary_table(
        [_entry("login", "firefox", "1300 ms"), _entry("dashboard", "chromium", "1300 ms")]
    )

    assert lines[0].split()[:3] == ["screen", "browser", "TTI"]
    assert lines[1].startswith("dashboard")
    assert lines[2].startswith("login")
    assert "within budget" in lines[2]


def test_the_summary_file_lists_every_screen_per_browser(tmp_path: Path):
    path = tmp_path / "out" / "tti-summary.json"
    passes = [{"browser": "chromium", "mode": "pipelined", "wall_s": 9.5}]

    write_summary(
        [_entry("login", "chromium", "120 ms"), _entry("login", "firefox", "150 ms")],
        passes,
        path,
    )

    summary = json.loads(path.read_text())
    assert summary["screens"] == {"login": {"chromium": "120 ms", "firefox": "150 ms"}}
    assert summary["passes"] == passes
    assert len(summary["results"]) == 2
