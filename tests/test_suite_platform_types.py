"""The suite's typed values of the platform's answers refuse an answer that breaks the
contract, naming the field, so a changed API fails where it is read and not three calls later."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from domain.platform_types import Export, Job, JobProgress, Listed, Seed, parse

JOB = {
    "id": 7,
    "template_id": 1,
    "template_name": "Persona",
    "seed_id": 2,
    "seed_name": "people.csv",
    "status": "completed",
    "records_total": 3,
    "records_done": 3,
    "cost_usd": 0.000123,
    "budget_usd": 1.0,
    "format": "jsonl",
    "records_per_second": 0,
    "error": None,
    "created_at": "2026-01-02T03:04:05.678Z",
    "started_at": "2026-01-02T03:04:05.900Z",
    "finished_at": None,
}


def test_a_job_answer_reads_as_a_job_with_its_timestamps_in_utc() -> None:
    job = parse(Job, json.dumps(JOB), what="GET /jobs/7")

    assert (job.id, job.status, job.records_per_second) == (7, "completed", 0.0)
    assert job.created_at.utcoffset().total_seconds() == 0
    assert job.finished_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"records_done": "3"}, "records_done"),
        ({"status": None}, "status"),
        ({"surprise": 1}, "surprise"),
    ],
    ids=["a number as text", "a missing value", "a field the type does not list"],
)
def test_an_answer_off_the_contract_fails_naming_the_field_and_the_call(
    change: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        parse(Job, json.dumps({**JOB, **change}), what="GET /jobs/7")

    assert raised.value.errors()[0]["loc"] == (field,)
    assert "GET /jobs/7" in "".join(raised.value.__notes__)


def test_a_missing_field_fails_naming_it() -> None:
    answer = {key: value for key, value in JOB.items() if key != "cost_usd"}

    with pytest.raises(ValidationError) as raised:
        parse(Job, json.dumps(answer), what="GET /jobs/7")

    assert raised.value.errors()[0]["loc"] == ("cost_usd",)


def test_a_progress_push_is_a_job_with_its_rate() -> None:
    pushed = parse(JobProgress, json.dumps({**JOB, "records_per_second_actual": 12.5}), what="ws")

    assert isinstance(pushed, Job) and pushed.records_per_second_actual == 12.5


def test_a_list_answer_reads_its_items_and_its_paging() -> None:
    seed = {
        "id": 2,
        "name": "people.csv",
        "format": "csv",
        "rows": 3,
        "columns": ["name"],
        "created_at": "2026-01-02T03:04:05.678Z",
    }
    answer = {
        "data": [seed],
        "meta": {"pagination": {"page": 1, "per_page": 20, "total": 1, "pages": 1}},
    }

    listed = parse(Listed[Seed], json.dumps(answer), what="GET /seeds")

    assert [item.name for item in listed.data] == ["people.csv"]
    assert listed.meta is not None and listed.meta.pagination.pages == 1


def test_an_export_reads_its_records_in_its_own_format() -> None:
    jsonl = Export(
        b'{"index": 0, "cost_usd": 0.5}\n', "application/x-ndjson", "job-1-records.jsonl"
    )
    csv = Export(
        b'index,seed_row,prompt,completion,tokens,cost_usd\n0,"{""a"": 1}",p,c,4,0.5\n',
        "text/csv; charset=utf-8",
        "job-1-records.csv",
    )

    assert jsonl.records() == [{"index": 0, "cost_usd": 0.5}]
    assert csv.records()[0]["seed_row"] == {"a": 1} and csv.records()[0]["tokens"] == 4
