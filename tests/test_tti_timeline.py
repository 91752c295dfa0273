"""The TTI computation on synthetic timelines: Lighthouse's observed TTI, its clamps and edges."""

from __future__ import annotations

import pytest

from fixtures.tti.timeline import (
    METHOD_HEARTBEAT,
    HeartbeatGap,
    Request,
    Task,
    Timeline,
    compute_tti,
    network_quiet_periods,
    tasks_from_heartbeat,
    total_blocking_time,
)

WINDOW = 5000.0


def timeline(
    *,
    tasks: tuple[Task, ...] = (),
    requests: tuple[Request, ...] = (),
    fcp: float | None = 100.0,
    dcl: float | None = 80.0,
    until: float = 20_000.0,
    method: str = "longtask",
) -> Timeline:
    return Timeline(
        observed_until_ms=until,
        fcp_ms=fcp,
        dcl_ms=dcl,
        lcp_ms=fcp,
        tasks=tasks,
        requests=requests,
        method=method,
    )


def busy_network(start: float, end: float, count: int = 3) -> tuple[Request, ...]:
    return tuple(Request(start_ms=start, end_ms=end) for _ in range(count))


def test_without_long_tasks_tti_is_the_later_of_fcp_and_dcl():
    result = compute_tti(timeline(fcp=300.0, dcl=450.0, until=6000.0))

    assert result.complete
    assert result.tti_ms == 450.0
    assert result.tbt_ms == 0.0
    assert result.display == "450 ms"


def test_fcp_clamps_tti_when_it_comes_after_the_last_long_task():
    result = compute_tti(timeline(tasks=(Task(10.0, 60.0),), fcp=500.0, dcl=90.0))

    assert result.tti_ms == 500.0


def test_one_late_task_sets_tti_at_its_end():
    result = compute_tti(timeline(tasks=(Task(1500.0, 200.0),)))

    assert result.complete
    assert result.tti_ms == 1700.0
    assert result.tbt_ms == 150.0
    assert result.longest_tasks == (Task(1500.0, 200.0),)


def test_a_task_of_exactly_fifty_ms_is_long_and_one_just_under_is_not():
    exactly = compute_tti(timeline(tasks=(Task(1000.0, 50.0),)))
    just_under = compute_tti(timeline(tasks=(Task(1000.0, 49.9),)))

    assert exactly.tti_ms == 1050.0
    assert exactly.tbt_ms == 0.0
    assert just_under.tti_ms == 100.0


def test_clustered_tasks_are_not_merged_and_tti_is_the_end_of_the_last():
    tasks = (Task(300.0, 120.0), Task(500.0, 80.0), Task(650.0, 150.0), Task(1050.0, 90.0))

    result = compute_tti(timeline(tasks=tasks))

    assert result.tti_ms == 1140.0
    assert result.tbt_ms == pytest.approx(70.0 + 30.0 + 100.0 + 40.0)
    assert [t.duration_ms for t in result.longest_tasks] == [150.0, 120.0, 90.0, 80.0]


def test_a_quiet_period_of_exactly_the_window_counts():
    tasks = (Task(400.0, 100.0), Task(5500.0, 100.0))

    result = compute_tti(timeline(tasks=tasks))

    assert result.tti_ms == 500.0


def test_a_task_after_a_quiet_gap_just_short_of_the_window_moves_tti_past_it():
    tasks = (Task(300.0, 100.0), Task(5300.0, 100.0))

    result = compute_tti(timeline(tasks=tasks))

    assert result.tti_ms == 5400.0
    assert result.tbt_ms == 100.0


def test_a_window_must_end_later_than_fcp_plus_the_window():
    # CPU quiet from 0 to 5100 is long enough but ends exactly at FCP + window: not counted.
    tasks = (Task(5100.0, 60.0),)

    result = compute_tti(timeline(tasks=tasks, fcp=100.0, dcl=50.0))

    assert result.tti_ms == 5160.0


def test_a_task_straddling_fcp_counts_only_after_fcp_for_blocking_time():
    tasks = (Task(100.0, 200.0),)

    result = compute_tti(timeline(tasks=tasks, fcp=200.0, dcl=150.0))

    assert result.tti_ms == 300.0
    assert result.tbt_ms == 50.0


def test_blocking_time_ignores_a_task_whose_part_after_fcp_is_under_fifty_ms():
    assert total_blocking_time([Task(100.0, 120.0)], start_ms=190.0, end_ms=1000.0) == 0.0
    assert total_blocking_time([Task(100.0, 120.0)], start_ms=0.0, end_ms=1000.0) == 70.0


def test_network_busy_past_the_cpu_window_holds_the_result_open():
    tasks = (Task(400.0, 100.0),)
    requests = busy_network(600.0, 4000.0)

    still_busy = compute_tti(timeline(tasks=tasks, requests=requests, until=8999.0))
    quiet_long_enough = compute_tti(timeline(tasks=tasks, requests=requests, until=9000.0))

    assert not still_busy.complete
    assert still_busy.display == "> 500 ms"
    assert quiet_long_enough.complete
    assert quiet_long_enough.tti_ms == 500.0


def test_cpu_and_network_quiet_must_overlap_by_a_whole_window():
    # CPU quiet 500..6000 overlaps network quiet (from 4000) by only 2000 ms, so the next
    # CPU-quiet period, after the task at 6000, is the one that counts.
    tasks = (Task(400.0, 100.0), Task(6000.0, 80.0))
    requests = busy_network(600.0, 4000.0)

    result = compute_tti(timeline(tasks=tasks, requests=requests))

    assert result.tti_ms == 6080.0


def test_two_requests_in_flight_still_count_as_network_quiet():
    tasks = (Task(400.0, 100.0),)
    requests = busy_network(600.0, 15_000.0, count=2)

    result = compute_tti(timeline(tasks=tasks, requests=requests, until=5600.0))

    assert result.complete
    assert result.tti_ms == 500.0


def test_only_successful_get_requests_keep_the_network_busy():
    posts = tuple(Request(600.0, 15_000.0, method="POST") for _ in range(3))
    failed = tuple(Request(600.0, 15_000.0, status=503) for _ in range(3))
    errored = tuple(Request(600.0, 15_000.0, status=0) for _ in range(3))

    for requests in (posts, failed, errored):
        assert network_quiet_periods(requests, 20_000.0)[0].start_ms == 0.0
        assert compute_tti(timeline(requests=requests)).complete


def test_a_request_still_in_flight_keeps_the_network_busy_to_the_end():
    # Lighthouse would drop the three unfinished requests; they are known to be running.
    requests = (Request(600.0, 1000.0), *(Request(650.0 + i, None) for i in range(3)))

    result = compute_tti(timeline(requests=requests, until=30_000.0))

    assert not result.complete
    assert result.tti_ms == 100.0
    assert "observation ended at 30000 ms" in result.notes[-1]


def test_a_window_cut_off_by_the_end_of_observation_gives_a_lower_bound():
    result = compute_tti(timeline(tasks=(Task(2000.0, 300.0),), until=6000.0))

    assert not result.complete
    assert result.tti_ms == 2300.0
    assert result.exceeds(2000.0)
    assert not result.exceeds(2300.0)
    assert result.display == "> 2300 ms"


def test_no_paint_yet_gives_a_lower_bound_at_the_end_of_observation():
    result = compute_tti(timeline(fcp=None, until=7000.0))

    assert not result.complete
    assert result.tti_ms == 7000.0
    assert "no first contentful paint" in result.notes[-1]


def test_dcl_not_fired_yet_gives_a_lower_bound_at_the_end_of_observation():
    result = compute_tti(timeline(dcl=None, until=7000.0))

    assert not result.complete
    assert result.tti_ms == 7000.0


def test_a_shorter_quiet_window_is_a_setting():
    tasks = (Task(300.0, 100.0), Task(2300.0, 100.0))

    short = compute_tti(timeline(tasks=tasks, until=3000.0), quiet_window_ms=1000.0)
    default = compute_tti(timeline(tasks=tasks, until=3000.0))

    assert short.complete and short.tti_ms == 400.0
    assert short.quiet_window_ms == 1000.0
    assert not default.complete


def test_heartbeat_gaps_become_tasks_ending_at_the_late_tick():
    gaps = [HeartbeatGap(1000.0, 1208.0), HeartbeatGap(2000.0, 2040.0)]

    tasks = tasks_from_heartbeat(gaps, timer_delay_ms=8.0)

    assert tasks == (Task(1004.0, 204.0),)
    assert tasks[0].end_ms == 1208.0


def test_a_heartbeat_gap_is_long_only_when_its_estimate_reaches_fifty_ms():
    assert tasks_from_heartbeat([HeartbeatGap(0.0, 54.0)], timer_delay_ms=8.0) == (Task(4.0, 50.0),)
    assert tasks_from_heartbeat([HeartbeatGap(0.0, 53.9)], timer_delay_ms=8.0) == ()


def test_heartbeat_timelines_give_tti_from_the_coarser_data():
    tasks = tasks_from_heartbeat(
        [HeartbeatGap(296.0, 404.0), HeartbeatGap(5296.0, 5404.0)], timer_delay_ms=8.0
    )

    result = compute_tti(timeline(tasks=tasks, method=METHOD_HEARTBEAT))

    assert result.method == METHOD_HEARTBEAT
    assert result.tti_ms == 5404.0
    assert result.tbt_ms == pytest.approx(2 * (104.0 - 50.0))


def test_the_result_serialises_with_its_display_value():
    data = compute_tti(timeline(tasks=(Task(1500.0, 200.0),))).to_dict()

    assert data["display"] == "1700 ms"
    assert data["longest_tasks"] == [{"start_ms": 1500.0, "duration_ms": 200.0}]
    assert data["complete"] is True


def test_stalls_the_witness_thread_shared_are_not_the_pages_work():
    gaps = [HeartbeatGap(1000.0, 1400.0)]
    witness = [HeartbeatGap(996.0, 1398.0)]

    assert tasks_from_heartbeat(gaps, timer_delay_ms=8.0, witness_gaps=witness) == ()


def test_a_task_followed_by_a_shared_stall_ends_where_the_stall_begins():
    # The page worked 1000..1200; then the whole process waited for the CPU until 1400.
    gaps = [HeartbeatGap(1000.0, 1400.0)]
    witness = [HeartbeatGap(1200.0, 1402.0)]

    (task,) = tasks_from_heartbeat(gaps, timer_delay_ms=8.0, witness_gaps=witness)

    assert task.end_ms == 1200.0
    assert task.duration_ms == 196.0


def test_a_witness_stall_elsewhere_leaves_the_task_whole():
    gaps = [HeartbeatGap(1000.0, 1208.0)]
    witness = [HeartbeatGap(3000.0, 3100.0)]

    assert tasks_from_heartbeat(gaps, timer_delay_ms=8.0, witness_gaps=witness) == (
        Task(1004.0, 204.0),
    )
