"""Budget enforcement: a job stops when its budget is spent, and the dashboard says so."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.drafts import Dataset
from domain.facts import API_COST_PLACES
from domain.platform_types import Job
from fixtures.accounts import Account
from flows.exports import (
    check_export,
    completion_tokens,
    count_tokens,
    download_export,
    render_prompt,
    tokens_cost_usd,
)
from flows.jobs import expect_budget_alert, expect_stopped_at_the_budget, run_until_budget_stops
from pages.dashboard import DashboardPage
from pages.jobs import JobPage

pytestmark = [
    pytest.mark.journey,
    # The budget is about the job and its records, not the screen size.
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Budget enforcement"),
]

#: How many records the budget should pay for, by the platform's own estimate.
RECORDS_THE_BUDGET_COVERS = 20
#: Far more than the budget covers, so that only the budget can stop the job.
RECORDS_ASKED = 200
#: Throttled so that the job still runs when its page goes live (about four seconds, room
#: for a slow page load on a busy machine), and the stop by the budget is seen arriving.
SPEED = 5


@allure.story("A job's budget cap")
@allure.severity(allure.severity_level.CRITICAL)
def test_job_stops_when_its_budget_is_spent_and_the_dashboard_alerts(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_dataset: Callable[..., Dataset],
    make_job: Callable[..., Job],
) -> None:
    account = make_account()
    dataset = make_dataset(account)
    with allure.step(f"Ask the platform what {RECORDS_THE_BUDGET_COVERS} records cost"):
        estimate = account.api.test_template(
            dataset.template.id, seed_id=dataset.seed.id, rows=RECORDS_THE_BUDGET_COVERS
        )
        budget_usd = round(RECORDS_THE_BUDGET_COVERS * estimate.cost_per_record_usd, 6)
    # The browser is ready before the job starts, so that its page opens while it runs.
    page = page_for(account)
    job = make_job(
        account,
        **dataset.sources,
        records=RECORDS_ASKED,
        budget_usd=budget_usd,
        records_per_second=SPEED,
    )
    job_page = JobPage(page).open(job_id=job.id).expect_loaded()
    expect(job_page.live_status).to_have_text("Live")
    expect(job_page.status, "the job page opened while the job ran").to_have_text("running")

    stopped = run_until_budget_stops(job_page, total=RECORDS_ASKED, budget_usd=budget_usd)
    with allure.step("The platform's exact figure for the cost is within the budget too"):
        assert stopped.cost_usd <= budget_usd, (
            f"job #{job.id} cost ${stopped.cost_usd}, over its ${budget_usd} budget"
        )

    records = download_export(job_page, "jsonl")
    check_export(
        records,
        dataset,
        expected_count=stopped.records_done,
        job_cost_usd=stopped.cost_usd,
        cost_places=API_COST_PLACES,
    )
    # The record the budget refused, priced by the suite from the template, the seed row and
    # the stand-in model's documented completion length.
    refused = len(records)
    people = dataset.seed_rows
    prompt = render_prompt(dataset.template_body, people[refused % len(people)], index=refused)
    next_cost = tokens_cost_usd(count_tokens(prompt) + completion_tokens(job.id, refused))
    expect_stopped_at_the_budget(records, job=stopped, next_record_cost_usd=next_cost)
    dashboard = job_page.navigation.go_to(DashboardPage)
    expect_budget_alert(dashboard, job_id=job.id)
