"""The platform's database layer: SQLite's one writer at a time, queued in the process, and a
schema that reaches databases made before it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, inspect, select, text

from app.db import Database
from app.models import AppSetting

WRITERS = 8
WRITES_EACH = 25


@pytest.fixture
def database(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'platform.db'}")
    database.create_schema()
    yield database
    database.dispose()


def test_concurrent_write_sessions_never_find_sqlite_locked(database):
    # With no busy timeout at all, a writer that met SQLite's lock would fail at once
    # ("database is locked"): every write here succeeding shows the writers never met in
    # SQLite, because they queued in the process first.
    event.listen(database.engine, "connect", _no_busy_timeout)
    database.dispose()
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        start.wait()
        try:
            for index in range(WRITES_EACH):
                with database.write() as session:
                    session.add(AppSetting(key=f"writer-{number}-{index}", value="x"))
                    session.commit()
        except BaseException as error:  # noqa: BLE001 - collected and reported below
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not failures, failures[:3]
    with database.read() as session:
        stored = session.scalar(select(func.count()).select_from(AppSetting))
    assert stored == WRITERS * WRITES_EACH


def test_a_write_session_that_fails_lets_the_next_writer_in(database):
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(AppSetting(key="abandoned", value="x"))
        session.flush()
        raise RuntimeError("the handler failed mid-write")

    finished = threading.Event()

    def next_writer() -> None:
        with database.write() as session:
            session.add(AppSetting(key="next", value="y"))
            session.commit()
        finished.set()

    threading.Thread(target=next_writer, daemon=True).start()
    assert finished.wait(10), "the next writer never got in: the failed session kept the lock"
    with database.read() as session:
        keys = session.scalars(select(AppSetting.key)).all()
    assert keys == ["next"]


def _no_busy_timeout(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def test_an_index_added_later_reaches_a_database_made_before_it(database):
    # A database of an earlier release has the tables but not an index added since: start-up
    # must make it, or the query it serves scans the table there for ever.
    with database.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_records_job_created"))
    assert "ix_records_job_created" not in _index_names(database, "records")

    database.create_schema()

    assert "ix_records_job_created" in _index_names(database, "records")


def _index_names(database: Database, table: str) -> set[str]:
    return {index["name"] for index in inspect(database.engine).get_indexes(table)}
