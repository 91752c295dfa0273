"""Components that recur across screens: navigation, flash messages, form errors, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from playwright.sync_api import Locator, Page

if TYPE_CHECKING:
    from pages.base import BasePage

    PageT = TypeVar("PageT", bound=BasePage)


def fill_number(field: Locator, value: float | str) -> None:
    """Replace the value of an `<input type="number">`."""
    # Firefox driven over WebDriver BiDi appends to a number input's value on fill() instead of
    # replacing it ("100" + "30" → "10030"); emptying the field first works in every engine.
    field.clear()
    field.fill(str(value))


class Navigation:
    """The header's "Main" navigation; on narrow screens its links fold behind "Menu"."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.root = page.get_by_role("navigation", name="Main")

    @property
    def menu_button(self) -> Locator:
        """The "Menu" button shown at 640 px or less."""
        return self.page.get_by_role("button", name="Menu", exact=True)

    @property
    def current_user(self) -> Locator:
        """The signed-in user's display name."""
        return self.page.get_by_test_id("current-user")

    @property
    def log_out_button(self) -> Locator:
        """The "Log out" button."""
        return self.page.get_by_role("button", name="Log out", exact=True)

    def link(self, name: str) -> Locator:
        """The navigation link called `name`."""
        return self.root.get_by_role("link", name=name, exact=True)

    def is_folded(self) -> bool:
        """Whether the links sit behind a closed "Menu" button right now."""
        return (
            self.menu_button.is_visible()
            and self.menu_button.get_attribute("aria-expanded") != "true"
        )

    def open_menu(self) -> None:
        """Unfold the links if they are folded behind "Menu"; do nothing otherwise."""
        if self.is_folded():
            self.menu_button.click()

    def go_to(self, target: type[PageT]) -> PageT:
        """Follow the link to `target`'s screen, unfolding the menu first on narrow screens."""
        if target.nav_label is None:
            raise ValueError(f"{target.__name__} has no link in the main navigation")
        self.open_menu()
        self.link(target.nav_label).click()
        return target(self.page)

    def log_out(self) -> None:
        """Press "Log out"."""
        self.open_menu()
        self.log_out_button.click()


class FlashMessage:
    """The status message shown once after a redirect ("Template saved.")."""

    def __init__(self, page: Page) -> None:
        self.root = page.get_by_test_id("flash-message")


class FormErrors:
    """A form's errors: per field (described by `<field>-error`) and for the whole form."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def field(self, label: str) -> Locator:
        """The control labelled `label`; its accessible description carries its error."""
        return self.page.get_by_label(label, exact=True)

    def field_error(self, field_name: str) -> Locator:
        """The `<p id="<field_name>-error">` the invalid control points at (e.g. "body")."""
        return self.page.locator(f"id={field_name}-error")

    @property
    def form_error(self) -> Locator:
        """The form-level error (wrong password, rate limit)."""
        return self.page.get_by_test_id("form-error")


class DataTable:
    """A table found by its accessible name, read by column header rather than position."""

    def __init__(self, root: Locator) -> None:
        self.root = root

    @property
    def rows(self) -> Locator:
        """Body rows: rows holding data cells, not the header row."""
        # A `has` locator is matched inside each row, so it starts from the page, not the table.
        any_cell = self.root.page.get_by_role("cell")
        return self.root.get_by_role("row").filter(has=any_cell)

    def row(self, text: str) -> Locator:
        """The body rows containing `text` anywhere."""
        return self.rows.filter(has_text=text)

    def row_with_link(self, link_name: str) -> Locator:
        """The body row holding the link named exactly `link_name` ("Job #12", not "Job #123")."""
        link = self.root.page.get_by_role("link", name=link_name, exact=True)
        return self.rows.filter(has=link)

    def column_names(self) -> list[str]:
        """The header texts, left to right."""
        headers = self.root.get_by_role("columnheader")
        headers.first.wait_for()
        return [name.strip() for name in headers.all_inner_texts()]

    def cell(self, row: Locator, column: str) -> Locator:
        """The cell of `row` under the header `column`."""
        return _cells(row).nth(self.column_names().index(column))

    def column_values(self, column: str) -> list[str]:
        """The text of every body row's cell under `column`."""
        index = self.column_names().index(column)
        return [_cells(row).nth(index).inner_text().strip() for row in self.rows.all()]


def _cells(row: Locator) -> Locator:
    # A row may lead with a <th scope="row">, whose role is rowheader rather than cell.
    return row.get_by_role("cell").or_(row.get_by_role("rowheader"))
