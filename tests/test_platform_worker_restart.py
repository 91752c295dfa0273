"""The worker across process restarts: resume after SIGKILL, clean SIGTERM, configured price."""

from __future__ import annotations

from fixtures.server import PlatformProcess
from tests.conftest import ApiClient, live_socket


def _user_of(server: PlatformProcess) -> ApiClient:
    return ApiClient(server.url).signup_and_login()


def test_a_job_killed_mid_run_resumes_and_yields_each_record_exactly_once(own_server):
    user = _user_of(own_server)
    job = user.make_job(records=60, records_per_second=25)
    with live_socket(user) as socket:
        socket.wait_for_job(user, job.id, lambda j: j.records_done >= 10)

    own_server.kill()
    own_server.start()

    with live_socket(user) as socket:
        finished = socket.wait_for_job(user, job.id, timeout=30)
    records = user.export_records(job.id)
    assert finished.status == "completed"
    assert finished.records_done == 60
    assert [record["index"] for record in records] == list(range(60))
    assert abs(finished.cost_usd - sum(record["cost_usd"] for record in records)) < 1e-6
    user.close()


def test_sigterm_shuts_down_cleanly_and_the_job_continues_after_restart(own_server):
    user = _user_of(own_server)
    job = user.make_job(records=40, records_per_second=25)
    with live_socket(user) as socket:
        socket.wait_for_job(user, job.id, lambda j: j.records_done >= 5)

    exit_code = own_server.stop()
    own_server.start()

    with live_socket(user) as socket:
        finished = socket.wait_for_job(user, job.id, timeout=30)
    assert exit_code == 0
    assert "Traceback" not in own_server.log_tail(200)
    assert finished.status == "completed"
    assert [record["index"] for record in user.export_records(job.id)] == list(range(40))
    user.close()


def test_sessions_survive_a_restart_on_the_same_database(own_server):
    user = _user_of(own_server)

    own_server.kill()
    own_server.start()

    assert user.get("/me").status_code == 200
    user.close()


def test_the_price_per_thousand_tokens_is_configurable(tmp_path):
    with PlatformProcess(data_dir=tmp_path, env={"APP_PRICE_PER_1K_TOKENS": "0.05"}) as server:
        user = _user_of(server)
        job = user.make_job(records=3)
        with live_socket(user) as socket:
            socket.wait_for_job(user, job.id)
        records = user.export_records(job.id)
        user.close()

    assert [record["cost_usd"] for record in records] == [
        round(record["tokens"] * 0.05 / 1000, 9) for record in records
    ]
