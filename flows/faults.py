"""Faults injected between the browser and the platform, and how the screens must ride them out.

Requests the pages make from JavaScript are intercepted with Playwright routing: dropped as if
the network went away, answered 503, or passed on with the platform's `X-Fault-Delay-Ms`
header so that the platform itself answers late. Server-side faults (closed sockets, a killed
process) are handed in by the test as callables, so these flows never reach for the API.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import allure
from playwright.sync_api import Locator, Page, Route, expect

from domain.facts import FINISHED_JOB_STATUSES
from domain.platform_types import Job
from flows.live import expect_not_reloaded, mark_page_loaded
from pages.dashboard import DashboardPage
from pages.jobs import JobPage, records_done_text
from pages.refresh import DashboardRefresh, JobRefresh

DASHBOARD_DATA = "**/api/v1/dashboard"
DELAY_HEADER = "x-fault-delay-ms"
LOADING_JOB = "Loading the latest state…"
UPDATING_DASHBOARD = "Updating…"

#: How far ahead of the install the held clock stops (see hold_page_timers).
HOLD_AHEAD_S = 30

#: How long a restarted platform and the page's reconnection back-off (at most 5 s) may take.
RECONNECT_TIMEOUT_MS = 20_000


def job_data(job_id: int) -> str:
    """The URL pattern of the job page's re-read of job `job_id`."""
    return f"**/api/v1/jobs/{job_id}"


def job_cancel(job_id: int) -> str:
    """The URL pattern of the job page's in-place cancel request."""
    return f"**/api/v1/jobs/{job_id}/cancel"


class Fault(Protocol):
    """A way for the network or the platform to fail one request."""

    #: What the page must say went wrong (the REASON of docs/screens.md), if it says anything.
    reason: str

    def answer(self, route: Route) -> None:
        """Answer the intercepted request the faulty way."""


@dataclass(frozen=True)
class DroppedConnection:
    """The network goes away: the request never gets an answer."""

    reason: str = "the network request failed"

    def answer(self, route: Route) -> None:
        route.abort("internetdisconnected")


@dataclass(frozen=True)
class Unavailable:
    """The platform answers 503 Service Unavailable."""

    status: int = 503

    @property
    def reason(self) -> str:
        return f"the platform answered {self.status}"

    def answer(self, route: Route) -> None:
        route.fulfill(
            status=self.status,
            json={"error": {"code": "unavailable", "message": "Injected by the suite."}},
        )


@dataclass(frozen=True)
class SlowAnswer:
    """The platform answers, but only after `delay_ms` (it honours X-Fault-Delay-Ms)."""

    delay_ms: int
    reason: str = ""

    def answer(self, route: Route) -> None:
        route.continue_(headers={**route.request.headers, DELAY_HEADER: str(self.delay_ms)})


@dataclass
class Interception:
    """What a fault did while it was in place."""

    requests: list[str] = field(default_factory=list)


@contextmanager
def injected(page: Page, url: str, fault: Fault) -> Iterator[Interception]:
    """While inside, every request of `page` to `url` meets `fault`."""
    seen = Interception()

    def handle(route: Route) -> None:
        seen.requests.append(f"{route.request.method} {route.request.url}")
        fault.answer(route)

    page.route(url, handle)
    try:
        yield seen
    finally:
        page.unroute(url, handle)


def hold_page_timers(page: Page) -> None:
    """Stop the page's own timers (polling, reconnection back-off) until `release_page_timers`.

    Call before opening the page. Events still arrive (WebSocket messages, answers to
    requests); only what the page schedules for later waits for the test to let time pass.
    """
    start = time.time()
    page.clock.install(time=start)
    # Pausing must name a moment still ahead of the fake clock, which runs from the install
    # on; half a minute ahead is safe on the busiest machine, and with no page open yet no
    # timer can fall due in the jump.
    page.clock.pause_at(start + HOLD_AHEAD_S)


def release_page_timers(page: Page) -> None:
    """Let the page's timers run again, in real time."""
    page.clock.resume()


def refresh_fails_then_retry_succeeds(
    page: Page, *, job_id: int, fault: Fault, expected_status: str
) -> JobPage:
    """Open a job page whose re-read of the job fails; it must say why and keep its values,
    and "Retry" must bring the job's true state once the fault has passed."""
    refresh = JobRefresh(page)
    with injected(page, job_data(job_id), fault) as interception:
        with allure.step(f"Open job #{job_id} while its data request fails: {fault.reason}"):
            job_page = JobPage(page).open(job_id=job_id).expect_loaded()
        with allure.step("The page says the job could not be re-read, and why"):
            expect(
                refresh.refresh_error.root, "no alert after the job's data request failed"
            ).to_be_visible()
            expect(refresh.refresh_error.root).to_contain_text(
                f"Could not load the latest state of this job: {fault.reason}."
            )
        with allure.step("The page is not blank: the job's values from the server stay"):
            expect(job_page.status).to_have_text(expected_status)
            expect(job_page.records_done).to_have_text(re.compile(r"^\s*\d+\s*/\s*\d+\s*$"))
    assert interception.requests, "the job page never asked for the job's data"
    with allure.step("Once the fault has passed, Retry re-reads the job"):
        mark_page_loaded(page)
        with page.expect_response(lambda response: _is_job_read(response.url, job_id)) as answer:
            refresh.refresh_error.retry()
        assert answer.value.status == 200, f"the retry was answered {answer.value.status}"
        expect(refresh.refresh_error.root, "the alert stayed after a good retry").to_be_hidden()
        expect(job_page.status).to_have_text(expected_status)
        expect_not_reloaded(page, what="the job page")
    return job_page


def _is_job_read(url: str, job_id: int) -> bool:
    return url.split("?")[0].endswith(f"/api/v1/jobs/{job_id}")


def cancel_after_dropped_request(job_page: JobPage, *, fault: Fault) -> None:
    """Press "Cancel job" while the request cannot get through: the page must say the job was
    not cancelled and keep it running; pressing again once it can must cancel it."""
    refresh = JobRefresh(job_page.page)
    with allure.step("The job is running"):
        expect(job_page.status).to_have_text("running")
    with injected(job_page.page, job_cancel(job_page.job_id), fault) as interception:
        with allure.step(f"Press Cancel job while the request fails: {fault.reason}"):
            job_page.cancel()
            expect(
                refresh.cancel_error.root, "no alert after the cancel request failed"
            ).to_have_text(
                f"The job was not cancelled: {fault.reason}. Press Cancel job to try again."
            )
        with allure.step("The job still runs and can still be cancelled"):
            expect(job_page.status).to_have_text("running")
            expect(job_page.cancel_button).to_be_enabled()
    assert interception.requests, "Cancel job sent no request"
    with allure.step("Press Cancel job again once the network is back"):
        job_page.cancel()
        expect(job_page.status).to_have_text("cancelled")
        expect(refresh.cancel_error.root).to_be_hidden()
        expect(job_page.cancel_button).to_be_hidden()


def loading_state_then_content(
    page: Page,
    *,
    open_screen: Callable[[], object],
    loading_status: Locator,
    loading_text: str,
    url: str,
    delay_ms: int,
) -> None:
    """Open a screen whose data request the platform answers `delay_ms` late: the screen must
    show its content and a loading status while it waits, then drop the status, with no
    error in between."""
    with injected(page, url, SlowAnswer(delay_ms)) as interception:
        started = time.monotonic()
        with allure.step(f"Open the screen while its data request takes {delay_ms} ms"):
            open_screen()
        with allure.step(f"The screen says {loading_text!r} while it waits, and is not blank"):
            expect(loading_status, "no loading state during a slow request").to_have_text(
                loading_text
            )
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        with allure.step("Then the answer arrives and the loading state goes"):
            expect(loading_status, "the loading state never went").to_be_hidden(
                timeout=delay_ms + 10_000
            )
            waited_ms = (time.monotonic() - started) * 1000
    assert interception.requests, "the screen made no data request"
    assert waited_ms >= delay_ms, (
        f"the loading state went after {waited_ms:.0f} ms, before the {delay_ms} ms answer came"
    )
    expect(page.get_by_role("alert"), "an error showed although the answer came").to_have_count(0)


def dashboard_recovers_by_retry_after_network_drops(
    page: Page, *, change_data: Callable[[], object], records_after: int
) -> int:
    """Open the dashboard while its data requests are dropped: it must keep the values it
    was served with under the stale notice while the data changes; once the network is back,
    "Retry now" must catch it up without a reload. Returns how many requests were dropped.

    The page's own timed retries are held back, so the recovery seen is the user's retry
    (the automatic one has its own journey in test_dashboard.py).
    """
    hold_page_timers(page)
    refresh = DashboardRefresh(page)
    with injected(page, DASHBOARD_DATA, DroppedConnection()) as interception:
        with allure.step("Open the dashboard while the network is down"):
            dashboard = DashboardPage(page).open().expect_loaded()
            mark_page_loaded(page)
        with allure.step("Its refresh is dropped: the stale notice and Retry now show"):
            expect(
                dashboard.stale_notice, "no stale notice while the network is down"
            ).to_be_visible()
            expect(
                refresh.retry_now_button, "no way to retry while the data is stale"
            ).to_be_visible()
            records_before = dashboard.records_today_count.inner_text()
            refreshed_before = dashboard.last_updated.get_attribute("datetime") or ""
        with allure.step("The data changes; the dashboard keeps its last values"):
            change_data()
            expect(dashboard.records_today_count).to_have_text(records_before)
            expect(dashboard.last_updated).to_have_attribute("datetime", refreshed_before)
            expect(dashboard.stale_notice).to_be_visible()
    assert interception.requests, "no dashboard refresh was attempted while the network was down"
    with allure.step("The network is back: Retry now catches the dashboard up"):
        refresh.retry_now()
        expect(dashboard.stale_notice, "the stale notice stayed after a good retry").to_be_hidden()
        expect(refresh.retry_now_button).to_be_hidden()
        expect(dashboard.records_today_count).to_have_text(str(records_after))
        expect(dashboard.last_updated).not_to_have_attribute("datetime", refreshed_before)
        expect_not_reloaded(page, what="the dashboard")
    return len(interception.requests)


def final_state_arrives_after_server_closes_socket(
    job_page: JobPage,
    *,
    close_sockets: Callable[[], object],
    end_job: Callable[[], Job],
) -> Job:
    """The platform closes the page's WebSocket mid-job, and the job ends before the page
    reconnects (its back-off timer is held): once reconnected, the page must show the job's
    true final state and count, without a reload. `end_job` ends the job on the platform's
    side and returns it as ended; this returns that too."""
    page = job_page.page
    _following_running_job(job_page)
    with allure.step("The platform closes the page's WebSocket"):
        close_sockets()
        expect(job_page.live_status, "the page did not notice its socket closed").to_have_text(
            "Reconnecting…"
        )
    with allure.step("The job ends while the page is disconnected"):
        ended = end_job()
        assert ended.status in FINISHED_JOB_STATUSES, f"the job is still {ended.status}"
        expect(job_page.status).to_have_text("running")
    with allure.step("The page's reconnection timer runs: it reconnects and reads the end"):
        release_page_timers(page)
        expect(job_page.live_status).to_have_text("Live", timeout=RECONNECT_TIMEOUT_MS)
        expect(job_page.status, "the final state sent while disconnected was missed").to_have_text(
            ended.status
        )
        expect(job_page.records_done).to_have_text(
            records_done_text(ended.records_done, ended.records_total)
        )
        expect(job_page.progress).to_have_attribute("aria-valuenow", str(ended.records_done))
        expect_not_reloaded(page, what="the job page")
    return ended


def job_survives_platform_crash(
    job_page: JobPage, *, crash: Callable[[], object], restart: Callable[[], object], total: int
) -> None:
    """The platform process is killed mid-job and started again on the same database: the
    page must notice, reconnect by itself (no reload), and watch the job resume to the end."""
    page = job_page.page
    _following_running_job(job_page)
    with allure.step("The platform process is killed (SIGKILL)"):
        crash()
        expect(job_page.live_status).to_have_text("Reconnecting…")
        done_at_crash = job_page.progress_value()
        assert done_at_crash < total, "the job finished before the platform was killed"
    with allure.step("The platform starts again on the same database"):
        restart()
    with allure.step("The page reconnects by itself, without a reload"):
        expect(
            job_page.live_status, "the page did not reconnect after the platform came back"
        ).to_have_text("Live", timeout=RECONNECT_TIMEOUT_MS)
    with allure.step(f"The job resumes and completes all {total} records"):
        expect(job_page.status, "the job did not complete after the restart").to_have_text(
            "completed", timeout=RECONNECT_TIMEOUT_MS
        )
        expect(job_page.records_done).to_have_text(records_done_text(total, total))
        expect_not_reloaded(page, what="the job page")


def _following_running_job(job_page: JobPage) -> None:
    """Wait until the page follows the job live and the job has produced records, then mark
    the page, so that a reload later on can be told apart."""
    with allure.step("The page follows the running job live"):
        expect(job_page.live_status).to_have_text("Live")
        expect(job_page.status).to_have_text("running")
        expect(job_page.progress).not_to_have_attribute("aria-valuenow", "0")
    mark_page_loaded(job_page.page)
