"""The hybrid load run's own logic: the protocol users' figures from Locust's statistics, the
nothing-lost check (interactions against the crowd's counts, exports), their verdicts, the CPU
groups, and the locustfile's account dealing (read from its source: importing Locust would
monkey-patch this process)."""

from __future__ import annotations

import ast
import math
import os
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
import pytest

from fixtures.api import ApiError
from fixtures.load import locust_runner
from fixtures.load.checks import newest_interaction_id, records_exported, stored_interaction_ids
from fixtures.load.connections import ConnectionCrowd
from fixtures.load.cpu import role_of
from fixtures.load.postgres import LocalPostgres
from fixtures.load.priority import lower_this_threads_priority, niced
from fixtures.load.report import (
    Miss,
    Thresholds,
    delivery_check,
    judge,
    protocol_section,
    table_lines,
)
from tests.conftest import live_socket
from tests.test_load_report import make_report as report_of

LIMITS = Thresholds(api_p95_ms=200, ws_p95_ms=50, tti_ms=2000, user_errors=0)
LOCUSTFILE = locust_runner.LOCUSTFILE


def figures(count: int, p95: float, *, failures: int = 0, rps: float = 1.0) -> dict[str, Any]:
    return {
        "count": count, "failures": failures, "p50": p95 / 2, "p95": p95, "p99": p95,
        "requests_per_s": rps,
    }  # fmt: skip


STATS = {
    "GET /api/v1/dashboard": figures(100, 40.0, rps=2.0),
    "POST /api/v1/jobs": figures(50, 120.0, failures=1, rps=1.0),
    "WS job.progress delivery": figures(400, 12.0, rps=8.0),
    "all requests": figures(550, 60.0, failures=1, rps=11.0),
}


def make_report(**overrides: Any) -> dict[str, Any]:
    return report_of(**{"protocol_users": 100, **overrides})


def test_protocol_figures_keep_http_routes_and_websocket_deliveries_apart() -> None:
    protocol = protocol_section(STATS)

    assert list(protocol["routes"]) == ["GET /api/v1/dashboard", "POST /api/v1/jobs"]
    assert list(protocol["websocket"]) == ["WS job.progress delivery"]
    # Requests a second count HTTP only: a delivery is no request the platform served.
    assert (protocol["requests"], protocol["requests_per_s"]) == (150, 3.0)
    assert protocol["failures"] == 1
    assert protocol["error_rate"] == pytest.approx(1 / 550, abs=1e-5)


def test_protocol_users_are_judged_on_api_and_websocket_p95_and_on_failures() -> None:
    stats = {
        "GET /api/v1/dashboard": figures(100, 200.0),
        "POST /api/v1/jobs": figures(50, 199.0, failures=2),
        "WS interaction delivery": figures(30, 75.0),
    }

    misses = judge(make_report(locust=stats), LIMITS)

    assert [miss.message() for miss in misses] == [
        (
            "protocol users' API p95 of GET /api/v1/dashboard is 200 ms, over the limit of 200 ms: "
            "missed by 0 ms"
        ),
        (
            "protocol users' WS interaction delivery p95 is 75 ms, over the limit of 50 ms: "
            "missed by 25 ms"
        ),
        "errors seen by protocol users is 2, over the limit of 0: missed by 2",
    ]


def test_a_wait_that_ran_out_is_an_error_not_a_fast_delivery() -> None:
    # Locust records a failed wait under its own name with 0 ms; its p95 is not a delivery's.
    stats = {"WS interaction delivery (none came)": figures(3, 0.0, failures=3)}

    assert [miss.figure for miss in judge(make_report(locust=stats), LIMITS)] == [
        "errors seen by protocol users"
    ]


def test_every_stored_interaction_reached_every_subscribed_connection() -> None:
    stored = {"ecosystem:1": [11, 12, 13], "ecosystem:2": [21]}
    crowd = {
        "ecosystem:1": {"subscribed": 2, "received": {"11": 2, "12": 2, "13": 2, "10": 2}},
        "ecosystem:2": {"subscribed": 3, "received": {"21": 3}},
    }

    check = delivery_check(stored, crowd, hours=0.5)

    assert (check["interactions"], check["expected"], check["delivered"], check["lost"]) == (
        4, 9, 9, 0,
    )  # fmt: skip
    assert check["interactions_per_hour"] == 8
    assert check["delivered_per_hour"] == 18


def test_a_connection_that_missed_an_interaction_is_a_lost_delivery() -> None:
    stored = {"ecosystem:1": [11, 12, 13]}
    # 12 reached one of two connections, 13 none; a duplicate never makes up for a loss.
    crowd = {"ecosystem:1": {"subscribed": 2, "received": {"11": 3, "12": 1}}}

    check = delivery_check(stored, crowd, hours=1.0)

    assert (check["expected"], check["delivered"], check["lost"]) == (6, 3, 3)
    assert check["topics"]["ecosystem:1"]["interactions_missed_somewhere"] == 2
    report = make_report(delivery=check)
    assert [miss.message() for miss in judge(report, LIMITS)] == [
        "interaction deliveries lost is 3, over the limit of 0: missed by 3",
        (
            "simulation rate is 3 interactions/h, under the least of 10000 interactions/h: "
            "missed by 9997 interactions/h"
        ),
    ]


def test_a_topic_the_crowd_never_subscribed_loses_nothing_it_was_not_sent() -> None:
    check = delivery_check({"ecosystem:9": [1, 2]}, {}, hours=1.0)

    assert (check["expected"], check["lost"]) == (0, 0)


def test_the_simulation_rate_is_judged_against_its_least() -> None:
    stored = {"ecosystem:1": list(range(1, 10_001))}
    crowd = {"ecosystem:1": {"subscribed": 0, "received": {}}}

    fast = delivery_check(stored, crowd, hours=0.5)
    slow = delivery_check(stored, crowd, hours=1.25)

    assert judge(make_report(delivery=fast), LIMITS) == []
    assert judge(make_report(delivery=slow), LIMITS) == [
        Miss("simulation rate", 8000, 10_000, "interactions/h", least=True)
    ]
    assert Miss("simulation rate", 8000, 10_000, "interactions/h", least=True).missed_by == 2000


def test_an_export_that_does_not_hold_its_records_fails_the_run() -> None:
    exports = {"jobs": 3, "exact": 2, "records": 59, "wrong": ["job 7: export held 19 of 20"]}

    report = make_report(exports=exports)

    assert [miss.figure for miss in judge(report, LIMITS)] == [
        "jobs whose export lost or added records"
    ]
    assert any(line.startswith("exports: 2 of 3 jobs' exports") for line in table_lines(report))


def test_the_table_shows_protocol_routes_and_the_loss_check() -> None:
    check = delivery_check(
        {"ecosystem:1": [1, 2]}, {"ecosystem:1": {"subscribed": 2, "received": {"1": 2, "2": 2}}},
        hours=1.0,
    )  # fmt: skip
    lines = table_lines(make_report(locust=STATS, delivery=check))

    assert any(line.startswith("protocol GET /api/v1/dashboard") for line in lines)
    assert any(line.startswith("protocol WS job.progress delivery") for line in lines)
    assert any(
        line.startswith("100 protocol users on sqlite: 150 requests, 3 req/s") for line in lines
    )
    assert any("delivered to the crowd 4 of 4 times" in line and "lost 0" in line for line in lines)


def test_report_keeps_its_keys_and_adds_the_protocol_and_loss_sections() -> None:
    report = make_report(locust=STATS)

    assert {
        "browser_users", "extra_connections", "journeys_completed", "user_errors", "api_p95_ms",
        "ws_p95_ms", "tti_p95_ms", "protocol_users", "protocol", "delivery", "exports",
    } <= set(report)  # fmt: skip
    assert report["thresholds"]["lost"] == 0


def test_a_process_counts_with_the_nearest_ancestor_that_has_a_role() -> None:
    roles = {10: "Locust", 20: "database"}
    parents = {11: 10, 12: 11, 21: 20, 30: 1, 10: 1, 20: 1}

    assert role_of(12, roles, parents) == "Locust"  # a forked worker's child
    assert role_of(21, roles, parents) == "database"  # a PostgreSQL backend
    assert role_of(30, roles, parents) is None


def _locustfile_function(name: str) -> Any:
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace: dict[str, Any] = {"math": math}
    exec(compile(ast.Module([node], type_ignores=[]), str(LOCUSTFILE), "exec"), namespace)  # noqa: S102
    return namespace[name]


def _locustfile_constant(name: str) -> Any:
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise KeyError(name)


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_users_dealt_to_workers_in_turn_each_get_an_account_of_their_own(workers: int) -> None:
    claim_index = _locustfile_function("claim_index")
    users = 100
    # The master deals users to workers in turn: worker w gets users w, w + W, w + 2W, ...
    shares = [len(range(w, users, workers)) for w in range(workers)]

    indexes = [
        claim_index(worker_index=w, workers=workers, claimed=k)
        for w in range(workers)
        for k in range(shares[w])
    ]

    assert len(set(indexes)) == users
    assert max(indexes) < users + workers  # the accounts made: one spare per worker


@pytest.mark.parametrize(
    ("spawn_rate", "interval_s"), [(10, 1.0), (2.5, 0.8), (0.5, 2.0), (1, 1.0)]
)
def test_new_users_arrive_spread_over_locusts_own_dispatch_interval(
    spawn_rate: float, interval_s: float
) -> None:
    # Locust itself is not imported here: importing it monkey-patches this process for gevent.
    dispatch_interval_s = _locustfile_function("dispatch_interval_s")

    assert dispatch_interval_s(spawn_rate) == pytest.approx(interval_s)


def test_the_runner_reads_the_locustfiles_own_names() -> None:
    assert _locustfile_constant("PROGRESS_PREFIX") == locust_runner.PROGRESS_PREFIX
    assert _locustfile_constant("WS") == locust_runner.WS


def test_locust_csv_names_websocket_deliveries_apart(tmp_path: Path) -> None:
    stats = tmp_path / "run_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,50%,95%,99%,Requests/s\n"
        "GET,GET /api/v1/jobs,40,1,12,80,95,2.5\n"
        "WS,interaction delivery,10,0,3,9,9,0.2\n"
        ",Aggregated,50,1,12,80,95,2.7\n",
        encoding="utf-8",
    )

    assert set(locust_runner.read_stats(stats)) == {
        "GET /api/v1/jobs", "WS interaction delivery", "all requests",
    }  # fmt: skip


def test_the_crowd_counts_every_stored_interaction_on_every_connection(
    user: Any, tmp_path: Path
) -> None:
    """Against a real platform: two simulating ecosystems, a crowd of six connections dealt
    over them; after a pause and a drain, every interaction stored in between reached all
    three connections of its ecosystem, and the check says so."""
    ecosystems = [user.create_ecosystem(f"Crowd {n}", visibility="public").id for n in (1, 2)]
    for ecosystem_id in ecosystems:
        user.add_characters(
            ecosystem_id, [{"name": f"C{i}", "species": "ant", "traits": []} for i in range(3)]
        )
    topics = [f"ecosystem:{e}" for e in ecosystems]
    crowd = ConnectionCrowd(
        ws_url=user.base_url.replace("http://", "ws://") + "/ws",
        session_cookie=user.session_cookie["value"], topics=topics, count=6,
        report_path=tmp_path / "crowd.json", max_seconds=120, drain_seconds=30,
    )  # fmt: skip
    with crowd:
        crowd.start(ready_timeout_s=30)
        first = {e: newest_interaction_id(user, e) for e in ecosystems}
        for ecosystem_id in ecosystems:
            user.set_simulation(ecosystem_id, running=True)
        # A few ticks (two a second) reach the crowd before the pause.
        for ecosystem_id in ecosystems:
            _wait_for_stored(user, ecosystem_id, more_than=max(first.values()) + 4)
        for ecosystem_id in ecosystems:
            user.set_simulation(ecosystem_id, running=False)
        last = {e: newest_interaction_id(user, e) for e in ecosystems}
        report = crowd.drain({f"ecosystem:{e}": last[e] for e in ecosystems})

    stored = {
        f"ecosystem:{e}": stored_interaction_ids(user, e, after=first[e], up_to=last[e])
        for e in ecosystems
    }
    check = delivery_check(stored, report["topics"], hours=1.0)
    assert report["drained"] is True
    assert [report["topics"][t]["subscribed"] for t in topics] == [3, 3]
    # Ids are the platform's across ecosystems, so each ecosystem stored at least one of them.
    assert all(check["topics"][t]["interactions"] >= 1 for t in topics)
    assert (check["expected"], check["lost"]) == (3 * check["interactions"], 0)


def _wait_for_stored(user: Any, ecosystem_id: int, *, more_than: int) -> None:
    # Over the live feed, not by polling: the platform pushes each interaction as it stores it.
    with live_socket(user) as socket:
        socket.send({"subscribe": f"ecosystem:{ecosystem_id}"})
        socket.next_message(
            lambda m: m["type"] == "interaction" and m["payload"]["id"] > more_than, timeout=30
        )


def test_the_runs_own_postgresql_starts_on_loopback_and_leaves_nothing_behind() -> None:
    # scripts/setup.sh installs Debian's postgresql and the postgres extra: a machine without
    # them is a broken set-up, which this test must show rather than skip.
    import psycopg

    server = LocalPostgres()
    with server:
        assert server.url.startswith("postgresql+psycopg://load@127.0.0.1:")
        with psycopg.connect(server.url.replace("+psycopg", "", 1)) as connection:
            listen = connection.execute("SHOW listen_addresses").fetchone()
            assert listen == ("127.0.0.1",)
        postmaster = psutil.Process(server.pid)
    postmaster.wait(10)
    assert not postmaster.is_running()
    assert not server.folder.exists()


class _ExportRefused:
    """A platform client whose every export is refused as the API refuses a job with none."""

    def export(self, job_id: int, export_format: str) -> Any:
        raise ApiError(409, "no_records", f"Job {job_id} has no records yet.")


def test_a_finished_job_that_made_no_records_has_no_export_and_that_is_exact() -> None:
    made_none = SimpleNamespace(id=70, records_done=0)

    assert records_exported(_ExportRefused(), made_none) == 0


def test_a_job_with_records_whose_export_is_refused_fails_the_check() -> None:
    made_some = SimpleNamespace(id=71, records_done=3)

    with pytest.raises(ApiError, match="no_records"):
        records_exported(_ExportRefused(), made_some)


def test_the_generators_run_at_the_configured_niceness_and_at_zero_as_they_are() -> None:
    crowd = ConnectionCrowd(
        ws_url="ws://127.0.0.1:1/ws", session_cookie="c", topics=["ecosystem:1"], count=1,
        report_path=Path("crowd.json"), max_seconds=1, niceness=10,
    )  # fmt: skip
    assert crowd._command[:3] == ["nice", "-n", "10"]
    assert niced(["python", "-m", "locust"], 0) == ["python", "-m", "locust"]


def test_a_browser_users_thread_and_the_processes_it_starts_run_at_the_niceness() -> None:
    seen: dict[str, str] = {}

    def browser_user() -> None:
        lower_this_threads_priority(10)
        seen["child"] = subprocess.check_output(
            ["sh", "-c", "cut -d' ' -f19 /proc/self/stat"], text=True
        ).strip()

    thread = threading.Thread(target=browser_user)
    thread.start()
    thread.join(30)
    assert seen["child"] == "10"
    # Niceness is the thread's own: the test process's other threads keep theirs.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 10


def _waiting_users(monkeypatch: pytest.MonkeyPatch, count: int):
    """BrowserUsers whose users arrive at the line at once and then record what they were let do."""
    from fixtures.load import users as browser_users

    walked: dict[int, float] = {}

    def run_user(plan: Any, metrics: Any, line: browser_users.StartLine) -> None:
        line.arrive(ready=True)
        line.go.wait()
        walked[plan.index] = line.deadline - line.started_at

    monkeypatch.setattr(browser_users, "run_user", run_user)
    plans = [SimpleNamespace(index=index + 1) for index in range(count)]
    return browser_users.BrowserUsers(plans, launch_timeout_s=5), walked


def test_browser_users_wait_at_the_line_until_started_with_their_time(monkeypatch) -> None:
    users, walked = _waiting_users(monkeypatch, 2)
    assert walked == {}  # launched and waiting: nothing walks during the set-up
    users.start(run_for_s=42.0)
    metrics = users.join(timeout_s=5)
    assert walked == {1: 42.0, 2: 42.0}
    assert [m.errors for m in metrics] == [[], []]


def test_browser_users_never_started_end_without_journeys_when_closed(monkeypatch) -> None:
    users, walked = _waiting_users(monkeypatch, 2)
    users.close()  # the run failed before the protocol users were all up
    users.join(timeout_s=5)
    assert walked == {1: 0.0, 2: 0.0}
    users.close()  # closing again, or after a start, changes nothing
    assert walked == {1: 0.0, 2: 0.0}
