"""Proving that a screen updated live: a mark on the window that a reload would wipe."""

from __future__ import annotations

from playwright.sync_api import Page

_MARK = "__loadedOnceForThisCheck"


def mark_page_loaded(page: Page) -> None:
    """Leave a mark on the current document; any reload or navigation removes it."""
    page.evaluate(f"() => {{ window.{_MARK} = true; }}")


def expect_not_reloaded(page: Page, *, what: str) -> None:
    """Fail if the document marked by `mark_page_loaded` has been replaced."""
    still_marked = page.evaluate(f"() => window.{_MARK} === true")
    assert still_marked, f"{what} was reloaded; its updates were not live"
