"""A tab driven over Chrome's DevTools protocol directly, with no Playwright on it.

Lighthouse drives a tab this way: it opens it, navigates it and reads it over its own
DevTools connection. Playwright, connected to the same browser, leaves alone every target of
the browser's default context when it launched the browser without a persistent context (it
detaches from them at once), so a tab opened here loads exactly as the browser loads it for
Lighthouse, beside the browser Playwright drives. `setup` replays chosen commands on the tab's
session before it settles, to find which part of Playwright's set-up of its own pages costs
a load its time.
"""

from __future__ import annotations

import functools
import json
import socket
import time
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import websocket  # websocket-client

Command = tuple[str, dict[str, Any]]


def free_loopback_port() -> int:
    """A port nothing listens on now, for `--remote-debugging-port`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevToolsConnection:
    """One WebSocket to the browser's endpoint; flat sessions for its targets."""

    def __init__(self, port: int, *, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/version", timeout=5
                ) as answer:
                    endpoint = json.load(answer)["webSocketDebuggerUrl"]
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)  # the browser is still opening its port
        self._socket = websocket.create_connection(
            endpoint, timeout=timeout_s, suppress_origin=True
        )
        self._next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> dict:
        """Send one command and wait for its answer (events meanwhile are dropped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._socket.send(json.dumps(message))
        while True:
            answer = json.loads(self._socket.recv())
            if answer.get("id") != self._next_id:
                continue
            if "error" in answer:
                raise RuntimeError(f"{method}: {answer['error']}")
            return answer.get("result", {})

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        self._socket.close()


def load_in_devtools_tab(
    connection: DevToolsConnection,
    url: str,
    read_expression: str,
    *,
    settle_ms: float,
    after_load_ms: float,
    setup: Sequence[Command] = (),
) -> dict:
    """Open a blank tab, let it settle `settle_ms`, navigate it to `url`, read it, close it."""
    target = connection.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    try:
        session = connection.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for method, params in setup:
            connection.send(method, params, session)
        in_tab = functools.partial(connection.evaluate, session=session)
        wait_on_page_clock(in_tab, settle_ms, "true")
        connection.send("Page.navigate", {"url": url}, session)
        # Page.navigate may answer before the new document has replaced the blank one.
        wait_on_page_clock(in_tab, after_load_ms, document_at(url))
        return connection.evaluate(f"({read_expression})()", session)
    finally:
        connection.send("Target.closeTarget", {"targetId": target})


def document_at(url: str) -> str:
    """A page-side test that the document is `url`'s, its fragment aside (docsify adds `#/`)."""
    return f"location.href.split('#')[0] === {json.dumps(url)}"


def wait_on_page_clock(evaluate: Callable[[str], Any], ms: float, document_is: str) -> None:
    """Poll every 100 ms (as the Playwright variants do) until the document is `ms` old.

    `evaluate` runs an expression in the tab, over whichever protocol drives it.
    """
    while not evaluate(
        f"{document_is} && document.readyState === 'complete' && performance.now() >= {ms}"
    ):
        time.sleep(0.1)
