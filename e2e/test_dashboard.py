"""The dashboard follows running jobs live and rides out failing refreshes, without a reload."""

from __future__ import annotations

from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page

from fixtures.accounts import Account
from flows.dashboard import expect_counters, follow_job_live, recover_after_failed_refreshes
from pages.dashboard import DashboardPage

pytestmark = [
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Dashboard"),
]


@allure.story("Live update while a job runs")
@allure.severity(allure.severity_level.CRITICAL)
def test_dashboard_follows_a_running_job_without_reloading(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_job: Callable[..., dict],
) -> None:
    # A fresh account, so that no other test's jobs move these counters.
    account = make_account()
    dashboard = DashboardPage(page_for(account)).open().expect_loaded()
    expect_counters(dashboard, running_jobs=0, records_today=0)

    follow_job_live(
        dashboard,
        # Throttled to about four seconds, so that the job is seen running.
        start_job=lambda: make_job(account, records=40, records_per_second=10)["id"],
        records=40,
        speed=10,
    )


@allure.story("Recovery after the data request fails")
@allure.severity(allure.severity_level.CRITICAL)
def test_dashboard_keeps_its_last_values_while_refreshes_fail_and_then_catches_up(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_job: Callable[..., dict],
) -> None:
    account = make_account()
    dashboard = DashboardPage(page_for(account)).open().expect_loaded()
    expect_counters(dashboard, running_jobs=0, records_today=0)

    recover_after_failed_refreshes(
        dashboard,
        change_data=lambda: make_job(account, records=10, until="completed"),
        records_after=10,
    )
