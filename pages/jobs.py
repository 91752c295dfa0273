"""Generation jobs: the list, the new-job form and one job's live detail."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Download, Locator

from pages.base import BasePage
from pages.components import DataTable, fill_number

#: The output formats a job can be exported in, as the download links name them.
FORMAT_LABELS = {"jsonl": "JSONL", "csv": "CSV"}

_RECORDS_DONE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def records_done_text(done: int, total: int) -> re.Pattern[str]:
    """What the records-done counter reads at `done` of `total`, spacing aside."""
    return re.compile(rf"^\s*{done}\s*/\s*{total}\s*$")


@dataclass(frozen=True)
class TableRow:
    """One body row of a table as a person reads it: cell texts by column, links by name."""

    cells: dict[str, str]
    links: dict[str, str]


# One round trip for a whole table: reading 50 rows cell by cell costs a second or more.
_READ_ROWS_JS = """table => {
  const headers = [...table.querySelectorAll("thead th")].map(th => th.innerText.trim());
  return [...table.querySelectorAll("tbody tr")].map(row => {
    const cells = {};
    [...row.children].forEach((cell, i) => { cells[headers[i]] = cell.innerText.trim(); });
    const links = {};
    row.querySelectorAll("a").forEach(a => { links[a.innerText.trim()] = a.getAttribute("href"); });
    return { cells, links };
  });
}"""


def read_table_rows(table: Locator) -> list[TableRow]:
    """Every body row of `table`, read at once once the table is there."""
    table.wait_for()
    rows = table.evaluate(_READ_ROWS_JS)
    return [TableRow(cells=row["cells"], links=row["links"]) for row in rows]


class JobsPage(BasePage):
    """`/jobs`: the user's jobs."""

    path = "/jobs"
    heading = "Jobs"
    nav_label = "Jobs"

    @property
    def new_job_link(self) -> Locator:
        """The "New job" link."""
        return self.page.get_by_role("link", name="New job", exact=True)

    @property
    def table(self) -> DataTable:
        """The "Jobs" table."""
        return DataTable(self.page.get_by_role("table", name="Jobs"))

    def row_for(self, job_id: int) -> Locator:
        """The table row of job `job_id`."""
        return self.table.row_with_link(f"Job #{job_id}")

    @property
    def next_page_link(self) -> Locator:
        """ "Next page" in the "Jobs pages" navigation, shown when more jobs follow."""
        pager = self.page.get_by_role("navigation", name="Jobs pages")
        return pager.get_by_role("link", name="Next page", exact=True)

    def read_rows(self) -> list[TableRow]:
        """The rows of this page of the "Jobs" table."""
        return read_table_rows(self.table.root)

    def start_new(self) -> NewJobPage:
        """Follow "New job"."""
        self.new_job_link.click()
        return NewJobPage(self.page)

    def open_job(self, job_id: int) -> JobPage:
        """Follow the "Job #ID" link."""
        self.table.root.get_by_role("link", name=f"Job #{job_id}", exact=True).click()
        return JobPage(self.page)


class NewJobPage(BasePage):
    """`/jobs/new`: a template, a seed, how many records, the budget, speed and format."""

    path = "/jobs/new"
    heading = "New job"

    @property
    def template(self) -> Locator:
        """The "Template" combobox."""
        return self.page.get_by_role("combobox", name="Template", exact=True)

    @property
    def seed_dataset(self) -> Locator:
        """The "Seed dataset" combobox."""
        return self.page.get_by_role("combobox", name="Seed dataset", exact=True)

    @property
    def records(self) -> Locator:
        """The "Records" spinbutton."""
        return self.page.get_by_role("spinbutton", name="Records", exact=True)

    @property
    def budget(self) -> Locator:
        """The "Budget (USD)" spinbutton."""
        return self.page.get_by_role("spinbutton", name="Budget (USD)", exact=True)

    @property
    def speed(self) -> Locator:
        """The "Speed (records per second)" spinbutton; 0 means unthrottled."""
        return self.page.get_by_role("spinbutton", name="Speed (records per second)", exact=True)

    @property
    def output_format(self) -> Locator:
        """The "Output format" combobox (values jsonl, csv)."""
        return self.page.get_by_role("combobox", name="Output format", exact=True)

    @property
    def create_button(self) -> Locator:
        """The "Create job" button."""
        return self.page.get_by_role("button", name="Create job", exact=True)

    def fill(
        self,
        *,
        template_name: str,
        seed_name: str,
        records: int,
        budget_usd: float,
        fmt: str = "jsonl",
        speed: int = 0,
    ) -> None:
        """Fill every field of the form."""
        self.template.select_option(label=template_name)
        self.seed_dataset.select_option(label=seed_name)
        fill_number(self.records, records)
        fill_number(self.budget, f"{budget_usd:.2f}")
        fill_number(self.speed, speed)
        self.output_format.select_option(value=fmt)

    def create(self) -> JobPage:
        """Press "Create job"; success lands on the new job's page."""
        self.create_button.click()
        return JobPage(self.page)


class JobPage(BasePage):
    """`/jobs/{job_id}`: status, progress, rate and cost, all updated live."""

    path = "/jobs/{job_id}"
    heading = re.compile(r"^Job #\d+$")

    @property
    def status(self) -> Locator:
        """The status text: queued, running, completed, cancelled, budget_exceeded, failed."""
        return self.page.get_by_test_id("job-status")

    @property
    def progress(self) -> Locator:
        """The "Job progress" bar (`aria-valuenow` done, `aria-valuemax` total)."""
        return self.page.get_by_role("progressbar", name="Job progress")

    @property
    def records_done(self) -> Locator:
        """Records done against the total, e.g. "12 / 100"."""
        return self.page.get_by_test_id("records-done")

    @property
    def records_per_second(self) -> Locator:
        """The measured generation rate."""
        return self.page.get_by_test_id("records-per-second")

    @property
    def cost(self) -> Locator:
        """The job's cost so far, e.g. "$0.0123"."""
        return self.page.get_by_test_id("job-cost")

    @property
    def live_status(self) -> Locator:
        """ "Live" while the WebSocket is open, "Reconnecting…" while it is not."""
        return self.page.get_by_test_id("live-status")

    def fact(self, term: str) -> Locator:
        """The value beside `term` in the job's facts ("Budget", "Template", "Speed", ...)."""
        term_element = self.page.get_by_role("term").filter(has_text=re.compile(rf"^{term}$"))
        # Each fact is a <div> of one <dt> and its <dd> inside the facts list.
        fact = self.page.locator("dl div").filter(has=term_element)
        return fact.get_by_role("definition")

    @property
    def job_error(self) -> Locator:
        """Why a failed or budget-stopped job stopped; hidden when there is no reason."""
        return self.page.get_by_test_id("job-error")

    @property
    def cancel_button(self) -> Locator:
        """The "Cancel job" button, present while queued or running."""
        return self.page.get_by_role("button", name="Cancel job", exact=True)

    def download_link(self, fmt: str) -> Locator:
        """The "Download JSONL" or "Download CSV" link."""
        return self.page.get_by_role("link", name=f"Download {FORMAT_LABELS[fmt]}", exact=True)

    @property
    def job_id(self) -> int:
        """The id in the current URL."""
        return int(self.path_param("job_id"))

    def cancel(self) -> None:
        """Press "Cancel job"."""
        self.cancel_button.click()

    def download(self, fmt: str) -> Download:
        """Follow the download link for `fmt` and return the finished download."""
        with self.page.expect_download() as download_info:
            self.download_link(fmt).click()
        return download_info.value

    def progress_value(self) -> int:
        """The progress bar's current `aria-valuenow`."""
        return int(self.progress.get_attribute("aria-valuenow") or 0)

    def counts(self) -> tuple[int, int]:
        """The records done and total that the counter reads right now."""
        text = self.records_done.inner_text()
        match = _RECORDS_DONE.match(text)
        if match is None:
            raise ValueError(f"records-done reads {text!r}, not 'done / total'")
        return int(match.group(1)), int(match.group(2))

    def cost_usd(self) -> float:
        """The shown cost as a number of dollars."""
        return float(self.cost.inner_text().strip().removeprefix("$"))
