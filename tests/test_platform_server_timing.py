"""Every HTTP answer carries `Server-Timing: app;dur=<ms>`, the platform's own part of it."""

from __future__ import annotations

import re
import time

import pytest

from tests.conftest import ApiClient

SERVER_TIMING = re.compile(r"^app;dur=(\d+(?:\.\d+)?)$")


def server_ms(header: str | None) -> float:
    match = SERVER_TIMING.match(header or "")
    assert match, f"Server-Timing was {header!r}, expected app;dur=<milliseconds>"
    return float(match.group(1))


@pytest.mark.parametrize(
    "path",
    ["/api/v1/dashboard", "/dashboard", "/static/app.css", "/api/v1/jobs/999999999", "/healthz"],
)
def test_every_kind_of_answer_says_how_long_the_platform_took(user: ApiClient, path: str) -> None:
    started = time.perf_counter()
    answer = user.get(path)
    client_ms = (time.perf_counter() - started) * 1000

    took_ms = server_ms(answer.headers.get("server-timing"))
    # The platform's part is part of what the client waited: never more.
    assert 0 <= took_ms <= client_ms, f"{path}: server {took_ms} ms, client {client_ms:.1f} ms"
