"""The character observatory: the ecosystems list and one ecosystem's live view."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from pages.base import BasePage
from pages.components import DataTable


class ObservatoryPage(BasePage):
    """`/observatory`: create an ecosystem; the user's own and every public one."""

    path = "/observatory"
    heading = "Observatory"
    nav_label = "Observatory"

    @property
    def name(self) -> Locator:
        """The "Name" textbox of the create form."""
        return self.page.get_by_role("textbox", name="Name", exact=True)

    @property
    def visibility(self) -> Locator:
        """The "Visibility" combobox (Private / Public)."""
        return self.page.get_by_role("combobox", name="Visibility", exact=True)

    @property
    def create_button(self) -> Locator:
        """The "Create ecosystem" button."""
        return self.page.get_by_role("button", name="Create ecosystem", exact=True)

    @property
    def table(self) -> DataTable:
        """The "Ecosystems" table."""
        return DataTable(self.page.get_by_role("table", name="Ecosystems"))

    def create(self, *, name: str, visibility: str = "Private") -> EcosystemPage:
        """Create an ecosystem; success lands on its page."""
        self.name.fill(name)
        self.visibility.select_option(label=visibility)
        self.create_button.click()
        return EcosystemPage(self.page)

    def open_ecosystem(self, name: str) -> EcosystemPage:
        """Open the ecosystem called `name`."""
        self.table.root.get_by_role("link", name=name, exact=True).click()
        return EcosystemPage(self.page)


class Roster:
    """The "Roster" table, 50 characters a page, with its page navigation."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.table = DataTable(page.get_by_role("table", name="Roster"))

    @property
    def root(self) -> Locator:
        """The roster table itself."""
        return self.table.root

    @property
    def region(self) -> Locator:
        """The scrolling box around the table: what the roster occupies on screen."""
        # The table may be wider than its column and scroll inside this box on narrow screens.
        return self.page.get_by_role("region", name="Roster table", exact=True)

    def read_rows(self) -> list[dict[str, str]]:
        """Every row of the page shown as {column header: cell text}, read in one go."""
        return self.root.evaluate(
            """table => {
                const headers = [...table.tHead.rows[0].cells].map(cell => cell.innerText.trim());
                return [...table.tBodies[0].rows].map(row => Object.fromEntries(
                    [...row.cells].map((cell, index) => [headers[index], cell.innerText.trim()])));
            }"""
        )

    def row(self, character_name: str) -> Locator:
        """The row of the character called `character_name`."""
        name_cell = self.page.get_by_role("cell", name=character_name, exact=True)
        return self.table.rows.filter(has=name_cell)

    def energy(self, character_name: str) -> Locator:
        """The Energy cell of `character_name`'s row."""
        return self.table.cell(self.row(character_name), "Energy")

    def reputation(self, character_name: str) -> Locator:
        """The Reputation cell of `character_name`'s row."""
        return self.table.cell(self.row(character_name), "Reputation")

    @property
    def pages_nav(self) -> Locator:
        """The "Roster pages" navigation."""
        return self.page.get_by_role("navigation", name="Roster pages")

    @property
    def page_indicator(self) -> Locator:
        """ "Page P of N"."""
        return self.pages_nav.get_by_text(re.compile(r"^Page \d+ of \d+$"))

    @property
    def next_link(self) -> Locator:
        """The "Next page" link (absent on the last page)."""
        return self.pages_nav.get_by_role("link", name="Next page", exact=True)

    @property
    def previous_link(self) -> Locator:
        """The "Previous page" link (absent on the first page)."""
        return self.pages_nav.get_by_role("link", name="Previous page", exact=True)

    def next_page(self) -> None:
        """Follow "Next page"."""
        self.next_link.click()

    def previous_page(self) -> None:
        """Follow "Previous page"."""
        self.previous_link.click()


class InteractionFeed:
    """The "Interaction feed" log: newest first, at most 50 kept."""

    def __init__(self, page: Page) -> None:
        self.root = page.get_by_role("log", name="Interaction feed")

    @property
    def items(self) -> Locator:
        """The interaction items."""
        return self.root.get_by_test_id("interaction")

    def item(self, summary: str) -> Locator:
        """The items reading exactly `summary` ("Ada greeted Bob")."""
        return self.items.filter(has_text=re.compile(rf"^\s*{re.escape(summary)}\s*$"))

    def newest_summary(self) -> str:
        """The text of the newest interaction shown right now."""
        return self.items.first.inner_text().strip()

    def texts(self) -> list[str]:
        """The text of every item shown right now, newest first."""
        return [text.strip() for text in self.items.all_inner_texts()]


class EcosystemPage(BasePage):
    """`/observatory/{ecosystem_id}`: the heading is the ecosystem's name."""

    path = "/observatory/{ecosystem_id}"

    @property
    def simulation_status(self) -> Locator:
        """ "running" or "paused"."""
        return self.page.get_by_test_id("simulation-status")

    @property
    def live_status(self) -> Locator:
        """ "Live" once the page is subscribed to the ecosystem's interactions."""
        return self.page.get_by_test_id("live-status")

    @property
    def start_button(self) -> Locator:
        """The owner's "Start simulation" button."""
        return self.page.get_by_role("button", name="Start simulation", exact=True)

    @property
    def pause_button(self) -> Locator:
        """The owner's "Pause simulation" button."""
        return self.page.get_by_role("button", name="Pause simulation", exact=True)

    @property
    def character_count(self) -> Locator:
        """How many characters live in the ecosystem."""
        return self.page.get_by_test_id("character-count")

    @property
    def add_character_button(self) -> Locator:
        """The owner's "Add character" button."""
        return self.page.get_by_role("button", name="Add character", exact=True)

    @property
    def roster(self) -> Roster:
        """The "Roster" table."""
        return Roster(self.page)

    @property
    def feed(self) -> InteractionFeed:
        """The "Interaction feed"."""
        return InteractionFeed(self.page)

    @property
    def ecosystem_id(self) -> int:
        """The id in the current URL."""
        return int(self.path_param("ecosystem_id"))

    def start_simulation(self) -> None:
        """Press "Start simulation"."""
        self.start_button.click()

    def pause_simulation(self) -> None:
        """Press "Pause simulation"."""
        self.pause_button.click()

    def add_character(self, *, name: str, species: str, traits: list[str]) -> None:
        """Fill the owner's character form and press "Add character"."""
        self.page.get_by_role("textbox", name="Name", exact=True).fill(name)
        self.page.get_by_role("textbox", name="Species", exact=True).fill(species)
        self.page.get_by_role("textbox", name="Traits", exact=True).fill(", ".join(traits))
        self.add_character_button.click()
