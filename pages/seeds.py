"""Seed data: the list with its upload form, and one seed's detail."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import FilePayload, Locator

from pages.base import BasePage
from pages.components import DataTable


class SeedsPage(BasePage):
    """`/seeds`: upload a CSV or JSONL file; the user's seed datasets."""

    path = "/seeds"
    heading = "Seed data"
    nav_label = "Seed data"

    @property
    def seed_file(self) -> Locator:
        """The "Seed file" file input."""
        return self.page.get_by_label("Seed file", exact=True)

    @property
    def upload_button(self) -> Locator:
        """The "Upload" button."""
        return self.page.get_by_role("button", name="Upload", exact=True)

    @property
    def table(self) -> DataTable:
        """The "Seed datasets" table."""
        return DataTable(self.page.get_by_role("table", name="Seed datasets"))

    def name_link(self, name: str) -> Locator:
        """The link to the seed dataset called exactly `name`."""
        return self.table.root.get_by_role("link", name=name, exact=True)

    def row_for(self, name: str) -> Locator:
        """The table row of the seed dataset called `name`."""
        return self.table.row_with_link(name)

    def delete_button(self, name: str) -> Locator:
        """The "Delete NAME" button of the seed dataset called `name`."""
        return self.page.get_by_role("button", name=f"Delete {name}", exact=True)

    def choose_file(self, path: Path | FilePayload) -> None:
        """Put `path` in the file input."""
        self.seed_file.set_input_files(path)

    def upload(self, path: Path | FilePayload) -> SeedPage:
        """Choose `path` and press "Upload"; success lands on the seed's detail."""
        self.choose_file(path)
        self.upload_button.click()
        return SeedPage(self.page)

    def open_seed(self, name: str) -> SeedPage:
        """Open the detail of the seed called `name`."""
        self.name_link(name).click()
        return SeedPage(self.page)

    def delete(self, name: str) -> None:
        """Press "Delete NAME"."""
        self.delete_button(name).click()


class SeedPage(BasePage):
    """`/seeds/{seed_id}`: the heading is the seed's name."""

    path = "/seeds/{seed_id}"

    @property
    def row_count(self) -> Locator:
        """How many rows the seed holds (a number)."""
        return self.page.get_by_test_id("seed-row-count")

    @property
    def columns(self) -> Locator:
        """The items of the "Columns" list."""
        return self.page.get_by_role("list", name="Columns").get_by_role("listitem")

    @property
    def preview(self) -> DataTable:
        """The "Preview" table (first 10 rows)."""
        return DataTable(self.page.get_by_role("table", name="Preview"))

    def preview_cells(self, row: int) -> Locator:
        """The cells of the `row`-th data row of the "Preview" table, left to right."""
        return self.preview.rows.nth(row).get_by_role("cell")

    @property
    def delete_button(self) -> Locator:
        """The "Delete seed" button."""
        return self.page.get_by_role("button", name="Delete seed", exact=True)

    @property
    def seed_id(self) -> int:
        """The id in the current URL."""
        return int(self.path_param("seed_id"))

    def seed_name(self) -> str:
        """The seed's name, as its heading reads."""
        return self.main_heading.inner_text().strip()
