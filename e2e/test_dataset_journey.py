"""The dataset journey: made through the UI, watched live, exported and checked record by record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.drafts import Dataset, TemplateDraft
from domain.facts import API_COST_PLACES
from domain.platform_types import Job
from fixtures.accounts import Account
from flows.datasets import create_dataset
from flows.exports import check_export, save_and_read_export
from pages.exports import ExportsPage

pytestmark = [
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Dataset journey"),
]


@allure.story("Template, seed and job through the UI; CSV output")
@allure.severity(allure.severity_level.BLOCKER)
def test_dataset_made_through_the_ui_exports_exactly_the_records_asked_for(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    seed_file: Callable[[str], Path],
    checkable_template: TemplateDraft,
) -> None:
    # A fresh account: what the journey makes through the UI goes with it afterwards.
    page = page_for(make_account())

    result = create_dataset(
        page,
        template=checkable_template,
        seed_file=seed_file("people.csv"),
        records=60,
        budget_usd=5.00,
        # CSV, not the form's default, so that the choice is seen to be used.
        fmt="csv",
        # Throttled to about six seconds, so that progress has time to be seen climbing even
        # when the job page is slow to load.
        speed=10,
    )

    assert result.shown_cost_usd > 0, "a completed job of 60 records shows no cost"


@allure.story("CSV export from the exports screen")
@allure.severity(allure.severity_level.CRITICAL)
# The export's records, not the screen size; the phone project walks the UI journey above.
@pytest.mark.desktop
def test_exports_screen_downloads_a_completed_job_as_csv_with_every_record(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_dataset: Callable[..., Dataset],
    make_job: Callable[..., Job],
) -> None:
    account = make_account()
    dataset = make_dataset(account)
    job = make_job(
        account,
        **dataset.sources,
        records=25,
        format="jsonl",
        until="completed",
    )
    exports = ExportsPage(page_for(account)).open().expect_loaded()

    with allure.step(f"Download job #{job.id} as CSV from the exports screen"):
        records = save_and_read_export(exports.download(job.id, "csv"), job_id=job.id, fmt="csv")

    with allure.step("The exports screen lists the job as completed with 25 records"):
        row = exports.row_for(job.id)
        expect(exports.table.cell(row, "Status")).to_have_text("completed")
        expect(exports.table.cell(row, "Records")).to_have_text("25")
    check_export(
        records,
        dataset,
        expected_count=25,
        job_cost_usd=job.cost_usd,
        cost_places=API_COST_PLACES,
    )
