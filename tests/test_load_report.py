"""The load report's own logic: percentiles, routes, threshold verdicts with "missed by",
the JSON document's shape and the config's `load` section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.load.browser_metrics import server_timing_ms
from fixtures.load.connections import require_loopback
from fixtures.load.locust_runner import read_stats
from fixtures.load.report import (
    Thresholds,
    build_report,
    failure_message,
    judge,
    percentile,
    route_of,
    summarise,
    table_lines,
)
from fixtures.settings import ConfigError, read_config

ORIGIN = "http://127.0.0.1:8123"
LIMITS = Thresholds(api_p95_ms=200, ws_p95_ms=50, tti_ms=2000, user_errors=0)
CONFIG_FILE = Path(__file__).resolve().parent.parent / "playwright.config.json"


def make_report(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "browser_users": 10,
        "extra_connections": 1000,
        "connected": 1000,
        "journeys_completed": 20,
        "journeys_attempted": 20,
        "user_errors": [],
        "request_durations": {
            "GET /api/v1/dashboard": [10.0, 20.0, 30.0],
            "GET /dashboard": [400.0],
        },
        "ws_delays": [1.0, 2.0, 3.0, 4.0],
        "crowd_ws_delays": {"count": 2, "p50": 5.0, "p95": 9.0, "p99": 9.0},
        "tti_values": {"dashboard": [900.0, 1100.0]},
        "locust": {},
        "cpu": {},
        "thresholds": LIMITS,
        "duration_s": 61.234,
    }
    arguments.update(overrides)
    return build_report(**arguments)


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_none_and_out_of_range_is_refused() -> None:
    assert percentile([], 95) is None
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_summary_holds_count_and_three_percentiles() -> None:
    assert summarise([1.0, 2.0, 3.0]) == {"count": 3, "p50": 2.0, "p95": 2.9, "p99": 3.0}
    assert summarise([]) == {"count": 0, "p50": None, "p95": None, "p99": None}


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("get", f"{ORIGIN}/api/v1/jobs/12", "GET /api/v1/jobs/{id}"),
        ("GET", f"{ORIGIN}/api/v1/jobs/12/export?format=csv", "GET /api/v1/jobs/{id}/export"),
        ("POST", f"{ORIGIN}/templates/new", "POST /templates/new"),
        ("GET", f"{ORIGIN}/observatory/3?page=2", "GET /observatory/{id}"),
        ("GET", f"{ORIGIN}/static/js/job.js", None),
        ("GET", "http://127.0.0.1:9999/api/v1/me", None),
        ("GET", "https://example.com/api/v1/me", None),
    ],
)
def test_requests_are_grouped_by_route_and_only_the_platforms_count(
    method: str, url: str, expected: str | None
) -> None:
    assert route_of(method, url, ORIGIN) == expected


def test_report_carries_the_keys_the_issue_names() -> None:
    report = make_report()

    assert {
        "browser_users",
        "extra_connections",
        "journeys_completed",
        "user_errors",
        "api_p95_ms",
        "ws_p95_ms",
        "tti_p95_ms",
    } <= set(report)
    assert report["api_p95_ms"] == {"GET /api/v1/dashboard": 29.0}
    assert report["page_ms"]["GET /dashboard"]["p95"] == 400.0
    assert report["ws_p95_ms"] == 3.9
    assert report["tti_p95_ms"] == {"dashboard": 1090.0}
    assert report["verdict"] == {"passed": True, "misses": []}
    json.dumps(report)  # the report is written as JSON as it is


def test_a_route_over_its_p95_limit_is_named_with_how_much_it_missed_by() -> None:
    report = make_report(request_durations={"GET /api/v1/jobs": [150.0] * 90 + [260.0] * 10})

    misses = judge(report, LIMITS)

    assert [miss.figure for miss in misses] == ["API p95 of GET /api/v1/jobs"]
    assert misses[0].missed_by == pytest.approx(60.0)
    assert misses[0].message() == (
        "API p95 of GET /api/v1/jobs is 260 ms, over the limit of 200 ms: missed by 60 ms"
    )
    assert report["verdict"]["passed"] is False
    assert report["verdict"]["misses"][0]["missed_by"] == pytest.approx(60.0)


def test_page_requests_are_reported_but_not_judged_against_the_api_limit() -> None:
    report = make_report(request_durations={"GET /observatory/{id}": [900.0]})

    assert judge(report, LIMITS) == []
    assert report["api_p95_ms"] == {}


def test_websocket_tti_and_errors_are_each_judged() -> None:
    report = make_report(
        ws_delays=[80.0] * 20,
        tti_values={"ecosystem": [2500.0]},
        user_errors=["user 3: the dataset journey failed: AssertionError: progress stopped"],
    )

    messages = [miss.message() for miss in judge(report, LIMITS)]

    assert messages == [
        "WebSocket delivery p95 is 80 ms, over the limit of 50 ms: missed by 30 ms",
        "TTI p95 of the ecosystem screen is 2500 ms, over the limit of 2000 ms: missed by 500 ms",
        "errors seen by users is 1, over the limit of 0: missed by 1",
    ]


def test_a_p95_equal_to_its_limit_misses_it_and_a_tti_equal_to_its_budget_does_not() -> None:
    report = make_report(ws_delays=[50.0], tti_values={"dashboard": [2000.0]})

    assert [miss.figure for miss in judge(report, LIMITS)] == ["WebSocket delivery p95"]


def test_failure_message_lists_each_miss_and_the_report() -> None:
    report = make_report(ws_delays=[75.0])

    message = failure_message(judge(report, LIMITS), report_path="test-results/load-report.json")

    assert message.splitlines() == [
        "1 figure(s) of the load run missed their threshold:",
        "- WebSocket delivery p95 is 75 ms, over the limit of 50 ms: missed by 25 ms",
        "report: test-results/load-report.json",
    ]


def test_table_has_a_row_per_figure_and_a_verdict() -> None:
    lines = table_lines(make_report())

    assert lines[0].split() == ["figure", "count", "p50", "p95", "p99", "limit"]
    assert any(line.startswith("API GET /api/v1/dashboard") for line in lines)
    assert any(line.startswith("WebSocket delivery (crowd)") for line in lines)
    assert lines[-1] == "verdict: passed"


def test_the_platforms_part_of_a_browser_request_is_shown_under_it_and_not_judged() -> None:
    report = make_report(
        request_durations={"GET /api/v1/dashboard": [250.0, 260.0, 270.0]},
        server_durations={"GET /api/v1/dashboard": [4.0, 5.0, 6.0], "GET /dashboard": [9.0]},
    )

    lines = table_lines(report)
    at = next(i for i, line in enumerate(lines) if line.startswith("API GET /api/v1/dashboard"))
    assert lines[at + 1].split()[:6] == ["of", "which", "the", "platform's", "3", "5"]
    assert list(report["api_server_ms"]) == ["GET /api/v1/dashboard"]
    assert [m["figure"] for m in report["verdict"]["misses"]] == [
        "API p95 of GET /api/v1/dashboard"
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("app;dur=12.5", 12.5), ("db;dur=3, app;dur=7", 7.0), ("cache;desc=hit", None), (None, None)],
)
def test_server_timing_gives_the_platforms_milliseconds(header, expected) -> None:
    assert server_timing_ms(header) == expected


def test_the_cpu_line_says_what_the_hypervisor_took_and_how_fast_the_machine_was() -> None:
    cpu = {
        "cores": 2,
        "percent_of_one_core": {"platform": 76.0},
        "waited_for_cpu_seconds": {"platform": 512.0},
        "machine_busy_percent": 59.0,
        "machine_stolen_percent": 19.0,
        "reference_work_ms": {"argon2id_verify_ms": 34.5, "python_loop_ms": 14.9},
    }

    line = next(line for line in table_lines(make_report(cpu=cpu)) if line.startswith("CPU"))

    assert "machine busy 59%, stolen by the hypervisor 19%" in line
    assert "one argon2id verification took 34.5 ms and a plain-Python loop 14.9 ms" in line


def test_load_generators_refuse_anything_but_loopback() -> None:
    require_loopback("ws://127.0.0.1:8000/ws")
    with pytest.raises(ValueError, match="only sent to loopback"):
        require_loopback("http://10.0.0.8:8000")


def test_locust_csv_is_read_per_request_name(tmp_path: Path) -> None:
    stats = tmp_path / "run_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,50%,95%,99%,Requests/s\n"
        "GET,GET /api/v1/jobs,40,1,12,80,95,2.5\n"
        ",Aggregated,40,1,12,80,95,2.5\n",
        encoding="utf-8",
    )

    figures = read_stats(stats)

    assert figures["GET /api/v1/jobs"] == {
        "count": 40, "failures": 1, "p50": 12.0, "p95": 80.0, "p99": 95.0, "requests_per_s": 2.5,
    }  # fmt: skip
    assert figures["all requests"]["count"] == 40


def test_config_load_section_has_the_issue_defaults() -> None:
    load = read_config(CONFIG_FILE).load

    assert (load.protocol_users, load.browser_users, load.extra_connections) == (100, 2, 1000)
    assert (load.characters, load.records) == (10_000, 10_000)
    assert load.thresholds.api_p95_ms == 200
    assert load.thresholds.ws_p95_ms == 50
    assert load.thresholds.tti_ms == 2000
    assert load.thresholds.user_errors == 0
    assert load.thresholds.lost == 0
    # Two ecosystems meeting twice a second each: 14,400 an hour, over the 10,000 asked for.
    assert load.simulating_ecosystems * 2 * 3600 >= load.thresholds.interactions_per_hour


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"browserUsers": -1}, "load.browserUsers: must be at least 0"),
        ({"simulatingEcosystems": 11}, "load.simulatingEcosystems: must be at most 10, got 11"),
        ({"protocolThinkSeconds": [3, 1]}, r"protocolThinkSeconds: the least \(3.0\) is over"),
        ({"extraConnections": "many"}, "load.extraConnections: expected a whole number"),
        ({"thresholds": {"apiP95Ms": -1}}, "load.thresholds.apiP95Ms: must be more than 0"),
        ({"thresholds": {"p95": 1}}, "load.thresholds.p95: unknown key"),
        ({"users": 3}, "load.users: unknown key"),
    ],
)
def test_a_bad_load_section_is_named_by_key(
    tmp_path: Path, section: dict[str, Any], problem: str
) -> None:
    raw = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    raw["load"] = section
    path = tmp_path / "playwright.config.json"
    path.write_text(json.dumps(raw), encoding="utf-8")

    with pytest.raises(ConfigError, match=problem):
        read_config(path)
