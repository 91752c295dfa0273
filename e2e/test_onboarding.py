"""Onboarding: a new person signs up and logs in through the UI, and a wrong password is refused."""

from __future__ import annotations

import re
from collections.abc import Callable

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account, UserProfile
from flows.dashboard import expect_counters
from flows.onboarding import sign_up_and_log_in
from pages.jobs import JobsPage
from pages.login import LoginPage

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.journey,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Onboarding"),
]


@allure.story("Sign up, then log in")
@allure.severity(allure.severity_level.BLOCKER)
def test_new_user_signs_up_logs_in_and_lands_on_an_empty_dashboard(
    page: Page, new_user: UserProfile
) -> None:
    dashboard = sign_up_and_log_in(page, new_user)

    expect_counters(dashboard, running_jobs=0, records_today=0)
    expect(dashboard.alerts_list).to_have_text("No alerts")
    expect(dashboard.spend_amount).to_have_text(re.compile(r"^\$0\.00 of \$\d+\.\d{2}$"))


@allure.story("Wrong password")
@allure.severity(allure.severity_level.CRITICAL)
def test_wrong_password_is_refused_with_a_form_error(
    page: Page, make_account: Callable[..., Account]
) -> None:
    account = make_account()
    login = LoginPage(page).open().expect_loaded()

    login.submit_credentials(email=account.email, password=account.password + "-wrong")

    expect(login.form_errors.form_error).to_have_text("Wrong email or password.")
    login.expect_loaded()


@allure.story("Return to the page asked for")
@allure.severity(allure.severity_level.NORMAL)
def test_logging_in_from_a_protected_page_returns_to_it(
    page: Page, make_account: Callable[..., Account]
) -> None:
    account = make_account()
    page.goto("/jobs")
    login = LoginPage(page)
    login.expect_loaded()

    login.submit_credentials(email=account.email, password=account.password)

    jobs = JobsPage(page).expect_loaded()
    expect(jobs.navigation.current_user).to_have_text(account.display_name)
