"""The sign-up screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator

from pages.base import BasePage

if TYPE_CHECKING:
    from pages.login import LoginPage


class SignupPage(BasePage):
    """`/signup`: a new user's email, display name and password."""

    path = "/signup"
    heading = "Sign up"

    @property
    def email(self) -> Locator:
        """The "Email" textbox."""
        return self.page.get_by_role("textbox", name="Email", exact=True)

    @property
    def display_name(self) -> Locator:
        """The "Display name" textbox."""
        return self.page.get_by_role("textbox", name="Display name", exact=True)

    @property
    def password(self) -> Locator:
        """The "Password" field (a password input has no textbox role, so by label)."""
        return self.page.get_by_label("Password", exact=True)

    @property
    def sign_up_button(self) -> Locator:
        """The "Sign up" button."""
        return self.page.get_by_role("button", name="Sign up", exact=True)

    def sign_up(self, *, email: str, display_name: str, password: str) -> LoginPage:
        """Fill the form and submit it; success lands on the login screen."""
        from pages.login import LoginPage

        # A refused sign-up comes back filled in, and Firefox over WebDriver BiDi appends to a
        # filled field on fill(): emptied first, each field holds exactly what is given.
        for field, value in (
            (self.email, email),
            (self.display_name, display_name),
            (self.password, password),
        ):
            field.clear()
            field.fill(value)
        self.sign_up_button.click()
        return LoginPage(self.page)
