"""Fault injection: absent by default, and with APP_FAULT_INJECTION=1 it closes a user's
sockets from the server's side and answers a request as late as its header asks."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed

from fixtures.server import PlatformProcess
from tests.conftest import ApiClient, live_socket

SERVICE_RESTART = 1012


@pytest.fixture(scope="module")
def faulty_server() -> Iterator[PlatformProcess]:
    """A platform started with fault injection switched on."""
    with PlatformProcess(env={"APP_FAULT_INJECTION": "1"}) as server:
        yield server


@pytest.fixture
def faulty_client(faulty_server: PlatformProcess) -> Iterator[ApiClient]:
    client = ApiClient(faulty_server.url).signup_and_login()
    yield client
    client.close()


def _answer_seconds(client: ApiClient, path: str, **kwargs) -> tuple[int, float]:
    started = time.monotonic()
    status = client.get(path, **kwargs).status_code
    return status, time.monotonic() - started


def test_fault_injection_is_absent_unless_switched_on(user):
    assert user.get("/_faults").status_code == 404
    assert user.post("/_faults/close-sockets").status_code == 404
    status, seconds = _answer_seconds(user, "/me", headers={"X-Fault-Delay-Ms": "3000"})
    assert status == 200
    assert seconds < 2, (
        f"a platform without fault injection honoured the delay header ({seconds:.1f} s)"
    )


def test_switched_on_it_describes_its_faults(faulty_client):
    answer = faulty_client.ok("GET", "/_faults")
    assert answer["enabled"] is True
    assert set(answer["faults"]) == {"close-sockets", "delay"}


def test_close_sockets_closes_only_the_callers_sockets_as_a_service_restart(
    faulty_server, faulty_client
):
    other = ApiClient(faulty_server.url).signup_and_login()
    with live_socket(faulty_client) as mine, live_socket(other) as theirs:
        mine.send({"ping": 1})
        mine.next_message(lambda message: message["type"] == "pong")

        answer = faulty_client.ok("POST", "/_faults/close-sockets")

        assert answer == {"closed": 1}
        with pytest.raises(ConnectionClosed) as closed:
            mine.connection.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == SERVICE_RESTART
        theirs.send({"ping": 2})
        assert theirs.next_message(lambda message: message["type"] == "pong")["payload"] == {
            "ping": 2
        }
    other.close()


def test_close_sockets_needs_a_signed_in_caller_with_the_csrf_token(faulty_server, faulty_client):
    anonymous = ApiClient(faulty_server.url)
    assert anonymous.post("/_faults/close-sockets").status_code == 401
    without_token = faulty_client.http.post("/_faults/close-sockets")
    assert without_token.status_code == 403
    assert without_token.json()["error"]["code"] == "csrf_failed"
    anonymous.close()


def test_a_request_asking_for_a_delay_is_answered_that_late(faulty_client):
    status, seconds = _answer_seconds(faulty_client, "/me", headers={"X-Fault-Delay-Ms": "1500"})
    assert status == 200
    assert seconds >= 1.5, f"answered after {seconds:.2f} s, asked for 1.5 s"
    _, undelayed = _answer_seconds(faulty_client, "/me")
    assert undelayed < 1.5, f"a request without the header took {undelayed:.2f} s"


def test_a_delay_counts_as_the_platforms_own_time_in_server_timing(faulty_client):
    # A client that sees a slow answer must be able to tell it was the platform's doing.
    delayed = faulty_client.get("/me", headers={"X-Fault-Delay-Ms": "300"})
    assert delayed.headers["server-timing"].startswith("app;dur=")
    assert float(delayed.headers["server-timing"].removeprefix("app;dur=")) >= 300


@pytest.mark.parametrize("value", ["soon", "-5", ""])
def test_a_malformed_delay_header_is_ignored(faulty_client, value):
    status, seconds = _answer_seconds(faulty_client, "/me", headers={"X-Fault-Delay-Ms": value})
    assert status == 200
    assert seconds < 1.5
