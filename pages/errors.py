"""The platform's error pages: what a browser shows for a refused or unknown address."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator, expect

from pages.base import BasePage


class ErrorPage(BasePage):
    """A plain error page: its `<h1>` names the error, a paragraph explains it.

    It answers whatever address was asked for, so only the heading identifies it.
    """

    def expect_loaded(self) -> Self:
        """Check that the browser shows this error page (by its heading)."""
        expect(self.main_heading).to_be_visible()
        return self

    @property
    def message(self) -> Locator:
        """The explanation under the heading."""
        return self.page.get_by_role("main").get_by_role("paragraph").first


class NotFoundPage(ErrorPage):
    """404: the address names nothing this user may see."""

    heading = "Page not found"


class FormExpiredPage(ErrorPage):
    """403: a form arrived without the session's CSRF token."""

    heading = "Form expired"
