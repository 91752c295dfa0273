"""Job steps: create a job from its form, watch it live to its end, read its page's facts,
and the journeys that stop a job early (cancellation by the user, the budget)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Protocol

import allure
from playwright.sync_api import Page, expect

from domain.facts import ACTIVE_JOB_STATUSES, EXPORTABLE_JOB_STATUSES, SHOWN_COST_ROUNDING
from domain.platform_types import Job, parse
from flows.live import expect_not_reloaded, mark_page_loaded
from pages.dashboard import DashboardPage
from pages.jobs import FORMAT_LABELS, JobPage, JobsPage, TableRow, records_done_text

#: How many distinct in-between progress values prove that progress arrives live.
MIN_LIVE_STEPS = 2

#: How soon after pressing "Cancel job" the page must read cancelled.
CANCEL_DEADLINE_MS = 1_000

#: The least time allowed for any job to finish, throttled or not.
_MIN_RUN_WAIT_MS = 10_000.0

#: A list of jobs pages past this many pages is taken for a pager that never ends.
_MAX_LIST_PAGES = 20

_JOB_LINK = re.compile(r"^Job #(\d+)$")


class PagedJobList(Protocol):
    """A paged table of jobs: `/jobs` or `/exports`."""

    page: Page

    def expect_loaded(self) -> Any: ...
    def read_rows(self) -> list[TableRow]: ...
    @property
    def next_page_link(self) -> Any: ...


def job_id_of(row: TableRow) -> int:
    """The id in a row's "Job #ID" cell."""
    match = _JOB_LINK.match(row.cells.get("Job", ""))
    assert match is not None, f"a row's Job cell reads {row.cells.get('Job')!r}, not 'Job #ID'"
    return int(match.group(1))


def each_list_page(listing: PagedJobList, *, name: str) -> Iterator[list[TableRow]]:
    """Yield the rows of every page of a jobs list, following "Next page" while there is one."""
    for number in range(1, _MAX_LIST_PAGES + 1):
        with allure.step(f"Read page {number} of the {name} list"):
            listing.expect_loaded()
            rows = listing.read_rows()
        yield rows
        if listing.next_page_link.count() == 0:
            return
        left = listing.page.url
        listing.next_page_link.click()
        expect(listing.page, f"'Next page' leads away from page {number}").not_to_have_url(left)
    raise AssertionError(f"the {name} list still offers a next page after {_MAX_LIST_PAGES}")


def read_job(page: Page, job_id: int) -> Job:
    """The job as `GET /api/v1/jobs/{id}` answers it, read with the page's own session."""
    origin = re.match(r"^[a-z]+://[^/]+", page.url)
    assert origin is not None, f"the page is at {page.url}, not on the platform"
    response = page.request.get(f"{origin.group(0)}/api/v1/jobs/{job_id}")
    assert response.ok, f"GET /api/v1/jobs/{job_id} answered {response.status}"
    return parse(Job, response.body(), what=f"GET /api/v1/jobs/{job_id}")


def shown_cost(usd: float, *, places: int = 4) -> re.Pattern[str]:
    """What `usd` dollars read on screen: "$" and `places` decimals (four for costs), rounded."""
    exact = Decimal(str(usd))
    unit = Decimal(1).scaleb(-places)
    # A value exactly halfway may go either way; every other value has one right text.
    texts = {
        f"${exact.quantize(unit, rounding=rounding):,}"
        for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN)
    }
    return re.compile(r"^\s*(?:" + "|".join(re.escape(text) for text in texts) + r")\s*$")


def expect_job_facts(job_page: JobPage, job: Job, *, moment: str) -> None:
    """The job's facts list shows its own budget, template, seed, format and speed, and the
    reason it stopped (if any), as the API reports them."""
    speed = job.records_per_second
    expected = {
        "Budget": shown_cost(job.budget_usd, places=2),
        "Template": job.template_name,
        "Seed": job.seed_name,
        "Format": job.format.upper(),
        "Speed": f"{round(float(speed), 2)} per second" if speed else "unthrottled",
    }
    for term, value in expected.items():
        expect(
            job_page.fact(term), f"{moment}: the job page's {term} reads the job's own {term}"
        ).to_have_text(value)
    links = {"Template": (job.template_id, "templates"), "Seed": (job.seed_id, "seeds")}
    for term, (target_id, section) in links.items():
        if target_id:
            expect(
                job_page.fact(term).get_by_role("link"),
                f"{moment}: the job page's {term} links to its own {term.lower()}",
            ).to_have_attribute("href", f"/{section}/{target_id}")
    if job.error:
        expect(job_page.job_error, f"{moment}: the job page says why it stopped").to_have_text(
            job.error
        )
    else:
        expect(job_page.job_error, f"{moment}: a {job.status} job shows no error").to_be_hidden()


def expect_job_page_shows(job_page: JobPage, job: Job, *, moment: str) -> None:
    """Every figure and control of the job page matches `job` as the API reports it.

    Status, records done of total, the progress bar's value and maximum, the cost at four
    decimals, "Cancel job" only while queued or running, and the download links only once
    the job has stopped (completed, cancelled, budget_exceeded) with records. `moment` says
    when, for the failure messages ("after the job completed, without a reload").
    """
    done, total, status = job.records_done, job.records_total, job.status
    with allure.step(f"{moment}: the job page shows job #{job.id}'s own figures"):
        expect(job_page.status, f"{moment}: the job page shows the status").to_have_text(status)
        expect(
            job_page.records_done, f"{moment}: the job page shows {done} / {total} records"
        ).to_have_text(records_done_text(done, total))
        expect(
            job_page.progress, f"{moment}: the progress bar's value is the {done} records done"
        ).to_have_attribute("aria-valuenow", str(done))
        expect(
            job_page.progress, f"{moment}: the progress bar's maximum is the {total} records asked"
        ).to_have_attribute("aria-valuemax", str(total))
        expect(
            job_page.cost, f"{moment}: the job page shows the cost ${job.cost_usd} to 4 decimals"
        ).to_have_text(shown_cost(job.cost_usd))
        if status in ACTIVE_JOB_STATUSES:
            expect(
                job_page.cancel_button, f"{moment}: a {status} job offers Cancel job"
            ).to_be_visible()
        else:
            expect(
                job_page.cancel_button, f"{moment}: a {status} job offers no Cancel job"
            ).to_be_hidden()
        exportable = status in EXPORTABLE_JOB_STATUSES and done > 0
        for fmt, label in FORMAT_LABELS.items():
            link = job_page.download_link(fmt)
            if exportable:
                expect(
                    link, f"{moment}: a {status} job with {done} records offers Download {label}"
                ).to_be_visible()
            elif status != "failed":
                # The contract leaves open whether a failed job's records may be downloaded.
                expect(
                    link, f"{moment}: a {status} job with {done} records offers no Download {label}"
                ).to_be_hidden()
    expect_job_facts(job_page, job, moment=moment)


def expect_same_after_reload(job_page: JobPage, job: Job) -> None:
    """Reloaded, the page shows the same stopped job as it did live (the server's own render)."""
    with allure.step("Reload the job page"):
        job_page.page.reload()
        job_page.expect_loaded()
    expect_job_page_shows(job_page, job, moment="after a reload")


def run_wait_ms(*, records: int, speed: float) -> float:
    """How long to wait for a job of `records` at `speed` records a second to finish.

    A throttled job needs records / speed seconds; three times that leaves room for a busy
    machine (two workers, two browsers). An unthrottled job gets the floor.
    """
    if not speed:
        return _MIN_RUN_WAIT_MS
    return max(_MIN_RUN_WAIT_MS, 3_000.0 * records / speed)


def cancel_running_job(job_page: JobPage, *, total: int) -> Job:
    """Cancel a job once it has produced records; returns the cancelled job from the API.

    The status must read cancelled within CANCEL_DEADLINE_MS of the click, the counter must
    stop short of `total`, and every figure and control must then match the API's job, live
    and again after a reload.
    """
    with allure.step("Wait until the job is running and has produced records"):
        expect(job_page.status).to_have_text("running")
        expect(job_page.progress).not_to_have_attribute("aria-valuenow", "0")
        for fmt, label in FORMAT_LABELS.items():
            expect(
                job_page.download_link(fmt), f"a running job offers no Download {label}"
            ).to_be_hidden()
        mark_page_loaded(job_page.page)
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
    job = read_job(job_page.page, job_page.job_id)
    assert job.status == "cancelled" and job.records_done == done, (
        f"the job page shows a cancelled job with {done} records; the platform says "
        f"{job.status} with {job.records_done}"
    )
    expect_job_page_shows(job_page, job, moment="right after Cancel job, without a reload")
    expect_not_reloaded(job_page.page, what="the job page")
    expect_same_after_reload(job_page, job)
    return job


def run_until_budget_stops(job_page: JobPage, *, total: int, budget_usd: float) -> Job:
    """Watch a job whose budget covers fewer than `total` records stop; returns the API's job.

    The status must read budget_exceeded, the cost must not pass the budget, the counter
    must stop short of `total`, and every figure and control must then match the API's job,
    live and again after a reload.
    """
    mark_page_loaded(job_page.page)
    with allure.step("The job stops with status budget_exceeded"):
        expect(
            job_page.status,
            f"the job was not stopped by its ${budget_usd:.6f} budget",
        ).to_have_text("budget_exceeded")
        expect(job_page.cancel_button).to_be_hidden()
    with allure.step(f"The job shows a cost within its ${budget_usd:.6f} budget"):
        cost = job_page.cost_usd()
        # The page rounds the cost to four decimals, which may lift it by half a unit.
        assert cost <= budget_usd + float(SHOWN_COST_ROUNDING), (
            f"the job shows a cost of ${cost:.4f}, over its ${budget_usd:.6f} budget"
        )
        done, _ = job_page.counts()
        assert 0 < done < total, (
            f"a job stopped by its budget shows {done} of {total} records; "
            "expected some, but not all"
        )
        expect(job_page.records_done).to_have_text(records_done_text(done, total))
    job = read_job(job_page.page, job_page.job_id)
    expect_job_page_shows(job_page, job, moment="once the budget stopped the job, without a reload")
    expect_not_reloaded(job_page.page, what="the job page")
    expect_same_after_reload(job_page, job)
    return job


def expect_stopped_at_the_budget(
    records: list[dict[str, Any]], *, job: Job, next_record_cost_usd: float
) -> None:
    """The job made records while they fitted its budget, and stopped at the first that would
    not: its records cost at most the budget, and one more would have cost more."""
    spent = sum(Decimal(str(record["cost_usd"])) for record in records)
    budget = Decimal(str(job.budget_usd))
    with allure.step(f"The job stopped at the first record its ${budget} budget could not pay"):
        assert spent <= budget, (
            f"job #{job.id}'s {len(records)} records cost ${spent}, over its ${budget} budget"
        )
        assert spent + Decimal(str(next_record_cost_usd)) > budget, (
            f"job #{job.id} stopped after {len(records)} records costing ${spent}, but record "
            f"{len(records)} would have cost ${next_record_cost_usd:.6f} and still fitted its "
            f"${budget} budget; it stopped too early"
        )
        assert job.error == "The job's budget cap was reached.", (
            f"job #{job.id} gives the reason {job.error!r} for stopping; expected the "
            "job's budget cap, since the month's budget was far from spent"
        )


def expect_budget_alert(dashboard: DashboardPage, *, job_id: int) -> None:
    """The dashboard lists an alert that job `job_id` was stopped by its budget."""
    with allure.step(f"The dashboard alerts that job #{job_id} stopped on its budget"):
        dashboard.expect_loaded()
        expect(
            dashboard.alert_for_job(job_id),
            f"the dashboard shows no budget alert for job #{job_id}",
        ).to_have_text(f"Job #{job_id} stopped: budget exceeded")


def create_job(
    page: Page,
    *,
    template_name: str,
    seed_name: str,
    records: int,
    budget_usd: float,
    fmt: str = "jsonl",
    speed: int = 0,
) -> JobPage:
    """Fill the new-job form from the jobs list and land on the job's page."""
    with allure.step(
        f"Create a job for {records} {fmt} records from {template_name!r} and {seed_name!r}"
    ):
        new_job = JobsPage(page).open().expect_loaded().start_new()
        new_job.expect_loaded()
        new_job.fill(
            template_name=template_name,
            seed_name=seed_name,
            records=records,
            budget_usd=budget_usd,
            fmt=fmt,
            speed=speed,
        )
        job_page = new_job.create()
        job_page.expect_loaded()
        expect(job_page.progress).to_have_attribute("aria-valuemax", str(records))
    with allure.step("The platform stored the job exactly as it was entered"):
        job = read_job(job_page.page, job_page.job_id)
        stored = {key: getattr(job, key) for key in ("template_name", "seed_name", "records_total")}
        stored |= {
            "budget_usd": float(job.budget_usd),
            "format": job.format,
            "records_per_second": float(job.records_per_second),
        }
        entered = {
            "template_name": template_name,
            "seed_name": seed_name,
            "records_total": records,
            "budget_usd": float(f"{budget_usd:.2f}"),
            "format": fmt,
            "records_per_second": float(speed),
        }
        assert stored == entered, (
            f"the new-job form entered {entered}; the platform stored {stored}"
        )
    return job_page


def watch_until_done(
    job_page: JobPage, *, total: int, final_status: str = "completed", timeout_ms: float
) -> None:
    """Watch the job to its end and prove its progress arrived live, with no reload.

    The progress bar must take at least MIN_LIVE_STEPS distinct values between 0 and
    `total` while this page stays loaded, then read `total` with the counts to match.
    """
    mark_page_loaded(job_page.page)
    seen_between: list[int] = []
    counts_between: set[int] = set()
    with allure.step("The page connects to the platform's live updates"):
        expect(job_page.live_status).to_have_text("Live")
    with allure.step("The progress bar climbs live while the job runs"):
        value = job_page.progress_value()
        assert value < total, (
            f"the job had already made all {total} records when its page went live, so "
            "nothing could be watched live: give it more records or a lower speed"
        )
        while value < total:
            try:
                expect(job_page.progress).not_to_have_attribute(
                    "aria-valuenow", str(value), timeout=timeout_ms
                )
            except AssertionError as error:
                raise AssertionError(
                    f"progress stopped at {value} of {total} records with the job "
                    f"{job_page.status.inner_text()!r}; values seen on the way: {seen_between}"
                ) from error
            new_value = job_page.progress_value()
            assert new_value > value, f"progress went back from {value} to {new_value}"
            value = new_value
            if 0 < value < total:
                if not seen_between and value <= total // 2:
                    _expect_running_controls(job_page)
                seen_between.append(value)
                done, _ = job_page.counts()
                if 0 < done < total:
                    counts_between.add(done)
        assert len(seen_between) >= MIN_LIVE_STEPS, (
            f"the progress bar jumped to {total} having shown only {seen_between} in between: "
            "progress is not arriving live"
        )
        assert counts_between, (
            f"the records-done counter never showed a count between 0 and {total} "
            "while the progress bar moved"
        )
    with allure.step(f"The job reads {final_status} with {total} of {total} records"):
        expect(job_page.status).to_have_text(final_status)
        expect(job_page.records_done).to_have_text(records_done_text(total, total))
        expect(job_page.cancel_button).to_be_hidden()
    job = read_job(job_page.page, job_page.job_id)
    assert (job.status, job.records_done) == (final_status, total), (
        f"the job page shows {final_status} with {total} records; the platform says "
        f"{job.status} with {job.records_done}"
    )
    expect_job_page_shows(job_page, job, moment=f"after the job {final_status}, without a reload")
    with allure.step("All of it happened without reloading the page"):
        expect_not_reloaded(job_page.page, what="the job page")


def _expect_running_controls(job_page: JobPage) -> None:
    # Checked early in the run, so that the job cannot finish while they are read.
    with allure.step("While the job runs it offers Cancel job and no downloads"):
        expect(job_page.status, "the job page shows a running job").to_have_text("running")
        expect(job_page.cancel_button, "a running job offers Cancel job").to_be_visible()
        for fmt, label in FORMAT_LABELS.items():
            expect(
                job_page.download_link(fmt), f"a running job offers no Download {label}"
            ).to_be_hidden()
