"""Sign-up, log-in, sessions, budgets and account deletion."""

from __future__ import annotations

import math
import re
from datetime import datetime

from sqlalchemy import delete, func, select

from app.context import Platform
from app.errors import Conflict, NotFound, RateLimited, Unauthorized, check_fields
from app.models import AuthSession, Ecosystem, Job, User, utcnow
from app.security import hash_password, new_token, verify_password

MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WRONG_CREDENTIALS = "Wrong email or password."


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def signup(platform: Platform, *, email: str, display_name: str, password: str) -> User:
    """Create an account; raises ValidationFailed or Conflict (duplicate email)."""
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = "Enter your email address."
    elif len(email) > 320 or not _EMAIL.match(email):
        errors["email"] = "Enter a valid email address, like name@example.com."
    if not display_name:
        errors["display_name"] = "Enter a display name."
    elif len(display_name) > 80:
        errors["display_name"] = "The display name is longer than 80 characters."
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = f"The password must be at least {MIN_PASSWORD_LENGTH} characters."
    elif len(password) > 1024:
        errors["password"] = "The password is longer than 1024 characters."
    check_fields(errors)
    password_hash = hash_password(password)
    with platform.db.write() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            message = "An account with this email already exists."
            raise Conflict(message, fields={"email": message})
        user = User(email=email, display_name=display_name, password_hash=password_hash)
        session.add(user)
        session.commit()
        return user


def authenticate(platform: Platform, *, email: str, password: str) -> User:
    """Check credentials under the rate limit; raises RateLimited or Unauthorized."""
    email = normalise_email(email)
    retry_after = platform.limiter.retry_after(email)
    if retry_after is not None:
        raise RateLimited(
            f"Too many failed attempts. Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )
    with platform.db.read() as session:
        user = session.scalar(select(User).where(User.email == email))
    if not verify_password(user.password_hash if user else None, password or ""):
        platform.limiter.record_failure(email)
        raise Unauthorized(WRONG_CREDENTIALS)
    platform.limiter.clear(email)
    return user


def open_session(platform: Platform, user_id: int) -> str:
    """Store a new server-side session and return its id."""
    session_id = new_token()
    with platform.db.write() as session:
        session.add(AuthSession(id=session_id, user_id=user_id))
        session.commit()
    return session_id


def close_session(platform: Platform, session_id: str | None) -> None:
    if not session_id:
        return
    with platform.db.write() as session:
        session.execute(delete(AuthSession).where(AuthSession.id == session_id))
        session.commit()


def user_for_session(platform: Platform, session_id: str | None) -> User | None:
    if not session_id:
        return None
    with platform.db.read() as session:
        return session.scalar(
            select(User)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(AuthSession.id == session_id)
        )


def month_start(now: datetime | None = None) -> datetime:
    now = now or utcnow()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_spent(session, user_id: int) -> float:
    """What the user's jobs created this calendar month have cost so far."""
    total = session.scalar(
        select(func.coalesce(func.sum(Job.cost_usd), 0.0)).where(
            Job.user_id == user_id, Job.created_at >= month_start()
        )
    )
    return float(total or 0.0)


def spent_for(platform: Platform, user_id: int) -> float:
    with platform.db.read() as session:
        return month_spent(session, user_id)


def set_monthly_budget(platform: Platform, user_id: int, value) -> User:
    """Change the monthly budget; it must be a positive amount."""
    try:
        budget = float(value)
    except (TypeError, ValueError):
        budget = None
    if budget is None or not math.isfinite(budget):
        check_fields({"monthly_budget_usd": "Enter the monthly budget as a number of dollars."})
    # Stored in cents, so checked in cents: $0.004 would otherwise be accepted as $0.00.
    budget = round(budget, 2)
    if budget <= 0:
        check_fields({"monthly_budget_usd": "The monthly budget must be more than $0.00."})
    if budget > 1_000_000:
        check_fields({"monthly_budget_usd": "The monthly budget must be at most $1,000,000."})
    with platform.db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("The account no longer exists.")
        user.monthly_budget_usd = round(budget, 2)
        session.commit()
        return user


def delete_account(platform: Platform, user_id: int) -> None:
    """Stop the user's jobs and simulations, then delete the account with all its data."""
    with platform.db.read() as session:
        job_ids = session.scalars(
            select(Job.id).where(Job.user_id == user_id, Job.status.in_(("queued", "running")))
        ).all()
        ecosystem_ids = session.scalars(
            select(Ecosystem.id).where(Ecosystem.owner_id == user_id)
        ).all()
    for job_id in job_ids:
        platform.jobs.cancel(job_id)
    for ecosystem_id in ecosystem_ids:
        platform.simulations.stop(ecosystem_id)
    with platform.db.write() as session:
        session.execute(delete(User).where(User.id == user_id))
        session.commit()
