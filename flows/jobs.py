"""Job journeys that stop early: cancellation by the user, and the budget stopping a job."""

from __future__ import annotations

import allure
from playwright.sync_api import expect

from pages.dashboard import DashboardPage
from pages.jobs import JobPage, records_done_text

#: How soon after pressing "Cancel job" the page must read cancelled.
CANCEL_DEADLINE_MS = 1_000

#: Half a unit in the fourth decimal: how far a shown cost may sit above the true one.
SHOWN_COST_ROUNDING = 0.00005

#: The least time allowed for any job to finish, throttled or not.
_MIN_RUN_WAIT_MS = 10_000.0


def run_wait_ms(*, records: int, speed: float) -> float:
    """How long to wait for a job of `records` at `speed` records a second to finish.

    A throttled job needs records / speed seconds; three times that leaves room for a busy
    machine (two workers, two browsers). An unthrottled job gets the floor.
    """
    if not speed:
        return _MIN_RUN_WAIT_MS
    return max(_MIN_RUN_WAIT_MS, 3_000.0 * records / speed)


def cancel_running_job(job_page: JobPage, *, total: int) -> int:
    """Cancel a job once it has produced records; returns how many it kept.

    The status must read cancelled within CANCEL_DEADLINE_MS of the click, the button must
    go, and the counter must stop short of `total`.
    """
    with allure.step("Wait until the job is running and has produced records"):
        expect(job_page.status).to_have_text("running")
        expect(job_page.progress).not_to_have_attribute("aria-valuenow", "0")
    with allure.step("Press Cancel job"):
        job_page.cancel()
    with allure.step(f"The status reads cancelled within {CANCEL_DEADLINE_MS} ms"):
        expect(
            job_page.status,
            f"the job did not read cancelled within {CANCEL_DEADLINE_MS} ms of pressing Cancel",
        ).to_have_text("cancelled", timeout=CANCEL_DEADLINE_MS)
        expect(job_page.cancel_button).to_be_hidden()
    with allure.step("The job kept the records made before the cancel, short of the total"):
        done, shown_total = job_page.counts()
        assert shown_total == total, f"the counter's total reads {shown_total}, expected {total}"
        assert 0 < done < total, (
            f"a cancelled job shows {done} of {total} records; expected some, but not all"
        )
        expect(job_page.progress).to_have_attribute("aria-valuenow", str(done))
    return done


def run_until_budget_stops(job_page: JobPage, *, total: int, budget_usd: float) -> int:
    """Watch a job whose budget covers fewer than `total` records stop; returns its records.

    The status must read budget_exceeded, the cost must not pass the budget and the
    counter must stop short of `total`.
    """
    with allure.step("The job stops with status budget_exceeded"):
        expect(
            job_page.status,
            f"the job was not stopped by its ${budget_usd:.6f} budget",
        ).to_have_text("budget_exceeded")
        expect(job_page.cancel_button).to_be_hidden()
    with allure.step(f"The job shows a cost within its ${budget_usd:.6f} budget"):
        cost = job_page.cost_usd()
        # The page rounds the cost to four decimals, which may lift it by half a unit.
        assert cost <= budget_usd + SHOWN_COST_ROUNDING, (
            f"the job shows a cost of ${cost:.4f}, over its ${budget_usd:.6f} budget"
        )
        done, _ = job_page.counts()
        assert 0 < done < total, (
            f"a job stopped by its budget shows {done} of {total} records; "
            "expected some, but not all"
        )
        expect(job_page.records_done).to_have_text(records_done_text(done, total))
    return done


def expect_budget_alert(dashboard: DashboardPage, *, job_id: int) -> None:
    """The dashboard lists an alert that job `job_id` was stopped by its budget."""
    with allure.step(f"The dashboard alerts that job #{job_id} stopped on its budget"):
        dashboard.expect_loaded()
        expect(
            dashboard.alert_for_job(job_id),
            f"the dashboard shows no budget alert for job #{job_id}",
        ).to_have_text(f"Job #{job_id} stopped: budget exceeded")
