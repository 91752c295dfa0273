"""Jobs and the worker: exact record sets, determinism, pricing, cancel, budget stops, exports,
live progress and the dashboard."""

from __future__ import annotations

import csv
import io
import json
import time

from app import llm
from domain.platform_types import Job
from tests.conftest import ApiClient, live_socket

PRICE_PER_1K = 0.002
SEED_ROWS = [
    {"name": "ada lovelace", "city": "London Town", "card": "4111111111111111"},
    {"name": "grace hopper", "city": "New York", "card": "5500000000000004"},
    {"name": "alan turing", "city": "Wilmslow", "card": "340000000000009"},
]


def _finished(user: ApiClient, job_id: int, *, timeout: float = 30) -> Job:
    with live_socket(user) as socket:
        return socket.wait_for_job(user, job_id, timeout=timeout)


def _next_record_cost(user: ApiClient, job: Job) -> float:
    """What the record after the last one generated would have cost."""
    index = job.records_done
    preview = user.ok(
        "POST",
        f"/templates/{job.template_id}/test",
        json={"seed_id": job.seed_id, "rows": 3},
    )["previews"][index % 3]
    tokens = llm.count_tokens(preview["prompt"]) + llm.count_tokens(llm.complete(job.id, index))
    return llm.cost_usd(tokens, PRICE_PER_1K)


def test_a_job_yields_exactly_the_requested_records_in_order(user):
    job = user.make_job(records=25)

    finished = _finished(user, job.id)
    records = user.export_records(job.id)

    assert finished.status == "completed"
    assert finished.records_done == 25
    assert [record["index"] for record in records] == list(range(25))
    assert [record["seed_row"] for record in records[:4]] == [*SEED_ROWS, SEED_ROWS[0]]
    assert records[1]["prompt"] == "Write a short note to Grace Hopper who lives in New York."


def test_completions_are_deterministic_per_job_and_index(user):
    first = user.make_job(records=5)
    second = user.make_job(records=5, template_id=first.template_id, seed_id=first.seed_id)
    _finished(user, first.id)
    _finished(user, second.id)

    first_records = user.export_records(first.id)
    second_records = user.export_records(second.id)

    assert [record["completion"] for record in first_records] == [
        llm.complete(first.id, index) for index in range(5)
    ]
    assert [record["prompt"] for record in first_records] == [
        record["prompt"] for record in second_records
    ]
    assert first_records[0]["completion"] != second_records[0]["completion"]


def test_cost_is_tokens_times_the_price_per_thousand(user):
    job = user.make_job(records=12)
    finished = _finished(user, job.id)

    records = user.export_records(job.id)

    for record in records:
        tokens = llm.count_tokens(record["prompt"]) + llm.count_tokens(record["completion"])
        assert record["tokens"] == tokens
        assert record["cost_usd"] == round(tokens * PRICE_PER_1K / 1000, 9)
    assert abs(finished.cost_usd - sum(record["cost_usd"] for record in records)) < 1e-6


def test_cancel_stops_within_a_second_and_keeps_the_partial_records(user):
    job = user.make_job(records=500, records_per_second=20)
    with live_socket(user) as socket:
        socket.wait_for_job(user, job.id, lambda j: j.records_done >= 3)

    started = time.monotonic()
    cancelled = user.ok("POST", f"/jobs/{job.id}/cancel")
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    assert cancelled["status"] == "cancelled"
    assert 3 <= cancelled["records_done"] < 500
    records = user.export_records(job.id)
    assert [record["index"] for record in records] == list(range(cancelled["records_done"]))
    again = user.post(f"/jobs/{job.id}/cancel")
    assert again.status_code == 409


def test_a_running_job_cannot_be_exported_yet(user):
    job = user.make_job(records=500, records_per_second=20)
    with live_socket(user) as socket:
        socket.wait_for_job(user, job.id, lambda j: j.records_done >= 1)

    response = user.get(f"/jobs/{job.id}/export")
    user.ok("POST", f"/jobs/{job.id}/cancel")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_job_stops_at_its_budget_cap_without_overspending(user):
    budget = 0.001
    job = user.make_job(records=1000, budget_usd=budget)

    finished = _finished(user, job.id)

    assert finished.status == "budget_exceeded"
    assert 0 < finished.records_done < 1000
    assert finished.cost_usd <= budget
    assert finished.cost_usd + _next_record_cost(user, finished) > budget
    alerts = user.ok("GET", "/dashboard")["alerts"]
    assert {
        "kind": "budget_exceeded",
        "message": f"Job #{job.id} stopped: budget exceeded",
        "job_id": job.id,
    } in alerts


def test_job_stops_at_the_users_monthly_budget_and_raises_the_budget_alert(user):
    user.ok("PATCH", "/me", json={"monthly_budget_usd": 0.01})
    job = user.make_job(records=5000, budget_usd=5)

    finished = _finished(user, job.id)

    me = user.ok("GET", "/me")
    assert finished.status == "budget_exceeded"
    assert me["spent_usd"] <= 0.01
    assert finished.cost_usd + _next_record_cost(user, finished) > 0.01
    dashboard = user.ok("GET", "/dashboard")
    assert dashboard["budget_used_percent"] >= 80
    budget_alerts = [alert for alert in dashboard["alerts"] if alert["kind"] == "budget"]
    assert budget_alerts == [
        {"kind": "budget", "message": f"Budget {int(dashboard['budget_used_percent'])}% used"}
    ]


def test_concurrent_jobs_never_spend_past_the_monthly_budget_together(user):
    user.ok("PATCH", "/me", json={"monthly_budget_usd": 0.01})
    template, seed = user.make_template(), user.make_seed()
    jobs = [
        user.make_job(records=5000, budget_usd=5, template_id=template.id, seed_id=seed.id)
        for _ in range(3)
    ]

    finished = [_finished(user, job.id) for job in jobs]

    assert {job.status for job in finished} == {"budget_exceeded"}
    assert sum(job.cost_usd for job in finished) <= 0.01
    assert user.ok("GET", "/me")["spent_usd"] <= 0.01


def test_export_of_a_job_without_records_is_a_conflict(user):
    # The smallest monthly budget is a cent; a body of 20,000 one-character tokens makes even
    # the first record cost $0.04, so the month stops the job before it makes any record.
    user.ok("PATCH", "/me", json={"monthly_budget_usd": 0.01})
    template = user.make_template(body="a." * 10_000)
    job = user.make_job(records=10, budget_usd=1, template_id=template.id)
    finished = _finished(user, job.id)

    response = user.get(f"/jobs/{job.id}/export")

    assert finished.status == "budget_exceeded"
    assert finished.records_done == 0
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_records"


def test_jsonl_export_streams_every_record_with_its_fields(user):
    job = user.make_job(records=6)
    _finished(user, job.id)

    response = user.get(f"/jobs/{job.id}/export")

    assert response.headers["content-disposition"] == (
        f'attachment; filename="job-{job.id}-records.jsonl"'
    )
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 6
    assert set(records[0]) == {"index", "seed_row", "prompt", "completion", "tokens", "cost_usd"}
    assert records[5]["seed_row"] == SEED_ROWS[2]


def test_csv_export_holds_the_seed_row_as_json_text(user):
    job = user.make_job(records=4, format="csv")
    _finished(user, job.id)

    response = user.get(f"/jobs/{job.id}/export")

    assert response.headers["content-disposition"].endswith(f'job-{job.id}-records.csv"')
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["index", "seed_row", "prompt", "completion", "tokens", "cost_usd"]
    assert [int(row["index"]) for row in rows] == [0, 1, 2, 3]
    assert json.loads(rows[3]["seed_row"]) == SEED_ROWS[0]
    jsonl = user.export_records(job.id)
    assert rows[2]["completion"] == jsonl[2]["completion"]


def test_job_progress_and_dashboard_nudges_are_pushed_on_the_websocket(user):
    template, seed = user.make_template(), user.make_seed()
    with live_socket(user) as socket:
        job = user.make_job(
            records=10, records_per_second=20, template_id=template.id, seed_id=seed.id
        )
        final = socket.wait_for_job(user, job.id)

    progress = [
        message["payload"]
        for message in socket.received
        if message["type"] == "job.progress" and message["payload"]["id"] == job.id
    ]
    assert final.status == "completed"
    assert final.records_done == 10
    assert len(progress) >= 3
    done_counts = [payload["records_done"] for payload in progress]
    assert done_counts == sorted(done_counts)
    assert "records_per_second_actual" in progress[-1]
    assert all(isinstance(message["sent_at"], float) for message in socket.received)
    assert any(message["type"] == "dashboard.changed" for message in socket.received)


def test_dashboard_counts_running_jobs_records_today_and_spend(user):
    done = user.make_job(records=30)
    finished = _finished(user, done.id)
    running = user.make_job(
        records=500, records_per_second=5, template_id=done.template_id, seed_id=done.seed_id
    )

    while_running = user.ok("GET", "/dashboard")
    user.ok("POST", f"/jobs/{running.id}/cancel")
    after = user.ok("GET", "/dashboard")

    assert while_running["running_jobs"] == 1
    assert after["running_jobs"] == 0
    cancelled = user.ok("GET", f"/jobs/{running.id}")
    assert after["records_today"] == 30 + cancelled["records_done"]
    spent = finished.cost_usd + cancelled["cost_usd"]
    assert abs(after["spent_usd"] - spent) < 1e-6
    assert after["monthly_budget_usd"] == 10.0
    assert after["budget_used_percent"] == round(after["spent_usd"] / 10 * 100, 1)
    assert [job["id"] for job in after["recent_jobs"][:2]] == [running.id, done.id]
    assert after["alerts"] == []
