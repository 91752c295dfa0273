"""The dashboard's figures, computed when read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.context import Platform
from app.models import Job, Record, User, utcnow
from app.serializers import iso, job_document, money
from app.services.accounts import month_spent

BUDGET_ALERT_PERCENT = 80
RECENT_JOBS = 10
ALERT_WINDOW = timedelta(days=7)


def dashboard_data(platform: Platform, user_id: int) -> dict:
    """Running jobs, records today, spend against budget, recent jobs and alerts."""
    now = utcnow()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with platform.db.read() as session:
        budget = session.scalar(select(User.monthly_budget_usd).where(User.id == user_id))
        spent = month_spent(session, user_id)
        running = session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.user_id == user_id, Job.status.in_(("queued", "running")))
        )
        records_today = session.scalar(
            select(func.count())
            .select_from(Record)
            .join(Job, Job.id == Record.job_id)
            .where(Job.user_id == user_id, Record.created_at >= today)
        )
        recent = session.scalars(
            select(Job).where(Job.user_id == user_id).order_by(Job.id.desc()).limit(RECENT_JOBS)
        ).all()
        troubled = session.scalars(
            select(Job)
            .where(
                Job.user_id == user_id,
                Job.status.in_(("budget_exceeded", "failed")),
                Job.created_at >= now - ALERT_WINDOW,
            )
            .order_by(Job.id.desc())
            .limit(20)
        ).all()
    budget = budget or 0.0
    percent = round(spent / budget * 100, 1) if budget else 0.0
    alerts = []
    if percent >= BUDGET_ALERT_PERCENT:
        alerts.append({"kind": "budget", "message": f"Budget {int(percent)}% used"})
    for job in troubled:
        if job.status == "budget_exceeded":
            message = f"Job #{job.id} stopped: budget exceeded"
        else:
            message = f"Job #{job.id} failed"
        alerts.append({"kind": job.status, "message": message, "job_id": job.id})
    return {
        "running_jobs": running,
        "records_today": records_today,
        "spent_usd": money(spent),
        "monthly_budget_usd": money(budget),
        "budget_used_percent": percent,
        "recent_jobs": [job_document(job) for job in recent],
        "alerts": alerts,
        "generated_at": iso(now),
    }
