"""The dashboard: every figure against what the suite made, in a busy account next to another
user's, live as jobs run (without a reload), and riding out failing refreshes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from decimal import Decimal

import allure
import pytest
from playwright.sync_api import Page, expect

from domain.facts import FINISHED_JOB_STATUSES, MAX_MONTHLY_BUDGET_USD
from domain.platform_types import Job, Seed, Template
from fixtures.accounts import Account
from fixtures.api import ApiError
from flows.dashboard import (
    DashboardFigures,
    JobOutcome,
    expect_counters,
    expect_figures,
    expected_figures,
    failing_dashboard_refreshes,
    recover_after_failed_refreshes,
    usd,
)
from flows.faults import hold_page_timers
from flows.jobs import run_wait_ms
from flows.live import expect_not_reloaded, mark_page_loaded
from pages.dashboard import DashboardPage
from pages.refresh import DashboardRefresh

pytestmark = [
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Dashboard"),
]

#: The monthly budget of the busy account: small, so that cents of spend move the percent.
MONTHLY_BUDGET = Decimal("0.10")
LARGEST_BUDGET = Decimal(MAX_MONTHLY_BUDGET_USD)
#: A one-token prompt: a record then costs 22 to 42 tokens, at most $0.000084, so a job capped
#: at an amount stops less than that below it and the spend can be steered to a tenth of a
#: percent of the budget.
TINY_BODY = "{{ index }}"
#: A long prompt, to spend most of the way quickly (a record costs about $0.0009).
LONG_BODY = "{{ index }} " + "word " * 400
#: Fails on record 4 (a division by zero), after four good records.
FAILING_BODY = "{{ index }} {{ 100 // (index - 4) }}"
#: Far more records than any capped job here can pay for, so that only the cap stops it.
CAPPED_RECORDS = 1000

#: The spend each step steers to, as a share of MONTHLY_BUDGET, and how far below it may land.
#: 78.6-78.7 % shows the bar at 79 (a cut 78) and the spend as $0.08 (a cut $0.07);
#: 79.7-79.8 % shows the bar at 80 with no budget alert yet (just under the threshold);
#: 79.95-80.04 % is 80.0 % to one decimal: the alert is due (not yet if the rule were "over").
STATIC_TARGET = Decimal("0.0787")
UNDER_TARGET = Decimal("0.0798")
AT_TARGET = Decimal("0.08004")
LANDING = Decimal("0.000085")


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def _outcome(account: Account, job_id: int, *, template_name: str, records: int) -> JobOutcome:
    """The job's status from the API, and its records' number and cost from its export."""
    status = account.api.job(job_id).status
    try:
        exported = account.api.export(job_id, "jsonl").records()
    except ApiError as error:
        if error.code != "no_records":
            raise
        exported = []
    cost = sum((Decimal(str(record["cost_usd"])) for record in exported), Decimal(0))
    return JobOutcome(job_id, template_name, status, len(exported), records, cost)


def _spent(outcomes: list[JobOutcome]) -> Decimal:
    return sum((job.cost_usd for job in outcomes), Decimal(0))


def _landed(figures: DashboardFigures, target: Decimal, *, step: str) -> None:
    """Fail the set-up (not the dashboard) if the spend did not land just below `target`."""
    spent = figures.percent * MONTHLY_BUDGET / 100
    assert target - LANDING < spent <= target, (
        f"set-up: {step} should have brought the spend to just under ${target}; it is ${spent}"
    )


@allure.story("Every figure, in a busy account, live as jobs run")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.desktop
def test_dashboard_figures_match_the_jobs_made_and_follow_them_live_across_the_budget_alert(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_template: Callable[..., Template],
    make_seed: Callable[..., Seed],
    make_job: Callable[..., Job],
) -> None:
    # Fresh accounts, so that no other test's jobs move these figures.
    account, other = make_account(), make_account()
    account.api.set_monthly_budget(float(MONTHLY_BUDGET))

    seed_id = make_seed(account, name="single.csv").id
    labels = {TINY_BODY: "Tiny", LONG_BODY: "Long", FAILING_BODY: "Failing"}
    names = {body: _unique(label) for body, label in labels.items()}
    template_ids = {
        body: make_template(account, name=name, body=body).id for body, name in names.items()
    }
    outcomes: list[JobOutcome] = []

    def run(body: str, *, records: int, until: str | None, **fields: object) -> int:
        """Start one of this account's jobs; once it has finished (`until`), note its outcome."""
        job = make_job(
            account,
            template_id=template_ids[body],
            seed_id=seed_id,
            records=records,
            until=until,
            **fields,
        )
        if until in FINISHED_JOB_STATUSES:
            note(job.id, body=body, records=records)
        return job.id

    def note(job_id: int, *, body: str, records: int) -> None:
        outcomes.append(_outcome(account, job_id, template_name=names[body], records=records))

    def capped(body: str, target: Decimal, **fields: object) -> dict:
        """Job fields whose cap brings the month's spend to just under `target`."""
        budget = float(target - _spent(outcomes))
        return {"body": body, "records": CAPPED_RECORDS, "budget_usd": budget, **fields}

    with allure.step("This user has eleven jobs of four statuses, spending 78.6-78.7 % of $0.10"):
        for _ in range(7):
            run(TINY_BODY, records=3, until="completed")
        cancelled = run(TINY_BODY, records=100, records_per_second=20, until="running")
        account.api.cancel_job(cancelled)
        note(cancelled, body=TINY_BODY, records=100)
        run(FAILING_BODY, records=10, until="failed")
        run(**capped(LONG_BODY, STATIC_TARGET - Decimal("0.0017")), until="budget_exceeded")
        run(**capped(TINY_BODY, STATIC_TARGET), until="budget_exceeded")
        statuses = sorted({job.status for job in outcomes})
        assert statuses == ["budget_exceeded", "cancelled", "completed", "failed"], (
            f"set-up: the jobs ended {statuses}"
        )
        static = expected_figures(outcomes, monthly_budget_usd=MONTHLY_BUDGET)
        _landed(static, STATIC_TARGET, step="the eleven jobs")

    # Made last, so that the newest jobs, alerts and records of the platform are not this user's.
    with allure.step("Another user then has a running job and a job stopped by its budget"):
        theirs = {
            "template_id": make_template(other, body=TINY_BODY).id,
            "seed_id": make_seed(other, name="single.csv").id,
        }
        their_job = {**theirs, "records": CAPPED_RECORDS}
        make_job(other, **their_job, budget_usd=0.0005, until="budget_exceeded")
        make_job(other, **their_job, records_per_second=5, until="running")

    page = page_for(account)
    # Only pushed dashboard.changed events may refresh the page from here on, not its poll.
    hold_page_timers(page)
    with failing_dashboard_refreshes(page):
        dashboard = DashboardPage(page).open().expect_loaded()
        # Its first refresh fails, so what shows is what the server rendered.
        expect(dashboard.stale_notice, "the page's first refresh was not held back").to_be_visible()
        expect_figures(dashboard, static, when="as the server rendered them for eleven jobs")
    mark_page_loaded(page)
    DashboardRefresh(page).retry_now_button.click()
    expect(dashboard.stale_notice, "Retry now did not refresh the dashboard").to_be_hidden()
    expect_figures(dashboard, static, when="with eleven jobs finished and another user's running")

    with allure.step("A throttled job runs while the dashboard is open"):
        refreshed_before = dashboard.last_updated.get_attribute("datetime") or ""
        live_id = run(**capped(TINY_BODY, UNDER_TARGET, records_per_second=8), until=None)
        expect(
            dashboard.running_jobs_count, "the dashboard does not count the new job as running"
        ).to_have_text("1")
        row = dashboard.recent_job_row(live_id)
        expect(
            dashboard.recent_jobs.rows.first,
            f"Job #{live_id} should lead Recent jobs as running, with its first records",
        ).to_have_text(
            re.compile(
                # The cells' text is read with the tabs between them.
                rf"^Job #{live_id}\s+{names[TINY_BODY]}\s+running\s+[1-9]\d* / "
                rf"{CAPPED_RECORDS}\s+\$0\.\d{{4}}$"
            ),
            use_inner_text=True,
        )
        expect(
            dashboard.recent_jobs.cell(row, "Status"), "the job's stop never reached the dashboard"
        ).to_have_text("budget_exceeded", timeout=run_wait_ms(records=30, speed=8))
        note(live_id, body=TINY_BODY, records=CAPPED_RECORDS)
        under = expected_figures(outcomes, monthly_budget_usd=MONTHLY_BUDGET)
        _landed(under, UNDER_TARGET, step="the throttled job")
        expect_figures(dashboard, under, when="after a live job took the spend to 79.7-79.8 %")
        expect(dashboard.last_updated).not_to_have_attribute("datetime", refreshed_before)

    with allure.step("One more job takes the spend to 80.0 % of the budget"):
        run(**capped(TINY_BODY, AT_TARGET), until="budget_exceeded")
        at = expected_figures(outcomes, monthly_budget_usd=MONTHLY_BUDGET)
        _landed(at, AT_TARGET, step="the last job")
        expect_figures(dashboard, at, when="after a live job took the spend to 80.0 %")
    expect_not_reloaded(page, what="the dashboard")


@allure.story("The largest monthly budget, shown in full")
@allure.severity(allure.severity_level.NORMAL)
@pytest.mark.desktop
def test_dashboard_shows_the_largest_monthly_budget_in_full_with_a_job_against_it(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_job: Callable[..., Job],
) -> None:
    account = make_account()
    with allure.step(f"The account takes the largest monthly budget, {usd(LARGEST_BUDGET, 2)}"):
        try:
            stored = account.api.set_monthly_budget(float(LARGEST_BUDGET))
        except ApiError as error:
            largest = usd(LARGEST_BUDGET, 2)
            pytest.fail(f"the largest monthly budget, {largest}, was refused: {error}")
        assert stored.monthly_budget_usd == float(LARGEST_BUDGET), (
            f"a monthly budget of {usd(LARGEST_BUDGET, 2)} was stored as {stored}"
        )
    job = make_job(account, records=4, until="completed")
    outcome = _outcome(account, job.id, template_name=job.template_name, records=4)
    dashboard = DashboardPage(page_for(account)).open().expect_loaded()

    expected = expected_figures([outcome], monthly_budget_usd=LARGEST_BUDGET)
    expect_figures(dashboard, expected, when=f"with one job against {usd(LARGEST_BUDGET, 2)}")


@allure.story("Recovery after the data request fails")
@allure.severity(allure.severity_level.CRITICAL)
def test_dashboard_keeps_its_last_values_while_refreshes_fail_and_then_catches_up(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_job: Callable[..., Job],
) -> None:
    account = make_account()
    dashboard = DashboardPage(page_for(account)).open().expect_loaded()
    expect_counters(dashboard, running_jobs=0, records_today=0)

    recover_after_failed_refreshes(
        dashboard,
        change_data=lambda: make_job(account, records=10, until="completed"),
        records_after=10,
    )
