"""The dashboard keeps itself current: live updates while jobs run, and recovery after
its data request fails, all without a reload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import allure
from playwright.sync_api import Page, Route, expect

from flows.jobs import run_wait_ms
from flows.live import expect_not_reloaded, mark_page_loaded
from pages.dashboard import DashboardPage

DASHBOARD_DATA = "**/api/v1/dashboard"
STALE_NOTICE = "Data may be stale — retrying…"

#: How long the page may take to retry once its data request works again. The page backs off
#: while refreshes fail; three times its longest wait (5 s) leaves room for a busy machine.
RECOVERY_TIMEOUT_MS = 15_000


@dataclass
class RefreshFailures:
    """How many dashboard data requests were made to fail."""

    count: int = 0


@contextmanager
def failing_dashboard_refreshes(page: Page) -> Iterator[RefreshFailures]:
    """While inside, every request for the dashboard's data answers 503."""
    failures = RefreshFailures()

    def answer_unavailable(route: Route) -> None:
        failures.count += 1
        route.fulfill(
            status=503,
            json={"error": {"code": "unavailable", "message": "Injected by the suite"}},
        )

    page.route(DASHBOARD_DATA, answer_unavailable)
    try:
        yield failures
    finally:
        page.unroute(DASHBOARD_DATA, answer_unavailable)


def expect_counters(dashboard: DashboardPage, *, running_jobs: int, records_today: int) -> None:
    """The counters read the given numbers (retrying until they do)."""
    expect(dashboard.running_jobs_count).to_have_text(str(running_jobs))
    expect(dashboard.records_today_count).to_have_text(str(records_today))


def follow_job_live(
    dashboard: DashboardPage, *, start_job: Callable[[], int], records: int, speed: float
) -> int:
    """Start a job while the dashboard is open and watch the dashboard follow it, no reload.

    `start_job` starts a job of `records` throttled to `speed` records a second (through the
    API) and returns its id; the dashboard must count it as running while it runs, then count
    its records once it completes.
    """
    mark_page_loaded(dashboard.page)
    refreshed_before = dashboard.last_updated.get_attribute("datetime")
    with allure.step("Start a job while the dashboard is open"):
        job_id = start_job()
    with allure.step(f"Job #{job_id} shows among the recent jobs and counts as running"):
        expect(dashboard.recent_job_link(job_id)).to_be_visible()
        expect(
            dashboard.running_jobs_count, "the dashboard never counted the job as running"
        ).to_have_text("1")
    with allure.step(f"Once it completes, no job runs and today's records read {records}"):
        row = dashboard.recent_job_row(job_id)
        expect(dashboard.recent_jobs.cell(row, "Status")).to_have_text(
            "completed", timeout=run_wait_ms(records=records, speed=speed)
        )
        expect_counters(dashboard, running_jobs=0, records_today=records)
        expect(dashboard.last_updated).not_to_have_attribute("datetime", refreshed_before or "")
    expect_not_reloaded(dashboard.page, what="the dashboard")
    return job_id


def recover_after_failed_refreshes(
    dashboard: DashboardPage, *, change_data: Callable[[], object], records_after: int
) -> int:
    """Make the dashboard's refreshes fail while its data changes, then let them succeed.

    While they fail the stale notice shows and the last values stay; once the data request
    works again the notice goes and the values catch up, without a reload. `change_data`
    must return only once the platform's data has changed. Returns how many requests were
    made to fail.
    """
    mark_page_loaded(dashboard.page)
    records_before = dashboard.records_today_count.inner_text()
    spend_before = dashboard.spend_amount.inner_text()
    refreshed_before = dashboard.last_updated.get_attribute("datetime") or ""
    with failing_dashboard_refreshes(dashboard.page) as failures:
        with allure.step("The data changes while every dashboard refresh fails"):
            change_data()
        with allure.step("The stale notice shows and the last values are kept"):
            expect(
                dashboard.stale_notice, "no stale notice while the dashboard's refreshes fail"
            ).to_be_visible()
            expect(dashboard.stale_notice).to_have_text(STALE_NOTICE)
            expect(dashboard.records_today_count).to_have_text(records_before)
            expect(dashboard.spend_amount).to_have_text(spend_before)
            expect(dashboard.last_updated).to_have_attribute("datetime", refreshed_before)
    with allure.step("Once the data request works again the dashboard catches up"):
        expect(
            dashboard.stale_notice, "the stale notice stayed after refreshes recovered"
        ).to_be_hidden(timeout=RECOVERY_TIMEOUT_MS)
        expect(
            dashboard.records_today_count, "the dashboard did not catch up after recovering"
        ).to_have_text(str(records_after))
        expect(dashboard.last_updated).not_to_have_attribute("datetime", refreshed_before)
    expect_not_reloaded(dashboard.page, what="the dashboard")
    assert failures.count > 0, "no dashboard refresh was attempted while they were failing"
    allure.attach(str(failures.count), name="dashboard requests made to fail")
    return failures.count
