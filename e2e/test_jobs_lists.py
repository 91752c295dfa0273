"""The jobs and exports lists in an account with jobs of every status, across their pages.

One account holds a completed job, a job cancelled midway, one cancelled before it made
anything (or nearly), one stopped by its budget, one still running, and enough small
completed jobs to spill both lists onto a second page; another user's job exists too. Every
row is held against the job as the API reads it: the jobs list shows each job once with its
own template, seed, status, records and cost; the exports list shows exactly the jobs that
have stopped with records, each with its own records behind its own download links.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import allure
import pytest
from playwright.sync_api import Page

from domain.drafts import RecordSource, TemplateDraft
from domain.facts import (
    ACTIVE_JOB_STATUSES,
    API_COST_PLACES,
    EXPORTABLE_JOB_STATUSES,
    LIST_PAGE_SIZE,
)
from domain.platform_types import Job, Seed, Template
from fixtures.accounts import Account
from flows.exports import check_export, fetch_export, read_seed_rows, save_and_read_export
from flows.jobs import each_list_page, job_id_of, shown_cost
from pages.exports import ExportsPage
from pages.jobs import FORMAT_LABELS, JobsPage, TableRow, records_done_text

pytestmark = [
    pytest.mark.journey,
    # Lists and their figures, not the screen size.
    pytest.mark.desktop,
    allure.epic("Synthetic Data Studio"),
    allure.feature("Jobs and exports lists"),
]

#: Small completed jobs: with the completed, cancelled and budget-stopped jobs, one export more
#: than a page holds, so that both the jobs and the exports lists go onto a second page.
FILLER_JOBS = LIST_PAGE_SIZE - 2


def _make_jobs_of_every_status(
    account: Account,
    make_template: Callable[..., Template],
    make_seed: Callable[..., Seed],
    make_job: Callable[..., Job],
    body: str,
) -> dict[str, int]:
    """The account's jobs by role; each role has its own template and seed, so rows differ."""

    def sources(role: str) -> dict[str, int]:
        tag = uuid.uuid4().hex[:4]
        template = make_template(account, name=f"List {role} {tag}", body=body)
        seed = make_seed(account, name="people.csv", dataset_name=f"people {role} {tag}")
        return {"template_id": template.id, "seed_id": seed.id}

    jobs: dict[str, int] = {}
    with allure.step("A completed job"):
        jobs["completed"] = make_job(account, records=7, until="completed", **sources("done")).id
    with allure.step("A job cancelled after it made records"):
        job = make_job(account, records=100, records_per_second=2, **sources("cancelled"))
        account.api.wait_for_records(job.id, 1)
        account.api.cancel_job(job.id)
        jobs["cancelled"] = job.id
    with allure.step("A job cancelled at once (with however few records it made)"):
        job = make_job(account, records=100, records_per_second=1, **sources("stopped"))
        account.api.cancel_job(job.id)
        jobs["cancelled at once"] = job.id
    with allure.step("A job stopped by its budget after a few records"):
        source = sources("budget")
        estimate = account.api.test_template(source["template_id"], seed_id=source["seed_id"])
        budget = round(3 * estimate.cost_per_record_usd, 6)
        job = make_job(account, records=100, budget_usd=budget, until="budget_exceeded", **source)
        jobs["budget"] = job.id
    with allure.step("A job still running, with a record made"):
        job = make_job(account, records=100, records_per_second=0.5, **sources("running"))
        account.api.wait_for_records(job.id, 1)
        jobs["running"] = job.id
    with allure.step(f"{FILLER_JOBS} small completed jobs"):
        filler = sources("filler")

        def small_job(number: int) -> int:
            # 1 to 3 records, so that neighbouring rows differ in their figures.
            made = account.api.create_job(records=1 + number % 3, budget_usd=1.0, **filler)
            return account.api.wait_for_job(made.id, ("completed",)).id

        # The jobs are the account's: deleting it afterwards removes them.
        with ThreadPoolExecutor(max_workers=4) as pool:
            for number, job_id in enumerate(pool.map(small_job, range(FILLER_JOBS))):
                jobs[f"filler {number}"] = job_id
    return jobs


def _expect_unique_rows(rows: list[TableRow], expected: set[int], *, screen: str) -> None:
    ids = [job_id_of(row) for row in rows]
    duplicated = sorted({job_id for job_id in ids if ids.count(job_id) > 1})
    missing = sorted(expected - set(ids))
    unexpected = sorted(set(ids) - expected)
    assert not (duplicated or missing or unexpected), (
        f"the {screen} list shows {len(ids)} rows, expected {len(expected)}: "
        f"missing jobs {missing}, jobs that do not belong {unexpected}, "
        f"jobs shown twice {duplicated}"
    )


@allure.story("Every job once with its own figures; exports only for stopped jobs with records")
@allure.severity(allure.severity_level.CRITICAL)
def test_jobs_and_exports_lists_show_each_jobs_own_figures_across_their_pages(
    page_for: Callable[[Account], Page],
    make_account: Callable[..., Account],
    make_template: Callable[..., Template],
    make_seed: Callable[..., Seed],
    make_job: Callable[..., Job],
    seed_file: Callable[..., Any],
    checkable_template: TemplateDraft,
) -> None:
    account = make_account()
    with allure.step("Another user has a job of their own"):
        others_job = make_job(until="completed").id
    jobs = _make_jobs_of_every_status(
        account, make_template, make_seed, make_job, checkable_template.body
    )
    page = page_for(account)
    running_before = account.api.job(jobs["running"])

    jobs_screen = JobsPage(page).open()
    listed = [row for rows in each_list_page(jobs_screen, name="jobs") for row in rows]
    truth = {job_id: account.api.job(job_id) for job_id in jobs.values()}

    with allure.step("The jobs list shows each of the account's jobs once, and no one else's"):
        assert others_job not in {job_id_of(row) for row in listed}, (
            f"the jobs list shows job #{others_job}, another user's"
        )
        _expect_unique_rows(listed, set(truth), screen="jobs")
    with allure.step("Each row shows its own job's template, seed, status, records and cost"):
        for row in listed:
            job = truth[job_id_of(row)]
            where = f"the jobs list's row of job #{job.id}"
            assert row.links.get(f"Job #{job.id}") == f"/jobs/{job.id}", (
                f"{where} links to {row.links}, not to /jobs/{job.id}"
            )
            shown = {column: row.cells.get(column) for column in ("Template", "Seed", "Status")}
            expected = {
                "Template": job.template_name,
                "Seed": job.seed_name,
                "Status": job.status,
            }
            assert shown == expected, f"{where} shows {shown}; expected {expected}"
            if job.id == jobs["running"]:
                # Still making records: what the page shows lies between the two API reads.
                before, after = running_before.records_done, job.records_done
                assert any(
                    records_done_text(done, job.records_total).match(row.cells["Records"])
                    for done in range(before, after + 1)
                ), f"{where} shows {row.cells['Records']!r} records; expected {before}..{after}"
                continue
            assert records_done_text(job.records_done, job.records_total).match(
                row.cells.get("Records", "")
            ), (
                f"{where} shows {row.cells.get('Records')!r} records; expected "
                f"{job.records_done} / {job.records_total}"
            )
            assert shown_cost(job.cost_usd).match(row.cells.get("Cost", "")), (
                f"{where} shows the cost {row.cells.get('Cost')!r}; expected ${job.cost_usd} "
                "to four decimals"
            )

    exportable = {
        job_id
        for job_id, job in truth.items()
        if job.status in EXPORTABLE_JOB_STATUSES and job.records_done > 0
    }
    assert jobs["cancelled"] in exportable and jobs["budget"] in exportable, (
        "the set-up did not make a cancelled and a budget-stopped job with records"
    )
    assert truth[jobs["running"]].status in ACTIVE_JOB_STATUSES, "the running job stopped early"
    made_from = RecordSource(checkable_template.body, read_seed_rows(seed_file("people.csv")))
    exports_screen = ExportsPage(page)
    exports_screen.navigation.go_to(ExportsPage)
    exported_rows: list[TableRow] = []
    for rows in each_list_page(exports_screen, name="exports"):
        exported_rows += rows
        if jobs["cancelled"] in {job_id_of(row) for row in rows}:
            with allure.step("Download the cancelled job's CSV from its row"):
                download = exports_screen.download(jobs["cancelled"], "csv")
                job = truth[jobs["cancelled"]]
                check_export(
                    save_and_read_export(download, job_id=job.id, fmt="csv"),
                    made_from,
                    expected_count=job.records_done,
                    job_cost_usd=job.cost_usd,
                    cost_places=API_COST_PLACES,
                )

    with allure.step("The exports list shows exactly the jobs that stopped with records"):
        shown_ids = {job_id_of(row) for row in exported_rows}
        assert jobs["running"] not in shown_ids, (
            f"the exports list shows job #{jobs['running']}, which is still running"
        )
        assert others_job not in shown_ids, (
            f"the exports list shows job #{others_job}, another user's"
        )
        _expect_unique_rows(exported_rows, exportable, screen="exports")
    with allure.step("Each export row shows its job's status and records, and links to them"):
        for row in exported_rows:
            job = truth[job_id_of(row)]
            where = f"the exports list's row of job #{job.id}"
            shown = (row.cells.get("Status"), row.cells.get("Records"))
            expected = (job.status, str(job.records_done))
            assert shown == expected, (
                f"{where} shows status and records {shown}; expected {expected}"
            )
            for fmt, label in FORMAT_LABELS.items():
                href = row.links.get(f"Download {label}")
                assert href, f"{where} has no Download {label} link; it has {sorted(row.links)}"
                check_export(
                    fetch_export(page, href, job_id=job.id, fmt=fmt),
                    made_from,
                    expected_count=job.records_done,
                    job_cost_usd=job.cost_usd,
                    cost_places=API_COST_PLACES,
                )
