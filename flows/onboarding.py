"""Onboarding: a new user signs up, then logs in through the UI."""

from __future__ import annotations

from typing import Protocol

import allure
from playwright.sync_api import Page, expect

from pages.dashboard import DashboardPage
from pages.login import LoginPage
from pages.signup import SignupPage

ACCOUNT_CREATED = "Account created. Log in to continue."


class Credentials(Protocol):
    """What a person types to sign up and log in."""

    email: str
    password: str
    display_name: str


def sign_up(page: Page, user: Credentials) -> LoginPage:
    """Sign up through the form; lands on the login screen with a confirmation."""
    with allure.step(f"Sign up as {user.email}"):
        signup = SignupPage(page).open().expect_loaded()
        login = signup.sign_up(
            email=user.email, display_name=user.display_name, password=user.password
        )
    with allure.step("The login screen confirms the account was created"):
        login.expect_loaded()
        expect(login.flash.root).to_have_text(ACCOUNT_CREATED)
    return login


def log_in(login: LoginPage, user: Credentials) -> DashboardPage:
    """Log in through the form; lands on the dashboard showing the user's name."""
    with allure.step(f"Log in as {user.email}"):
        dashboard = login.log_in(email=user.email, password=user.password)
    with allure.step("The dashboard greets the user by display name"):
        dashboard.expect_loaded()
        expect(dashboard.navigation.current_user).to_have_text(user.display_name)
    return dashboard


def sign_up_and_log_in(page: Page, user: Credentials) -> DashboardPage:
    """The whole onboarding: sign up, then log in with the same credentials."""
    return log_in(sign_up(page, user), user)
