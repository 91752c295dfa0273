"""Proving that a screen updated live: a mark on the window that a reload would wipe, and a
record of the WebSocket messages a page received."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

_MARK = "__loadedOnceForThisCheck"


def mark_page_loaded(page: Page) -> None:
    """Leave a mark on the current document; any reload or navigation removes it."""
    page.evaluate(f"() => {{ window.{_MARK} = true; }}")


def expect_not_reloaded(page: Page, *, what: str) -> None:
    """Fail if the document marked by `mark_page_loaded` has been replaced."""
    still_marked = page.evaluate(f"() => window.{_MARK} === true")
    assert still_marked, f"{what} was reloaded; its updates were not live"


# Firefox driven over WebDriver BiDi reports no WebSocket frames to Playwright, so the frames
# are recorded inside the page instead: the recorder listens before the page's own code does,
# and both run in the same message event, so a read never sees one without the other.
_RECORDER = """
(() => {
  if (window.__interactionsReceived) return;
  const received = [];
  Object.defineProperty(window, "__interactionsReceived", { value: received });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        try {
          const message = JSON.parse(event.data);
          if (message.type === "interaction") received.push(message.payload);
        } catch (error) {
          // Not JSON: the page ignores it too.
        }
      });
    }
  };
})();
"""


class ReceivedInteractions:
    """The `interaction` messages a page's WebSocket received, in the order they arrived."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def record(cls, page: Page) -> ReceivedInteractions:
        """Start recording on every document `page` loads from now on (call before opening)."""
        page.add_init_script(script=_RECORDER)
        return cls(page)

    def all(self) -> list[dict[str, Any]]:
        """Every payload received by the current document so far, oldest first."""
        return self.page.evaluate("() => [...(window.__interactionsReceived || [])]")

    def wait_for(self, count: int, *, timeout_ms: float | None = None) -> None:
        """Wait until the current document has received at least `count` interactions."""
        self.page.wait_for_function(
            "count => (window.__interactionsReceived || []).length >= count",
            arg=count,
            timeout=timeout_ms,
        )
