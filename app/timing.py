"""Server-Timing: every HTTP answer says how long the platform took to start it.

`Server-Timing: app;dur=12.3` is the milliseconds from the request reaching the platform's
outermost middleware to its response headers leaving it. A client that measures a slow request
can then tell the platform's part from the network's and its own (a browser exposes the header
to the page's Resource Timing entries, and to Playwright's responses).
"""

from __future__ import annotations

import time

HEADER = b"server-timing"


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` to every HTTP response's headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message) -> None:
            if message["type"] == "http.response.start":
                took_ms = (time.perf_counter() - started) * 1000
                headers = [*message.get("headers", []), (HEADER, f"app;dur={took_ms:.1f}".encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_timing)
