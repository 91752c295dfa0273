"""The login screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator

from pages.base import BasePage

if TYPE_CHECKING:
    from pages.dashboard import DashboardPage
    from pages.signup import SignupPage


class LoginPage(BasePage):
    """`/login`: email and password; success goes to `next` or the dashboard."""

    path = "/login"
    heading = "Log in"

    @property
    def email(self) -> Locator:
        """The "Email" textbox."""
        return self.page.get_by_role("textbox", name="Email", exact=True)

    @property
    def password(self) -> Locator:
        """The "Password" field (a password input has no textbox role, so by label)."""
        return self.page.get_by_label("Password", exact=True)

    @property
    def log_in_button(self) -> Locator:
        """The "Log in" button."""
        return self.page.get_by_role("button", name="Log in", exact=True)

    @property
    def sign_up_link(self) -> Locator:
        """The "Sign up" link."""
        return self.page.get_by_role("main").get_by_role("link", name="Sign up", exact=True)

    def submit_credentials(self, *, email: str, password: str) -> None:
        """Fill the form and press "Log in", whatever the outcome."""
        # A refused login comes back with the email typed in, and Firefox over WebDriver BiDi
        # appends to a filled field on fill(): emptied first, the address is sent as given.
        self.email.clear()
        self.email.fill(email)
        self.password.fill(password)
        self.log_in_button.click()

    def log_in(self, *, email: str, password: str) -> DashboardPage:
        """Log in with good credentials; lands on the dashboard."""
        from pages.dashboard import DashboardPage

        self.submit_credentials(email=email, password=password)
        return DashboardPage(self.page)

    def go_to_sign_up(self) -> SignupPage:
        """Follow the "Sign up" link."""
        from pages.signup import SignupPage

        self.sign_up_link.click()
        return SignupPage(self.page)
