"""Job cancellation: a running job stops at once and keeps exactly the records it made."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page

from domain.drafts import Dataset
from domain.facts import API_COST_PLACES
from domain.platform_types import Job
from flows.exports import check_export, download_export
from flows.jobs import cancel_running_job
from pages.jobs import JobPage

pytestmark = [
    pytest.mark.journey,
    # Cancelling is about the job and its records, not the screen size.
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Job cancellation"),
]

#: Throttled so that the job is still running when Cancel is pressed: 400 records at 20 a
#: second would take 20 s, and the test cancels after the first progress.
RECORDS = 400
SPEED = 20


@allure.story("Cancel a running job")
@allure.severity(allure.severity_level.CRITICAL)
def test_cancelled_job_stops_at_once_and_exports_only_the_records_it_made(
    signed_in_page: Page,
    make_dataset: Callable[..., Dataset],
    make_job: Callable[..., Job],
) -> None:
    dataset = make_dataset()
    job = make_job(
        **dataset.sources,
        records=RECORDS,
        records_per_second=SPEED,
    )
    job_page = JobPage(signed_in_page).open(job_id=job.id).expect_loaded()

    cancelled = cancel_running_job(job_page, total=RECORDS)

    for fmt in ("jsonl", "csv"):
        check_export(
            download_export(job_page, fmt),
            dataset,
            expected_count=cancelled.records_done,
            job_cost_usd=cancelled.cost_usd,
            cost_places=API_COST_PLACES,
        )
