"""The job worker: one thread per running job, checkpointed, cancellable, budget-bound.

Records are inserted in the same transaction that advances the job's counters, with a
unique (job_id, index): after a SIGKILL the committed count says exactly where to resume.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from app import llm
from app.context import Platform
from app.models import Job, Record, Seed, User, utcnow
from app.prompts import PromptRenderError, PromptSyntaxError, compile_prompt, render_prompt
from app.serializers import job_document
from app.services.accounts import month_spent

log = logging.getLogger(__name__)

# A batch is committed every 50 records or 0.2 s, whichever comes first: a job at full speed
# makes thousands of records a second, and each commit takes SQLite's one write lock.
CHECKPOINT_RECORDS = 50
CHECKPOINT_SECONDS = 0.2
PROGRESS_INTERVAL = 0.1
DASHBOARD_INTERVAL = 1.0
CANCEL_GRACE_SECONDS = 1.0
# Money is compared with this slack so float rounding never refuses an exactly-affordable record.
EPSILON = 1e-9


@dataclass
class Ledger:
    """A user's month spend while any of their jobs run, including uncommitted records."""

    spent: float
    monthly_budget: float
    members: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()


class Ledgers:
    """One ledger per user with running jobs, shared by those jobs."""

    def __init__(self, platform: Platform) -> None:
        self._platform = platform
        self._ledgers: dict[int, Ledger] = {}
        self._lock = threading.Lock()

    def join(self, user_id: int) -> Ledger:
        with self._lock:
            ledger = self._ledgers.get(user_id)
            if ledger is None:
                with self._platform.db.read() as session:
                    budget = session.scalar(
                        select(User.monthly_budget_usd).where(User.id == user_id)
                    )
                    ledger = Ledger(spent=month_spent(session, user_id), monthly_budget=budget)
                self._ledgers[user_id] = ledger
            ledger.members += 1
            return ledger

    def leave(self, user_id: int) -> None:
        # Members flush their records before leaving, so a ledger rebuilt later from the
        # database sees everything this one counted.
        with self._lock:
            ledger = self._ledgers.get(user_id)
            if ledger is not None:
                ledger.members -= 1
                if ledger.members <= 0:
                    del self._ledgers[user_id]


class JobRunner(threading.Thread):
    """Generates one job's remaining records."""

    def __init__(self, platform: Platform, ledgers: Ledgers, job_id: int) -> None:
        super().__init__(name=f"job-{job_id}", daemon=True)
        self.platform = platform
        self.ledgers = ledgers
        self.job_id = job_id
        self.wake = threading.Event()
        self.cancel_requested = False
        self.shutdown_requested = False
        self.user_id: int | None = None
        self.rate = 0.0
        self.failure: str | None = None

    def cancel(self) -> None:
        self.cancel_requested = True
        self.wake.set()

    def shut_down(self) -> None:
        self.shutdown_requested = True
        self.wake.set()

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # a bug must not leave the job "running" forever
            log.exception("job %s failed", self.job_id)
            self._finish("failed", error=f"Internal error: {type(error).__name__}")

    def _run(self) -> None:
        job, rows = self._load()
        if job is None:
            return
        if rows is None:
            return self._finish("failed", error="The seed dataset was deleted.")
        try:
            template = compile_prompt(job.template_body)
        except PromptSyntaxError as error:
            return self._finish("failed", error=str(error))
        self.user_id = job.user_id
        ledger = self.ledgers.join(job.user_id)
        try:
            outcome, last_batch = self._generate(job, rows, template, ledger)
            # The last records and the job's end are one transaction: one write fewer a job.
            if outcome == "interrupted":
                self._commit(last_batch, job.records_done, job.cost_usd, ledger)
            else:
                self._finish(
                    outcome,
                    error=self.failure,
                    last_batch=last_batch,
                    counters=(job.records_done, job.cost_usd),
                )
        finally:
            self.ledgers.leave(job.user_id)

    def _load(self):
        # Read and parsed outside the write transaction: a seed can be large, and SQLite's
        # one write lock should be held for the status change alone.
        with self.platform.db.read() as session:
            job = session.get(Job, self.job_id)
            if job is None or job.status not in ("queued", "running"):
                return None, None
            rows_json = session.scalar(select(Seed.rows_json).where(Seed.id == job.seed_id))
        rows = json.loads(rows_json) if rows_json is not None else None
        if rows:
            started_at = job.started_at or utcnow()
            with self.platform.db.write() as session:
                claimed = session.execute(
                    update(Job)
                    .where(Job.id == self.job_id, Job.status.in_(("queued", "running")))
                    .values(status="running", started_at=started_at)
                ).rowcount
                session.commit()
            if not claimed:  # cancelled or deleted in the meantime
                return None, None
            job.status, job.started_at = "running", started_at
        self.user_id = job.user_id
        if rows:
            self._publish(job, rate=0.0, dashboard=True)
        return job, rows or None

    def _generate(
        self, job: Job, rows: list[dict], template, ledger: Ledger
    ) -> tuple[str, list[dict]]:
        """Generate until the end, a stop or a failure: the outcome, and the records made
        since the last commit (for the caller to commit with the job's end)."""
        done, cost = job.records_done, job.cost_usd
        price = self.platform.settings.price_per_1k_tokens
        interval = 1.0 / job.records_per_second if job.records_per_second > 0 else 0.0
        pending: list[dict] = []
        run_started = last_commit = time.monotonic()
        first_index = done
        next_due = run_started
        last_progress = last_dashboard = 0.0

        def flush() -> None:
            nonlocal pending, last_commit, last_progress, last_dashboard
            if pending:
                self._commit(pending, done, cost, ledger)
                pending = []
            now = time.monotonic()
            last_commit = now
            elapsed = now - run_started
            self.rate = (done - first_index) / elapsed if elapsed > 0 else 0.0
            if now - last_progress >= PROGRESS_INTERVAL:
                last_progress = now
                job.records_done, job.cost_usd = done, cost
                dashboard = now - last_dashboard >= DASHBOARD_INTERVAL
                if dashboard:
                    last_dashboard = now
                self._publish(job, rate=self.rate, dashboard=dashboard)

        outcome = "completed"
        for index in range(done, job.records_total):
            if interval:
                delay = next_due - time.monotonic()
                if delay > 0:
                    if pending:
                        flush()
                    self.wake.wait(delay)
                next_due = max(next_due + interval, time.monotonic() - interval)
            if self.cancel_requested:
                outcome = "cancelled"
                break
            if self.shutdown_requested:
                outcome = "interrupted"
                break
            row_index = index % len(rows)
            row = rows[row_index]
            try:
                prompt = render_prompt(template, row, index)
            except PromptRenderError as error:
                self.failure = f"Record {index}: {error}"
                outcome = "failed"
                break
            completion = llm.complete(job.id, index)
            tokens = llm.count_tokens(prompt) + llm.count_tokens(completion)
            record_cost = llm.cost_usd(tokens, price)
            with ledger.lock:
                over_job = cost + record_cost > job.budget_usd + EPSILON
                over_month = ledger.spent + record_cost > ledger.monthly_budget + EPSILON
                if over_job or over_month:
                    outcome = "budget_exceeded"
                    self.failure = (
                        "The job's budget cap was reached."
                        if over_job
                        else "The monthly budget was reached."
                    )
                    break
                ledger.spent += record_cost
            cost = round(cost + record_cost, 9)
            done += 1
            pending.append(
                {
                    "job_id": job.id,
                    "index": index,
                    "seed_row_index": row_index,
                    "seed_row": json.dumps(row),
                    "prompt": prompt,
                    "completion": completion,
                    "tokens": tokens,
                    "cost_usd": record_cost,
                    "created_at": utcnow(),
                }
            )
            if len(pending) >= CHECKPOINT_RECORDS or (
                time.monotonic() - last_commit >= CHECKPOINT_SECONDS
            ):
                flush()
        job.records_done, job.cost_usd = done, cost
        elapsed = time.monotonic() - run_started
        self.rate = (done - first_index) / elapsed if elapsed > 0 else 0.0
        return outcome, pending

    def _commit(self, pending: list[dict], done: int, cost: float, ledger: Ledger) -> None:
        if not pending:
            return
        with self.platform.db.write() as session:
            session.execute(insert(Record), pending)
            session.execute(
                update(Job).where(Job.id == self.job_id).values(records_done=done, cost_usd=cost)
            )
            budget = session.scalar(select(User.monthly_budget_usd).where(User.id == self.user_id))
            session.commit()
        if budget is not None:
            ledger.monthly_budget = budget

    def _finish(
        self,
        status: str,
        *,
        error: str | None = None,
        last_batch: list[dict] | None = None,
        counters: tuple[int, float] | None = None,
    ) -> None:
        """Record the job's end, with `last_batch` of records made since the last commit and
        the `counters` (records done, cost) that include them."""
        with self.platform.db.write() as session:
            if last_batch:
                session.execute(insert(Record), last_batch)
            job = session.get(Job, self.job_id)
            if job is None:
                return
            if counters is not None:
                job.records_done, job.cost_usd = counters
            job.status = status
            job.finished_at = utcnow()
            if status == "failed" or status == "budget_exceeded":
                job.error = error
            session.commit()
        self.user_id = job.user_id
        self._publish(job, rate=self.rate, dashboard=True)

    def _publish(self, job: Job, *, rate: float, dashboard: bool) -> None:
        publish_job(self.platform, job, rate=rate, dashboard=dashboard)


def publish_job(platform: Platform, job: Job, *, rate: float, dashboard: bool) -> None:
    """Push the job's state to its owner's sockets (and ask dashboards to refresh)."""
    payload = job_document(job)
    payload["records_per_second_actual"] = round(rate, 1)
    platform.hub.publish_to_user_threadsafe(job.user_id, "job.progress", payload)
    if dashboard:
        platform.hub.publish_to_user_threadsafe(job.user_id, "dashboard.changed", {})


class JobManager:
    """Starts, cancels and resumes job runners."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.ledgers = Ledgers(platform)
        self._runners: dict[int, JobRunner] = {}
        self._lock = threading.Lock()

    def start(self, job_id: int) -> None:
        with self._lock:
            runner = self._runners.get(job_id)
            if runner is not None and runner.is_alive():
                return
            runner = JobRunner(self.platform, self.ledgers, job_id)
            self._runners[job_id] = runner
            runner.start()
        self._forget_finished()

    def resume_all(self) -> int:
        """Restart every job left queued or running by a previous process."""
        with self.platform.db.read() as session:
            job_ids = session.scalars(
                select(Job.id).where(Job.status.in_(("queued", "running"))).order_by(Job.id)
            ).all()
        for job_id in job_ids:
            self.start(job_id)
        return len(job_ids)

    def cancel(self, job_id: int) -> None:
        """Stop a job within a second; its records so far are kept."""
        with self._lock:
            runner = self._runners.get(job_id)
        if runner is not None and runner.is_alive():
            runner.cancel()
            runner.join(CANCEL_GRACE_SECONDS)
            if not runner.is_alive():
                return
        # No live runner (or a stuck one): record the cancellation directly.
        with self.platform.db.write() as session:
            job = session.get(Job, job_id)
            if job is not None and job.status in ("queued", "running"):
                job.status = "cancelled"
                job.finished_at = utcnow()
                session.commit()
                publish_job(self.platform, job, rate=0.0, dashboard=True)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop runners without changing their status, so the next start resumes them."""
        with self._lock:
            runners = list(self._runners.values())
        for runner in runners:
            runner.shut_down()
        deadline = time.monotonic() + timeout
        for runner in runners:
            runner.join(max(0.0, deadline - time.monotonic()))

    def _forget_finished(self) -> None:
        with self._lock:
            for job_id in [key for key, runner in self._runners.items() if not runner.is_alive()]:
                del self._runners[job_id]
