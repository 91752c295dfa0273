"""Database engine and session factories (SQLite with WAL by default, PostgreSQL alike)."""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "app_write"


class Database:
    """Owns the engine and hands out read or write sessions.

    On SQLite a write session starts with BEGIN IMMEDIATE: a deferred transaction that reads
    and then writes can fail at once with SQLITE_BUSY when another connection committed in
    between, whereas an immediate one waits for the lock under busy_timeout.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url)
        writer_bind = self.engine.execution_options(**{WRITE_OPTION: True})
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(writer_bind, expire_on_commit=False)

    def read(self) -> Session:
        """A session for queries only."""
        return self._reader()

    def write(self) -> Session:
        """A session whose transaction takes the write lock up front."""
        return self._writer()

    def create_schema(self) -> None:
        """Create missing tables."""
        from app.models import Base

        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=20,
        max_overflow=40,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # Let SQLAlchemy emit BEGIN itself so that write sessions can ask for IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        mode = "IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
