"""Database engine and session factories (SQLite with WAL by default, PostgreSQL alike)."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

WRITE_OPTION = "app_write"


class _SerialWriteSession(Session):
    """A write session that holds the process's SQLite write lock from `with` to its end.

    SQLite lets one writer in at a time, and a writer that finds the lock taken sleeps in
    steps that grow to 100 ms (its busy handler) however soon the lock is free again: under
    load, writers that kept losing that race waited for most of a second. Queued on a lock of
    the process instead, the next writer starts the moment the last one ends. The platform is
    SQLite's only writer, so this lock is the database's.
    """

    def __init__(self, *args, write_lock: threading.Lock, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.write_lock = write_lock

    def __enter__(self):
        self.write_lock.acquire()
        try:
            return super().__enter__()
        except BaseException:
            self.write_lock.release()
            raise

    def __exit__(self, *exc_info) -> None:
        try:
            super().__exit__(*exc_info)
        finally:
            self.write_lock.release()


class Database:
    """Owns the engine and hands out read or write sessions.

    On SQLite a write session starts with BEGIN IMMEDIATE: a deferred transaction that reads
    and then writes can fail at once with SQLITE_BUSY when another connection committed in
    between, whereas an immediate one waits for the lock. Write sessions are used as `with`
    blocks; on SQLite they queue for the write lock in the process (`_SerialWriteSession`).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url)
        writer_bind = self.engine.execution_options(**{WRITE_OPTION: True})
        # PostgreSQL gives each statement of a READ COMMITTED transaction its own snapshot, so
        # a read-only transaction adds nothing there but a BEGIN and a ROLLBACK: two round
        # trips to the server for each of a request's sessions. On SQLite the transaction is
        # what holds a read's statements to one snapshot, so reads keep it.
        reader_bind = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._reader = sessionmaker(reader_bind, expire_on_commit=False)
        if self.is_sqlite:
            self._writer = sessionmaker(
                writer_bind,
                class_=_SerialWriteSession,
                write_lock=threading.Lock(),
                expire_on_commit=False,
            )
        else:
            self._writer = sessionmaker(writer_bind, expire_on_commit=False)

    def read(self) -> Session:
        """A session for queries only."""
        return self._reader()

    def write(self) -> Session:
        """A session whose transaction takes the write lock up front."""
        return self._writer()

    def create_schema(self) -> None:
        """Create missing tables, and the missing indexes of tables that exist already."""
        from app.models import Base

        Base.metadata.create_all(self.engine)
        # create_all makes a table's indexes only with the table: an index added to the
        # models later would never reach a database made before it.
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                index.create(self.engine, checkfirst=True)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        # No pre-ping: it is a round trip to the server on every checkout, a few a request.
        # A connection the server dropped fails one statement instead, and SQLAlchemy then
        # discards the pool's connections; recycling keeps them from going stale meanwhile.
        return create_engine(url, pool_size=20, max_overflow=20, pool_recycle=1800)
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
