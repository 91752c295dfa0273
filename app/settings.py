"""Runtime settings read from the command line and the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

DEFAULT_PRICE_PER_1K_TOKENS = 0.002
REPO_ROOT = Path(__file__).resolve().parent.parent
SECRET_SETTING_KEY = "session_secret"
FAULT_INJECTION_VARIABLE = "APP_FAULT_INJECTION"


@dataclass(frozen=True)
class Settings:
    """Everything the platform needs to know before it starts."""

    database_url: str
    data_dir: Path
    price_per_1k_tokens: float
    secret_key: str | None
    #: Operator-only switches that make the platform misbehave on purpose (app/faults.py).
    fault_injection: bool = False

    @classmethod
    def load(cls, *, database_url: str | None = None, data_dir: Path | None = None) -> Settings:
        """Combine explicit arguments with the APP_* environment variables."""
        directory = Path(data_dir or os.environ.get("APP_DATA_DIR") or REPO_ROOT / "data")
        directory.mkdir(parents=True, exist_ok=True)
        url = database_url or f"sqlite:///{directory / 'platform.db'}"
        raw_price = os.environ.get("APP_PRICE_PER_1K_TOKENS", "")
        try:
            price = float(raw_price) if raw_price else DEFAULT_PRICE_PER_1K_TOKENS
        except ValueError:
            raise SystemExit(f"APP_PRICE_PER_1K_TOKENS is not a number: {raw_price!r}") from None
        if price <= 0:
            raise SystemExit("APP_PRICE_PER_1K_TOKENS must be more than 0")
        return cls(
            database_url=url,
            data_dir=directory,
            price_per_1k_tokens=price,
            secret_key=os.environ.get("APP_SECRET_KEY") or None,
            fault_injection=os.environ.get(FAULT_INJECTION_VARIABLE) == "1",
        )


def resolve_secret_key(settings: Settings, database) -> str:
    """Return the session secret: the configured one, else the one stored in the database.

    Storing a generated secret in the database keeps cookies valid across a restart on the
    same database, which the resume-after-kill journeys rely on.
    """
    if settings.secret_key:
        return settings.secret_key
    from app.models import AppSetting

    with database.write() as session:
        stored = session.scalar(select(AppSetting).where(AppSetting.key == SECRET_SETTING_KEY))
        if stored is not None:
            return stored.value
        value = secrets.token_urlsafe(48)
        session.add(AppSetting(key=SECRET_SETTING_KEY, value=value))
        session.commit()
        return value
