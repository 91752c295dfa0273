"""Onboarding: a new person signs up and logs in through the UI, and a wrong password is refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

import allure
import pytest
from playwright.sync_api import Page, expect

from fixtures.accounts import Account, UserProfile
from fixtures.data import bad_seed_path
from flows.dashboard import expect_counters
from flows.onboarding import sign_up_and_log_in
from pages.base import path_pattern
from pages.jobs import JobsPage
from pages.login import LoginPage

_NEXT = json.loads(bad_seed_path("input_classes.json").read_text(encoding="utf-8"))["login_next"]
#: A `next` pointing at another site (protocol-relative), and where a login goes instead.
HOSTILE_NEXT: str = _NEXT["browser_refused"]
NEXT_FALLBACK: str = _NEXT["fallback"]

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
def test_logging_in_from_a_protected_page_returns_to_it_and_never_leaves_the_site(
    page: Page, make_account: Callable[..., Account]
) -> None:
    account = make_account()
    # Emails are one account whatever their case: typed in capitals, the address still logs in.
    typed_email = account.email.upper()
    page.goto("/jobs")
    login = LoginPage(page)
    login.expect_loaded()

    with allure.step("A wrong password is refused; the email stays as typed"):
        login.submit_credentials(email=typed_email, password=account.password + "-wrong")
        expect(login.form_errors.form_error).to_have_text("Wrong email or password.")
        expect(login.email, "the refused login keeps the email typed").to_have_value(typed_email)
    with allure.step("The right password, email in capitals: back to the page asked for"):
        login.submit_credentials(email=typed_email, password=account.password)
        back = "logging in with the email in capitals returns to the page asked for"
        expect(page, back).to_have_url(path_pattern(JobsPage.path))
        jobs = JobsPage(page).expect_loaded()
        expect(jobs.navigation.current_user).to_have_text(account.display_name)
    with allure.step(f"A login asked to go to {HOSTILE_NEXT} stays on the site"):
        page.goto(f"/login?next={quote(HOSTILE_NEXT, safe='')}")
        LoginPage(page).expect_loaded().submit_credentials(
            email=account.email, password=account.password
        )
        expect(page, "a login never follows next to another site").to_have_url(
            path_pattern(NEXT_FALLBACK)
        )
