"""The exports screen: one row per job that has records to download."""

from __future__ import annotations

from playwright.sync_api import Download, Locator

from pages.base import BasePage
from pages.components import DataTable
from pages.jobs import FORMAT_LABELS, TableRow, read_table_rows


class ExportsPage(BasePage):
    """`/exports`."""

    path = "/exports"
    heading = "Exports"
    nav_label = "Exports"

    @property
    def table(self) -> DataTable:
        """The "Exports" table."""
        return DataTable(self.page.get_by_role("table", name="Exports"))

    @property
    def empty_message(self) -> Locator:
        """ "No exports yet.", shown when no job can be exported."""
        return self.page.get_by_text("No exports yet.", exact=True)

    def row_for(self, job_id: int) -> Locator:
        """The row of job `job_id`."""
        return self.table.row_with_link(f"Job #{job_id}")

    @property
    def next_page_link(self) -> Locator:
        """ "Next page" in the "Exports pages" navigation, shown when more exports follow."""
        pager = self.page.get_by_role("navigation", name="Exports pages")
        return pager.get_by_role("link", name="Next page", exact=True)

    def read_rows(self) -> list[TableRow]:
        """The rows of this page of the "Exports" table."""
        return read_table_rows(self.table.root)

    def download_link(self, job_id: int, fmt: str) -> Locator:
        """The "Download JSONL of job #ID" / "Download CSV of job #ID" link in job `job_id`'s row."""
        name = f"Download {FORMAT_LABELS[fmt]} of job #{job_id}"
        return self.row_for(job_id).get_by_role("link", name=name, exact=True)

    def download(self, job_id: int, fmt: str) -> Download:
        """Download job `job_id`'s records as `fmt` and return the finished download."""
        with self.page.expect_download() as download_info:
            self.download_link(job_id, fmt).click()
        return download_info.value
