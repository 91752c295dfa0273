"""What the live screens show about their own data requests: slow, failed, retried.

The job page and the dashboard re-read their data from the API; these components expose
the loading status, the problem alerts and the retry controls described in docs/screens.md.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class ProblemAlert:
    """A `role="alert"` box saying what failed, with a "Retry" button when retrying helps."""

    def __init__(self, root: Locator) -> None:
        self.root = root

    @property
    def retry_button(self) -> Locator:
        """The "Retry" button inside the alert."""
        return self.root.get_by_role("button", name="Retry", exact=True)

    def retry(self) -> None:
        """Press "Retry"."""
        self.retry_button.click()


class _Refresh:
    """A live screen's re-read of its data; both screens show its status in one place."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def loading_status(self) -> Locator:
        """What the screen says while a re-read is slow ("Loading the latest state…" on the
        job page, "Updating…" on the dashboard); empty otherwise."""
        return self.page.get_by_test_id("refresh-status")


class JobRefresh(_Refresh):
    """The job page's re-read of the job: its loading status and what it says on failure."""

    @property
    def refresh_error(self) -> ProblemAlert:
        """The alert shown when the job could not be re-read, with its "Retry" button."""
        return ProblemAlert(self.page.get_by_test_id("refresh-error"))

    @property
    def cancel_error(self) -> ProblemAlert:
        """The alert shown when "Cancel job" did not reach the platform."""
        return ProblemAlert(self.page.get_by_test_id("cancel-error"))


class DashboardRefresh(_Refresh):
    """The dashboard's refreshes: "Updating…" while slow, "Retry now" while failing."""

    @property
    def retry_now_button(self) -> Locator:
        """The "Retry now" button shown beside the stale notice."""
        return self.page.get_by_role("button", name="Retry now", exact=True)

    def retry_now(self) -> None:
        """Press "Retry now"."""
        self.retry_now_button.click()
