"""The dashboard: today's counters, the monthly budget, recent jobs and alerts."""

from __future__ import annotations

from playwright.sync_api import Locator

from pages.base import BasePage
from pages.components import DataTable


class DashboardPage(BasePage):
    """`/dashboard`: refreshes itself when the platform says its data changed."""

    path = "/dashboard"
    heading = "Dashboard"
    nav_label = "Dashboard"

    @property
    def running_jobs_count(self) -> Locator:
        """How many of the user's jobs are queued or running."""
        return self.page.get_by_test_id("running-jobs-count")

    @property
    def records_today_count(self) -> Locator:
        """How many records the user's jobs produced today (all of them, any job)."""
        return self.page.get_by_test_id("records-today-count")

    @property
    def spend_amount(self) -> Locator:
        """The month's spend against the budget, e.g. "$1.23 of $10.00"."""
        return self.page.get_by_test_id("spend-amount")

    @property
    def budget_used(self) -> Locator:
        """The "Monthly budget used" progress bar (`aria-valuenow` is a percent)."""
        return self.page.get_by_role("progressbar", name="Monthly budget used")

    @property
    def recent_jobs(self) -> DataTable:
        """The "Recent jobs" table."""
        return DataTable(self.page.get_by_role("table", name="Recent jobs"))

    @property
    def alerts_list(self) -> Locator:
        """The "Alerts" list, which reads "No alerts" when empty."""
        return self.page.get_by_role("list", name="Alerts")

    @property
    def alerts(self) -> Locator:
        """The alert items."""
        return self.page.get_by_test_id("dashboard-alert")

    def alert_for_job(self, job_id: int) -> Locator:
        """The alert items about job `job_id`."""
        return self.alerts.filter(has_text=f"Job #{job_id} ")

    @property
    def last_updated(self) -> Locator:
        """The time of the last successful refresh."""
        return self.page.get_by_test_id("last-updated")

    @property
    def stale_notice(self) -> Locator:
        """ "Data may be stale — retrying…", shown only while refreshes fail."""
        return self.page.get_by_test_id("stale-notice")

    def recent_job_row(self, job_id: int) -> Locator:
        """The recent jobs table's row of job `job_id`."""
        return self.recent_jobs.row_with_link(f"Job #{job_id}")

    def recent_job_link(self, job_id: int) -> Locator:
        """The "Job #ID" link in the recent jobs table."""
        return self.recent_jobs.root.get_by_role("link", name=f"Job #{job_id}", exact=True)
