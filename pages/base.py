"""The base every page object shares: its path, how to open it and how to recognise it."""

from __future__ import annotations

import re
from typing import Any, Self

from playwright.sync_api import Locator, Page, expect

from pages.components import FlashMessage, FormErrors, Navigation

_PATH_PARAMETER = re.compile(r"\{([a-z_]+)\}")


def path_pattern(path: str, *, named_groups: bool = False) -> re.Pattern[str]:
    """A regex matching a URL whose path is `path`, each `{name}` matching one segment.

    The browser runs the pattern for `to_have_url`, and JavaScript has no `(?P<name>...)`,
    so the groups are only named (for Python's own matching) when asked.
    """
    pieces = _PATH_PARAMETER.split(path)
    # split() alternates literal text and parameter names: even indexes are literal.
    body = "".join(
        re.escape(piece)
        if index % 2 == 0
        else (rf"(?P<{piece}>[^/?#]+)" if named_groups else r"[^/?#]+")
        for index, piece in enumerate(pieces)
    )
    return re.compile(rf"^[a-z]+://[^/]+{body}(?:[?#].*)?$")


class BasePage:
    """A screen of the platform reached at `path` whose `<h1>` reads `heading`.

    `path` may hold parameters such as `/jobs/{job_id}`; `heading` is a string, a regex,
    or None when the heading is data (a seed's or an ecosystem's name).
    """

    path: str = "/"
    heading: str | re.Pattern[str] | None = None
    #: The name of the main navigation link that leads here, if one does.
    nav_label: str | None = None

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, **params: Any) -> Self:
        """Go to this screen, filling the path's parameters from `params`."""
        self.page.goto(self.path.format(**params))
        return self

    def expect_loaded(self) -> Self:
        """Check that the browser shows this screen: its URL and its heading."""
        expect(self.page).to_have_url(path_pattern(self.path))
        expect(self.main_heading).to_be_visible()
        return self

    def path_param(self, name: str) -> str:
        """The value of the path parameter `name` in the current URL."""
        match = path_pattern(self.path, named_groups=True).match(self.page.url)
        if match is None:
            raise LookupError(f"{self.page.url} does not match {self.path}")
        return match.group(name)

    @property
    def main_heading(self) -> Locator:
        """The screen's one `<h1>`."""
        if self.heading is None:
            return self.page.get_by_role("heading", level=1)
        return self.page.get_by_role("heading", level=1, name=self.heading, exact=True)

    @property
    def navigation(self) -> Navigation:
        """The header's main navigation."""
        return Navigation(self.page)

    @property
    def flash(self) -> FlashMessage:
        """The message shown after a redirect."""
        return FlashMessage(self.page)

    @property
    def form_errors(self) -> FormErrors:
        """The errors of the screen's form."""
        return FormErrors(self.page)
