"""The recorder's snapshot read into a Timeline, and the recorder script's settings."""

from __future__ import annotations

from fixtures.tti.probe import (
    LATE_WITNESS_NOTE,
    NO_WITNESS_NOTE,
    RECORDER_SOURCE,
    RecorderSettings,
    timeline_from_snapshot,
    without_comment_lines,
)
from fixtures.tti.timeline import METHOD_HEARTBEAT, METHOD_LONGTASK, Request, Task, compute_tti


def snapshot(**overrides) -> dict:
    base = {
        "url": "http://127.0.0.1:8000/dashboard",
        "method": METHOD_LONGTASK,
        "now": 7000.0,
        "observedUntil": 7000.0,
        "fcp": 120.0,
        "lcp": 180.0,
        "dcl": 100.0,
        "load": 150.0,
        "firstInput": None,
        "tasks": [[300.0, 80.0], [900.0, 45.0]],
        "heartbeat": None,
        "requests": [[0, 20.0, "GET", 200], [200.0, None, "POST", None]],
    }
    return {**base, **overrides}


def test_long_task_snapshots_keep_the_browsers_tasks_and_requests():
    timeline = timeline_from_snapshot(snapshot())

    assert timeline.method == METHOD_LONGTASK
    assert timeline.tasks == (Task(300.0, 80.0), Task(900.0, 45.0))
    assert timeline.requests[1] == Request(200.0, None, "POST", None)
    assert timeline.notes == ()
    assert compute_tti(timeline).tti_ms == 380.0


def test_heartbeat_snapshots_become_inferred_tasks_marked_on_the_result():
    heartbeat = {
        "delayMs": 8,
        "gaps": [[296.0, 404.0], [2000.0, 2300.0]],
        "witnessGaps": [[1996.0, 2302.0]],
        "witness": True,
        "ticks": 600,
        "stoppedAt": 7000.0,
    }

    result = compute_tti(
        timeline_from_snapshot(snapshot(method=METHOD_HEARTBEAT, tasks=[], heartbeat=heartbeat))
    )

    assert result.method == METHOD_HEARTBEAT
    assert result.tti_ms == 404.0
    assert "timer heartbeat" in result.notes[0]


def test_long_tasks_from_before_the_witness_started_watching_are_marked():
    # The witness starts when the main thread first falls behind: the gap that started it
    # (here 296-404) is judged without it; the later one is watched.
    heartbeat = {
        "delayMs": 16,
        "gaps": [[296.0, 404.0], [2000.0, 2300.0]],
        "witnessGaps": [],
        "witness": True,
        "witnessRequestedAt": 404.0,
        "witnessSince": 431.0,
    }

    timeline = timeline_from_snapshot(snapshot(method=METHOD_HEARTBEAT, heartbeat=heartbeat))

    assert LATE_WITNESS_NOTE.format(count=1) in timeline.notes


def test_a_witness_watching_before_every_long_task_adds_no_note():
    heartbeat = {
        "delayMs": 16,
        "gaps": [[2000.0, 2300.0]],
        "witnessGaps": [],
        "witness": True,
        "witnessRequestedAt": 120.0,
        "witnessSince": 150.0,
    }

    timeline = timeline_from_snapshot(snapshot(method=METHOD_HEARTBEAT, heartbeat=heartbeat))

    assert len(timeline.notes) == 1
    assert "timer heartbeat" in timeline.notes[0]


def test_a_heartbeat_without_its_witness_says_so():
    heartbeat = {"delayMs": 8, "gaps": [], "witnessGaps": [], "witness": False}

    timeline = timeline_from_snapshot(snapshot(method=METHOD_HEARTBEAT, heartbeat=heartbeat))

    assert NO_WITNESS_NOTE in timeline.notes


def test_the_recorder_script_carries_its_settings_before_the_recorder():
    script = RecorderSettings(quiet_window_ms=3000, heartbeat_delay_ms=16).script()

    config_line, recorder = script.split("\n", 1)
    assert config_line.startswith("window.__ttiRecorderConfig = ")
    assert '"quietWindowMs": 3000' in config_line
    assert '"heartbeatDelayMs": 16' in config_line
    assert "__ttiRecorder" in recorder


def test_the_recorder_script_leaves_out_whole_line_comments_and_nothing_else():
    source = 'const a = "// not a comment";\n  // a comment\n\n    let b = 1; // kept\n'

    assert without_comment_lines(source) == 'const a = "// not a comment";\nlet b = 1; // kept\n'
    recorder = RecorderSettings().script().split("\n", 1)[1]
    assert len(recorder) < 0.8 * len(RECORDER_SOURCE)
    assert not any(line.startswith("//") for line in recorder.splitlines())
