"""The dashboard: what its figures must read for the jobs a test made, and how it keeps
itself current (live updates while jobs run, recovery after its data request fails) without
a reload."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import allure
from playwright.sync_api import Page, Route, expect

from domain.facts import (
    ACTIVE_JOB_STATUSES,
    API_COST_ROUNDING,
    BUDGET_ALERT_PERCENT,
    RECENT_JOBS_SHOWN,
    SHOWN_COST_PLACES,
)
from flows.live import expect_not_reloaded, mark_page_loaded
from pages.dashboard import DashboardPage

DASHBOARD_DATA = "**/api/v1/dashboard"
STALE_NOTICE = "Data may be stale — retrying…"

#: The job statuses the dashboard counts as running (docs/screens.md: queued and running).
#: The statuses that raise an alert about the job, and the alert each one reads.
JOB_ALERTS = {
    "budget_exceeded": "Job #{id} stopped: budget exceeded",
    "failed": "Job #{id} failed",
}
#: How far the dashboard's "last updated" time may sit from the suite's own clock.
LAST_UPDATED_SLACK = timedelta(minutes=2)

#: How long the page may take to retry once its data request works again. The page backs off
#: while refreshes fail; three times its longest wait (5 s) leaves room for a busy machine.
RECOVERY_TIMEOUT_MS = 15_000


@dataclass
class RefreshFailures:
    """How many dashboard data requests were made to fail."""

    count: int = 0


@contextmanager
def failing_dashboard_refreshes(page: Page) -> Iterator[RefreshFailures]:
    """While inside, every request for the dashboard's data answers 503."""
    failures = RefreshFailures()

    def answer_unavailable(route: Route) -> None:
        failures.count += 1
        route.fulfill(
            status=503,
            json={"error": {"code": "unavailable", "message": "Injected by the suite"}},
        )

    page.route(DASHBOARD_DATA, answer_unavailable)
    try:
        yield failures
    finally:
        page.unroute(DASHBOARD_DATA, answer_unavailable)


@dataclass(frozen=True)
class JobOutcome:
    """One of the test's jobs as the suite knows it: its status from the API, and the number
    and summed cost of the records its export holds."""

    id: int
    template_name: str
    status: str
    records_done: int
    records_total: int
    cost_usd: Decimal


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard must show, derived by the suite from the jobs it made."""

    running_jobs: int
    records_today: int
    spend_text: str | re.Pattern[str]
    #: The percent of the budget used, unrounded, and the whole percents it may show.
    percent: Decimal
    percent_shown: tuple[int, ...]
    #: Alerts about jobs, in no particular order; the budget alert, as a pattern, if due.
    job_alerts: tuple[str, ...]
    budget_alert: re.Pattern[str] | None
    recent_rows: tuple[str | re.Pattern[str], ...]
    recent_ids: tuple[int, ...]


def usd(amount: Decimal, places: int) -> str:
    """`amount` as the platform's screens show money: "$1,234.57" (half a unit rounds up)."""
    return f"${amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def usd_texts(amount: Decimal, places: int, *, known_to: Decimal) -> tuple[str, ...]:
    """Every text a screen may honestly show for `amount`, known only to within `known_to`:
    one, or both neighbours where it sits on half a unit of the last place shown."""
    return tuple(sorted({usd(amount + slack, places) for slack in (-known_to, 0, known_to)}))


def _text_of(*parts: str | tuple[str, ...]) -> str | re.Pattern[str]:
    """The words of a line, as a plain text, or as a pattern where a part has choices."""
    if all(isinstance(part, str) or len(part) == 1 for part in parts):
        return " ".join(part if isinstance(part, str) else part[0] for part in parts)
    words: list[str] = []
    for part in parts:
        if isinstance(part, str):
            words += [re.escape(word) for word in part.split()]
        else:
            words.append(f"({'|'.join(map(re.escape, part))})")
    # Any white space between words, as a text expectation allows: cells are joined by tabs.
    between = r"\s+"
    return re.compile(rf"^\s*{between.join(words)}\s*$")


def _whole_percents(percent: Decimal) -> tuple[int, ...]:
    """The whole numbers `percent` may be shown as: the nearest, or either neighbour when the
    figure sits within a hair of a half (the platform rounds to one decimal first)."""
    low = math.floor(percent)
    fraction = percent - low
    if abs(fraction - Decimal("0.5")) <= Decimal("0.05"):
        choices = (low, low + 1)
    else:
        choices = (low + 1,) if fraction > Decimal("0.5") else (low,)
    return tuple(sorted({min(100, choice) for choice in choices}))


def expected_figures(
    jobs: Sequence[JobOutcome], *, monthly_budget_usd: Decimal
) -> DashboardFigures:
    """The dashboard of an account whose jobs (all made this month, today) are `jobs`."""
    spent = sum((job.cost_usd for job in jobs), Decimal(0))
    percent = spent / monthly_budget_usd * 100
    one_decimal = percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    budget_alert = None
    if one_decimal >= BUDGET_ALERT_PERCENT:
        # "Budget 85% used": the whole percent, cut or rounded, either reads honestly.
        wholes = sorted({math.floor(one_decimal), int(one_decimal.to_integral_value())})
        budget_alert = re.compile(rf"^Budget ({'|'.join(map(str, wholes))})% used$")
    newest_first = sorted(jobs, key=lambda job: job.id, reverse=True)
    return DashboardFigures(
        running_jobs=sum(job.status in ACTIVE_JOB_STATUSES for job in jobs),
        records_today=sum(job.records_done for job in jobs),
        spend_text=_text_of(
            usd_texts(spent, 2, known_to=API_COST_ROUNDING * len(jobs)),
            "of",
            usd(monthly_budget_usd, 2),
        ),
        percent=percent,
        percent_shown=_whole_percents(percent),
        job_alerts=tuple(
            JOB_ALERTS[job.status].format(id=job.id) for job in jobs if job.status in JOB_ALERTS
        ),
        budget_alert=budget_alert,
        recent_rows=tuple(
            _text_of(
                f"Job #{job.id} {job.template_name} {job.status} "
                f"{job.records_done} / {job.records_total}",
                usd_texts(job.cost_usd, SHOWN_COST_PLACES, known_to=API_COST_ROUNDING),
            )
            for job in newest_first[:RECENT_JOBS_SHOWN]
        ),
        recent_ids=tuple(job.id for job in newest_first[:RECENT_JOBS_SHOWN]),
    )


def expect_figures(dashboard: DashboardPage, expected: DashboardFigures, *, when: str) -> None:
    """Every figure of the dashboard reads what the suite derived (retrying until it does).

    `when` says in which state, for the failure messages ("with 11 jobs finished").
    """
    with allure.step(f"The dashboard's figures are right {when}"):
        expect(
            dashboard.running_jobs_count, f"the running jobs count is wrong {when}"
        ).to_have_text(str(expected.running_jobs))
        expect(
            dashboard.records_today_count,
            f"records today should be the {expected.records_today} records exported {when}",
        ).to_have_text(str(expected.records_today))
        expect(
            dashboard.spend_amount,
            f"the spend should be the exported records' cost against the budget {when}",
        ).to_have_text(expected.spend_text)
        shown = "|".join(map(str, expected.percent_shown))
        expect(
            dashboard.budget_used,
            f"the budget bar should read {shown}% ({expected.percent:.3f}% used) {when}",
        ).to_have_attribute("aria-valuenow", re.compile(rf"^({shown})$"))
        expect(
            dashboard.recent_jobs.rows,
            f"Recent jobs should list the newest {RECENT_JOBS_SHOWN} jobs, newest first, "
            f"each with its template, status, records and cost {when}",
        ).to_have_text(list(expected.recent_rows), use_inner_text=True)
        for job_id in expected.recent_ids:
            expect(
                dashboard.recent_job_link(job_id), f"the Job #{job_id} link leads to its page"
            ).to_have_attribute("href", f"/jobs/{job_id}")
        _expect_alerts(dashboard, expected, when=when)
        _expect_last_updated_now(dashboard)


def _expect_alerts(dashboard: DashboardPage, expected: DashboardFigures, *, when: str) -> None:
    budget_alerts = dashboard.alerts.filter(has_text=re.compile(r"^Budget \d+% used$"))
    if expected.budget_alert is None:
        expect(
            budget_alerts,
            f"no budget alert is due at {expected.percent:.3f}% of the budget {when}",
        ).to_have_count(0)
    else:
        expect(
            dashboard.alerts.filter(has_text=expected.budget_alert),
            f"a budget alert is due at {expected.percent:.3f}% of the budget {when}",
        ).to_have_count(1)
    for message in expected.job_alerts:
        expect(
            dashboard.alerts.filter(has_text=re.compile(rf"^{re.escape(message)}$")),
            f"the alerts should hold {message!r} {when}",
        ).to_have_count(1)
    count = len(expected.job_alerts) + (expected.budget_alert is not None)
    expect(
        dashboard.alerts, f"the alerts should be exactly {count}: {expected.job_alerts} {when}"
    ).to_have_count(count)
    if not count:
        expect(dashboard.alerts_list, f"the alerts list should say so {when}").to_have_text(
            "No alerts"
        )


def _expect_last_updated_now(dashboard: DashboardPage) -> None:
    stamp = dashboard.last_updated.get_attribute("datetime") or ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    now = datetime.now(UTC)
    assert abs(now - moment) <= LAST_UPDATED_SLACK, (
        f"the dashboard says it was last updated at {stamp}; the time is {now:%H:%M:%S} UTC"
    )
    expect(
        dashboard.last_updated, "the last-updated text should be the refresh's UTC time"
    ).to_have_text(f"{moment:%H:%M:%S} UTC")


def expect_counters(dashboard: DashboardPage, *, running_jobs: int, records_today: int) -> None:
    """The counters read the given numbers (retrying until they do)."""
    expect(dashboard.running_jobs_count).to_have_text(str(running_jobs))
    expect(dashboard.records_today_count).to_have_text(str(records_today))


def recover_after_failed_refreshes(
    dashboard: DashboardPage, *, change_data: Callable[[], object], records_after: int
) -> int:
    """Make the dashboard's refreshes fail while its data changes, then let them succeed.

    While they fail the stale notice shows and the last values stay; once the data request
    works again the notice goes and the values catch up, without a reload. `change_data`
    must return only once the platform's data has changed. Returns how many requests were
    made to fail.
    """
    mark_page_loaded(dashboard.page)
    records_before = dashboard.records_today_count.inner_text()
    spend_before = dashboard.spend_amount.inner_text()
    refreshed_before = dashboard.last_updated.get_attribute("datetime") or ""
    with failing_dashboard_refreshes(dashboard.page) as failures:
        with allure.step("The data changes while every dashboard refresh fails"):
            change_data()
        with allure.step("The stale notice shows and the last values are kept"):
            expect(
                dashboard.stale_notice, "no stale notice while the dashboard's refreshes fail"
            ).to_be_visible()
            expect(dashboard.stale_notice).to_have_text(STALE_NOTICE)
            expect(dashboard.records_today_count).to_have_text(records_before)
            expect(dashboard.spend_amount).to_have_text(spend_before)
            expect(dashboard.last_updated).to_have_attribute("datetime", refreshed_before)
    with allure.step("Once the data request works again the dashboard catches up"):
        expect(
            dashboard.stale_notice, "the stale notice stayed after refreshes recovered"
        ).to_be_hidden(timeout=RECOVERY_TIMEOUT_MS)
        expect(
            dashboard.records_today_count, "the dashboard did not catch up after recovering"
        ).to_have_text(str(records_after))
        expect(dashboard.last_updated).not_to_have_attribute("datetime", refreshed_before)
    expect_not_reloaded(dashboard.page, what="the dashboard")
    assert failures.count > 0, "no dashboard refresh was attempted while they were failing"
    allure.attach(str(failures.count), name="dashboard requests made to fail")
    return failures.count
