"""A Firefox tab driven over WebDriver BiDi directly, with no Playwright on it.

Playwright drives Firefox over WebDriver BiDi, and a Firefox holds one BiDi session at a time,
so the tab here lives in a Firefox of its own: the same executable, headless, a fresh profile,
its remote agent on a loopback port (`FirefoxOverBidi`). Every load gets a new user context and
a new tab, as a Playwright test gets a new context and page. `subscribe` replays the event
subscriptions Playwright's session makes, to tell what the remote agent costs a load idle from
what it costs once it reports the page's events.
"""

from __future__ import annotations

import functools
import json
import subprocess
import tempfile
import time
from collections.abc import Sequence
from typing import Any, Self

import websocket  # websocket-client

from tti_corpus.cdp import document_at, free_loopback_port, wait_on_page_clock

# The modules whose events Playwright 1.64's Firefox session subscribes to (read with
# DEBUG=pw:protocol): every page event it reports is one of these.
PLAYWRIGHT_SUBSCRIPTIONS: tuple[str, ...] = ("browsingContext", "network", "log", "script", "input")


class FirefoxOverBidi:
    """A headless Firefox of its own and one WebDriver BiDi session to it."""

    def __init__(self, executable: str, *, timeout_s: float = 30.0) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="tti-bidi-profile-")
        port = free_loopback_port()
        self._process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-remote",
                "--profile",
                self._profile.name,
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._socket = websocket.create_connection(
                    f"ws://127.0.0.1:{port}/session", timeout=timeout_s, suppress_origin=True
                )
                break
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.close()
                    raise
                time.sleep(0.1)  # Firefox is still opening its remote agent's port
        self._next_id = 0
        self.send("session.new", {"capabilities": {}})

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict:
        """Send one command and wait for its answer (events meanwhile are dropped)."""
        self._next_id += 1
        self._socket.send(
            json.dumps({"id": self._next_id, "method": method, "params": params or {}})
        )
        while True:
            answer = json.loads(self._socket.recv())
            if answer.get("id") != self._next_id:
                continue
            if answer.get("type") == "error":
                raise RuntimeError(f"{method}: {answer.get('error')}: {answer.get('message')}")
            return answer.get("result", {})

    def subscribe(self, modules: Sequence[str]) -> None:
        self.send("session.subscribe", {"events": list(modules)})

    def evaluate(self, expression: str, context: str) -> Any:
        """`expression`'s value in the tab, carried as JSON (awaited if it is a promise)."""
        answer = self.send(
            "script.evaluate",
            {
                "expression": f"Promise.resolve({expression}).then(v => JSON.stringify(v))",
                "target": {"context": context},
                "awaitPromise": True,
                "resultOwnership": "none",
            },
        )
        if answer.get("type") != "success":
            raise RuntimeError(f"{expression[:60]}: {answer.get('exceptionDetails')}")
        return json.loads(answer["result"]["value"])

    def close(self) -> None:
        socket = getattr(self, "_socket", None)
        if socket is not None:
            try:
                self.send("session.end")
            except (OSError, RuntimeError, websocket.WebSocketException):
                pass  # the browser is closing anyway
            socket.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._profile.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def load_in_bidi_tab(
    firefox: FirefoxOverBidi,
    url: str,
    read_expression: str,
    *,
    settle_ms: float,
    after_load_ms: float,
    first_on_site: str | None = None,
) -> dict:
    """A new user context and tab, settled `settle_ms` (after `first_on_site`, when given, a
    navigation to a page of the same site), navigated to `url`, read, closed."""
    user_context = firefox.send("browser.createUserContext")["userContext"]
    try:
        context = firefox.send(
            "browsingContext.create", {"type": "tab", "userContext": user_context}
        )["context"]
        if first_on_site is not None:
            firefox.send(
                "browsingContext.navigate",
                {"context": context, "url": first_on_site, "wait": "complete"},
            )
        in_tab = functools.partial(firefox.evaluate, context=context)
        wait_on_page_clock(in_tab, settle_ms, "true")
        firefox.send("browsingContext.navigate", {"context": context, "url": url, "wait": "none"})
        wait_on_page_clock(in_tab, after_load_ms, document_at(url))
        return firefox.evaluate(f"({read_expression})()", context)
    finally:
        firefox.send("browser.removeUserContext", {"userContext": user_context})
