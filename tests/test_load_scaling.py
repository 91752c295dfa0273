"""scripts/load_scaling.py's own logic: throughput against linear scaling, the knee, which of
the machine and the platform ran out, and the table, over reports made by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from load_scaling import (
    against_linear,
    knee,
    limit_of,
    markdown,
    plot,
    scaling_figure,
    step_figures,
)

from fixtures.load.report import Thresholds, build_report, delivery_check

LIMITS = Thresholds(api_p95_ms=200, ws_p95_ms=50, tti_ms=2000, user_errors=0)


def step(
    users: int,
    throughput: float,
    *,
    p95_misses: list[str] | None = None,
    busy: float = 50.0,
    stolen: float = 0.0,
    **cpu: float,
) -> dict[str, Any]:
    return {
        "protocol_users": users,
        "throughput": throughput,
        "p95_misses": p95_misses or [],
        "cpu": {"platform": 0.0, **cpu},
        "machine_busy_percent": busy,
        "machine_stolen_percent": stolen,
    }


def report_at(users: int, dashboard_p95: float, rps: float) -> dict[str, Any]:
    return build_report(
        browser_users=2, extra_connections=1000, connected=1000, journeys_completed=6,
        journeys_attempted=6, user_errors=[], request_durations={"GET /api/v1/jobs": [30.0]},
        ws_delays=[5.0], crowd_ws_delays={}, tti_values={"dashboard": [800.0]},
        locust={
            "GET /api/v1/dashboard": {
                "count": 100, "failures": 0, "p50": 10.0, "p95": dashboard_p95, "p99": 300.0,
                "requests_per_s": rps,
            },
        },
        cpu={"percent_of_one_core": {"platform": 60.0, "Locust": 30.0}, "machine_busy_percent": 70,
             "cores": 2},
        thresholds=LIMITS, duration_s=60.0, protocol_users=users,
        delivery=delivery_check({"ecosystem:1": [1]}, {}, hours=0.0001),
    )  # fmt: skip


def test_throughput_is_held_against_linear_scaling_from_the_first_step() -> None:
    steps = [step(10, 5.0), step(50, 25.0), step(100, 40.0), step(200, 40.0)]

    assert against_linear(steps) == [1.0, 1.0, 0.8, 0.4]


def test_no_linear_figure_without_a_first_throughput() -> None:
    assert against_linear([step(10, 0.0), step(50, 3.0)]) == [None, None]


def test_the_knee_is_the_most_users_before_the_first_p95_miss() -> None:
    steps = [
        step(10, 5.0),
        step(50, 25.0),
        step(100, 40.0, p95_misses=["protocol users' API p95 of GET /api/v1/dashboard"]),
        step(200, 41.0),  # a lucky pass after a miss is not capacity
    ]

    assert knee(steps) == 50
    assert knee(steps[:1]) == 10
    assert knee([step(10, 5.0, p95_misses=["WebSocket delivery p95"])]) is None


@pytest.mark.parametrize(
    ("cpu", "expected"),
    [
        ({"platform": 92.0, "busy": 95.0}, "platform (its process at 92%"),
        ({"platform": 40.0, "Locust": 80.0, "browsers": 50.0, "busy": 97.0}, "machine (97% busy"),
        ({"platform": 40.0, "busy": 60.0}, "neither"),
        ({"platform": 92.0, "busy": 60.0, "stolen": 30.0}, "machine (the hypervisor took 30%"),
    ],
)
def test_the_limit_is_named_from_the_cpu_figures(cpu: dict[str, float], expected: str) -> None:
    assert limit_of(step(100, 40.0, **cpu)).startswith(expected)


def test_a_report_becomes_a_step_and_a_row(tmp_path: Path) -> None:
    steps = [step_figures(report_at(10, 40.0, 4.0)), step_figures(report_at(50, 250.0, 15.0))]

    assert steps[0]["protocol_api_p95_ms"] == 40.0
    assert steps[1]["p95_misses"] == ["protocol users' API p95 of GET /api/v1/dashboard"]
    assert knee(steps) == 10
    table = markdown(steps).splitlines()
    assert table[0].startswith("| protocol users | browser users | req/s | vs linear |")
    assert table[3].startswith("| 50 | 2 | 15.0 | 75% |")
    assert plot(steps, tmp_path / "scaling.png", knee_users=10).stat().st_size > 0


def test_the_cpu_bars_stand_at_their_steps_users_on_the_shared_axis() -> None:
    steps = [step_figures(report_at(users, 40.0, users / 2)) for users in (10, 100, 500)]

    figure = scaling_figure(steps, knee_users=100)
    cpu = figure.axes[2]
    # One bar per step and CPU group; each centred on its step's users (log axis).
    centres = sorted({round(bar.get_x() + bar.get_width() / 2) for bar in cpu.patches})
    assert centres == [10, 100, 500]
    assert cpu.get_xscale() == "log"
