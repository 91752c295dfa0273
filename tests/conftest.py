"""Fixtures for the platform's fast tests: real server processes and signed-in API clients.

Everything goes over real HTTP and WebSocket connections to `python -m app`; nothing of the
platform is mocked. Each test signs up its own users (unique emails), so tests sharing the
session's server never see each other's data.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from domain.facts import FINISHED_JOB_STATUSES
from domain.platform_types import Job, Seed, Template
from fixtures.api import PlatformApi, job_progress
from fixtures.server import PlatformProcess

DATABASE_URL_VARIABLE = "PLATFORM_TEST_DATABASE_URL"
PASSWORD = "correct horse battery staple"
PEOPLE_CSV = (
    "name,city,card\n"
    "ada lovelace,London Town,4111111111111111\n"
    "grace hopper,New York,5500000000000004\n"
    "alan turing,Wilmslow,340000000000009\n"
)
GREETING_TEMPLATE = "Write a short note to {{ name | title }} who lives in {{ city }}."
_counter = itertools.count()


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.test"


class ApiClient(PlatformApi):
    """The suite's platform client as the API's own tests use it.

    Its `get`/`post`/`put`/`patch`/`delete` return the answer as it came (`PlatformApi.send`),
    since a refusal and its body are what many of these tests are about; `ok` is a raw call
    that must succeed. The typed methods are `PlatformApi`'s own; the `make_*` helpers beside
    them take defaults, so a test states only what matters to it.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, timeout=20)
        self.email: str | None = None

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.send("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.send("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> httpx.Response:
        return self.send("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs) -> httpx.Response:
        return self.send("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> httpx.Response:
        return self.send("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, **kwargs) -> dict:
        """Send a call that must succeed and return its JSON (or {} for 204)."""
        response = self.send(method, path, **kwargs)
        assert response.is_success, f"{method} {path} → {response.status_code} {response.text}"
        return response.json() if response.content else {}

    def signup_and_login(self, *, display_name: str = "Tester", email: str | None = None):
        self.email = email or unique_email()
        self.signup(self.email, PASSWORD, display_name)
        self.login(self.email, PASSWORD)
        return self

    # Data helpers with defaults, each returning what the typed method returns.
    def make_template(self, body: str = GREETING_TEMPLATE, name: str | None = None) -> Template:
        """A template: the greeting over PEOPLE_CSV's columns, uniquely named, by default."""
        return self.create_template(name or f"template {next(_counter)}", body)

    def make_seed(self, content: str | bytes = PEOPLE_CSV, filename: str = "people.csv") -> Seed:
        """A seed uploaded from `content` (PEOPLE_CSV by default) as the file `filename`."""
        data = content.encode() if isinstance(content, str) else content
        return self.upload_seed(filename, content=data)

    def make_job(self, **overrides: Any) -> Job:
        """A job of 20 unthrottled records on a $1 budget, on a new template and seed unless
        `template_id` / `seed_id` are given."""
        fields = {"records": 20, "budget_usd": 1.0, "format": "jsonl", "records_per_second": 0}
        fields.update(overrides)
        if "template_id" not in fields:
            fields["template_id"] = self.make_template().id
        if "seed_id" not in fields:
            fields["seed_id"] = self.make_seed().id
        return self.create_job(**fields)

    def export_records(self, job_id: int) -> list[dict[str, Any]]:
        """A finished job's records, read from its JSON Lines export."""
        return self.export(job_id, "jsonl").records()


class LiveSocket:
    """A WebSocket of a signed-in user, with waits that end on the message that matters."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.received: list[dict] = []

    def send(self, message: dict) -> None:
        self.connection.send(json.dumps(message))

    def next_message(self, predicate: Callable[[dict], bool], *, timeout: float = 10) -> dict:
        """The next message that satisfies `predicate`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching WebSocket message within {timeout} s")
            try:
                raw = self.connection.recv(timeout=remaining)
            except TimeoutError:
                continue
            message = json.loads(raw)
            message["received_at"] = time.time() * 1000
            self.received.append(message)
            if predicate(message):
                return message

    def wait_for_job(
        self,
        client: ApiClient,
        job_id: int,
        condition: Callable[[Job], bool] | None = None,
        *,
        timeout: float = 30,
    ) -> Job:
        """The job once `condition` holds (default: finished), read first over HTTP so that
        a change made before the socket saw it is not missed."""
        condition = condition or (lambda job: job.status in FINISHED_JOB_STATUSES)
        job = client.job(job_id)
        if condition(job):
            return job

        message = self.next_message(
            lambda m: (progress := job_progress(m, job_id)) is not None and condition(progress),
            timeout=timeout,
        )
        return job_progress(message, job_id)


@contextmanager
def live_socket(client: ApiClient) -> Iterator[LiveSocket]:
    """Open /ws with the client's session cookie."""
    url = client.base_url.replace("http://", "ws://") + "/ws"
    with connect(url, additional_headers={"Cookie": client.cookie_header}, proxy=None) as ws:
        yield LiveSocket(ws)


@pytest.fixture(scope="session")
def api_server() -> Iterator[PlatformProcess]:
    """One platform process with a fresh database, shared by the API tests.

    PLATFORM_TEST_DATABASE_URL (e.g. postgresql+psycopg://user@host/empty_db) runs them on
    that database instead of a new SQLite file; tests that restart a server keep SQLite.
    """
    with PlatformProcess(database_url=os.environ.get(DATABASE_URL_VARIABLE) or None) as server:
        yield server


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[PlatformProcess]:
    """A platform process of this test alone (for tests that kill or restart it)."""
    server = PlatformProcess(data_dir=tmp_path / "platform")
    try:
        yield server.start()
    finally:
        server.close()


@pytest.fixture
def make_client(api_server: PlatformProcess) -> Iterator[Callable[..., ApiClient]]:
    """Factory of clients of the shared server; `signed_in=False` gives an anonymous one."""
    clients: list[ApiClient] = []

    def make(*, signed_in: bool = True, server: PlatformProcess | None = None, **kwargs):
        client = ApiClient((server or api_server).url)
        clients.append(client)
        return client.signup_and_login(**kwargs) if signed_in else client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def user(make_client) -> ApiClient:
    """A freshly signed-up, signed-in user of the shared server."""
    return make_client(display_name="Ada")


@pytest.fixture
def other_user(make_client) -> ApiClient:
    """A second user, for isolation and sharing tests."""
    return make_client(display_name="Bob")
