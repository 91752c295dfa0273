"""An export larger than the platform's internal batch, downloaded in both formats from the
job page and checked record by record.

app/services/exports.py streams records in batches of 2,000; 2,001 records cross that
boundary by one. The template's prompts carry what a hand-written CSV or JSON writer gets
wrong (double quotes, commas, a line break, non-ASCII letters, a last word that touches the
completion), so every record of both files must decode to exactly what the suite predicts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Page

from domain.drafts import RecordSource
from domain.facts import API_COST_PLACES, EXPORT_BATCH_SIZE
from domain.platform_types import Seed, Template
from fixtures.accounts import Account
from flows.exports import check_export, download_export, read_seed_rows
from flows.jobs import expect_job_page_shows
from pages.jobs import JobPage

pytestmark = [
    pytest.mark.journey,
    # File contents, not the screen size.
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Exports"),
]

#: One past the export's batch size.
RECORDS = EXPORT_BATCH_SIZE + 1
#: Quotes, commas, a line break and accents in every prompt; it ends on a letter.
AWKWARD_BODY = (
    'Record {{ index }} for "{{ name }}", of {{ city }};\n'
    "a {{ age }}-year-old {{ occupation | lower }} — café naïve"
)
#: Unthrottled, 2,001 records take about two seconds on a quiet machine.
RUN_TIMEOUT_S = 60.0


@allure.story("2,001 records: one past the export batch, in JSONL and CSV")
@allure.severity(allure.severity_level.CRITICAL)
def test_export_past_the_batch_size_holds_every_record_once_in_both_formats(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_template: Callable[..., Template],
    make_seed: Callable[..., Seed],
    seed_file: Callable[[str], Path],
) -> None:
    account = make_account()
    template = make_template(account, name=f"Awkward {uuid.uuid4().hex[:6]}", body=AWKWARD_BODY)
    seed = make_seed(account, name="people.csv")
    with allure.step(f"Run a job of {RECORDS} records, unthrottled"):
        started = time.monotonic()
        job = account.api.create_job(
            template_id=template.id, seed_id=seed.id, records=RECORDS, budget_usd=5.0
        )
        job = account.api.wait_for_job(job.id, timeout=RUN_TIMEOUT_S)
        allure.attach(
            f"{RECORDS} records in {time.monotonic() - started:.2f} s",
            name="worker time",
            attachment_type=allure.attachment_type.TEXT,
        )
    assert (job.status, job.records_done) == ("completed", RECORDS), (
        f"a job of {RECORDS} records ended {job.status} with {job.records_done}"
    )

    job_page = JobPage(page_for(account)).open(job_id=job.id).expect_loaded()
    expect_job_page_shows(job_page, job, moment="on opening a completed job")
    people = read_seed_rows(seed_file("people.csv"))
    exported = {}
    for fmt in ("jsonl", "csv"):
        exported[fmt] = download_export(job_page, fmt)
        check_export(
            exported[fmt],
            RecordSource(AWKWARD_BODY, people),
            expected_count=RECORDS,
            job_cost_usd=job.cost_usd,
            cost_places=API_COST_PLACES,
        )
    with allure.step("The CSV holds the same records as the JSONL, field for field"):
        for as_jsonl, as_csv in zip(exported["jsonl"], exported["csv"], strict=True):
            assert as_csv == as_jsonl, (
                f"record {as_jsonl['index']} reads differently in the CSV: {as_csv} "
                f"against {as_jsonl} in the JSONL"
            )
