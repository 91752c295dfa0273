"""The platform's rules the suite checks against, each written once (docs/screens.md, app/).

A value here is what the platform promises, not what a test chose: a test that needs a job
status set, a money precision or a limit imports it from here, so that a rule changed in one
place cannot leave a second copy behind.
"""

from __future__ import annotations

from decimal import Decimal

# Job statuses (docs/screens.md, "Jobs").
JOB_STATUSES = ("queued", "running", "completed", "cancelled", "budget_exceeded", "failed")
#: Still at work: the job can be cancelled and its page updates live.
ACTIVE_JOB_STATUSES = frozenset({"queued", "running"})
#: Ended: nothing about the job changes any more.
FINISHED_JOB_STATUSES = frozenset({"completed", "cancelled", "budget_exceeded", "failed"})
#: Ended with its records kept: a job with records offers its downloads.
EXPORTABLE_JOB_STATUSES = frozenset({"completed", "cancelled", "budget_exceeded"})

# Money.
#: Decimals of a cost on screen ("$0.0123").
SHOWN_COST_PLACES = 4
#: Decimals of a cost in API answers.
API_COST_PLACES = 6
#: Decimals a record's cost and a job's running total are rounded to when stored.
STORED_COST_PLACES = 9


def half_unit(places: int) -> Decimal:
    """Half a unit in the last of `places` decimals: how far a correctly rounded value may sit
    from the true one."""
    return Decimal(5).scaleb(-(places + 1))


#: How far a cost on screen may sit from the true cost.
SHOWN_COST_ROUNDING = half_unit(SHOWN_COST_PLACES)
#: How far a stored cost may sit from the exact sum of its parts.
STORED_COST_SLACK = Decimal(1).scaleb(-STORED_COST_PLACES)
#: How far a cost in an API answer may sit from the platform's own value, which its screens
#: round: a cost the API gives as 0.07515 may be 0.0751499... there, shown as $0.0751.
API_COST_ROUNDING = half_unit(API_COST_PLACES)


def cost_sum_tolerance(places: int) -> Decimal:
    """How far the sum of records' stored costs may sit from a job cost reported to `places`
    decimals: the report's rounding plus the stored total's own."""
    return half_unit(places) + STORED_COST_SLACK


# Sizes and limits inside the platform (app/services/, app/web/).
#: Records an export reads per query (BATCH in app/services/exports.py).
EXPORT_BATCH_SIZE = 2000
#: Rows per page of the jobs and exports lists.
LIST_PAGE_SIZE = 50
#: Characters per page of an ecosystem's roster.
ROSTER_PAGE_SIZE = 50
#: Interactions an ecosystem's feed keeps, newest first.
FEED_SIZE = 50
#: Rows a seed's page previews.
SEED_PREVIEW_ROWS = 10
#: Rows "Test template" renders when the rows field is left as it is.
TEMPLATE_TEST_ROWS = 3
#: The largest monthly budget an account may set, in dollars.
MAX_MONTHLY_BUDGET_USD = 1_000_000
#: The most records one job may ask for.
MAX_JOB_RECORDS = 1_000_000
#: The largest seed file the platform takes.
MAX_SEED_BYTES = 5 * 1024 * 1024
#: Wrong passwords allowed for one email in a minute before logging in is refused.
LOGIN_FAILURE_LIMIT = 5
#: The share of the monthly budget at which the dashboard raises its alert.
BUDGET_ALERT_PERCENT = 80
#: Jobs the dashboard's "Recent jobs" lists, newest first.
RECENT_JOBS_SHOWN = 10
