"""A smoke check of the corpus: every page starts, and the heavy state renders its items.

Used by `scripts/bench_tti.py --corpus-smoke` (and before every corpus sweep): each page
is opened once, its items are counted in the DOM (open shadow roots included) once the
count stops growing, and requests that failed or that the corpus does not serve are listed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from playwright.sync_api import Browser

from tti_corpus.apps import CorpusApp
from tti_corpus.server import CorpusServer

_SETTLE_S = 1.0
_TIMEOUT_S = 60.0


@dataclass
class SmokeResult:
    app: str
    state: str
    expected_items: int
    items: int
    seconds: float
    failed_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        # A light state shows next to nothing; a heavy one must show every item.
        enough = self.items >= self.expected_items
        return enough and not self.failed_requests and not self.page_errors


def smoke(browser: Browser, server: CorpusServer, app: CorpusApp, state: str) -> SmokeResult:
    """Open `app` in `state` once and count what it rendered."""
    context = browser.new_context()
    failed: list[str] = []
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        started = time.perf_counter()
        page.goto(server.url(app.name, state), wait_until="load")
        items = page.locator(app.item_selector)
        expected = app.items_in(state)
        count, last_change = items.count(), time.perf_counter()
        # Rendering goes on after load (data fetched, then drawn): wait until the count has
        # reached what is expected, or has stopped growing for a while.
        while time.perf_counter() - started < _TIMEOUT_S:
            page.wait_for_timeout(200)
            now = items.count()
            if now != count:
                count, last_change = now, time.perf_counter()
            elif time.perf_counter() - last_change > _SETTLE_S and (count >= expected or now):
                break
        seconds = time.perf_counter() - started
    finally:
        context.close()
    return SmokeResult(app.name, state, expected, count, round(seconds, 1), failed, errors)
