"""fixtures/progress.py: the line long work prints per step."""

from __future__ import annotations

from fixtures.progress import Progress


def test_each_step_says_where_the_command_is_and_estimates_the_rest() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = Progress(total=4, clock=lambda: now[0], write=lines.append)

    progress.starting("run 1 …")
    now[0] = 60.0
    progress.finished("run 1: 10 passed")
    progress.starting("run 2 …")
    now[0] = 180.0
    progress.finished("run 2: 9 passed, 1 failed")

    assert lines == [
        "[1/4 · 0.0 min so far] run 1 …",
        "[1/4 · 1.0 min so far · ~3.0 min left] run 1: 10 passed",
        "[2/4 · 1.0 min so far · ~3.0 min left] run 2 …",
        "[2/4 · 3.0 min so far · ~3.0 min left] run 2: 9 passed, 1 failed",
    ]


def test_long_runs_are_told_in_whole_minutes() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = Progress(total=3, clock=lambda: now[0], write=lines.append)
    now[0] = 1500.0
    progress.finished("break 1: killed")

    assert lines == ["[1/3 · 25 min so far · ~50 min left] break 1: killed"]
