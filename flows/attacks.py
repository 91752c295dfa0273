"""Attacks a browser can make on the platform, and what the platform must answer.

Each flow plays the attacker in a signed-in (or stolen) browser session: following links to
someone else's data, calling the API and posting forms with the session's own cookie
(`page.request` shares the context's cookies), subscribing its own WebSocket to someone else's
topics, planting script in names, posting forms without their CSRF token, reusing a cookie
after logout. They return nothing useful to an attacker; they fail with a message that says
what leaked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import allure
from playwright.sync_api import (
    APIRequestContext,
    APIResponse,
    BrowserContext,
    Dialog,
    Page,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pages.errors import FormExpiredPage, NotFoundPage
from pages.login import LoginPage

#: The global each script payload sets if it ever runs.
SCRIPT_SENTINEL = "__xss"
FORM_EXPIRED = "The form expired. Reload the page and try again."
RATE_LIMITED = re.compile(r"^Too many failed attempts\. Try again in (\d+) seconds\.$")


#: Stands for the id under attack in an `Attempt`'s path, JSON body or form.
TARGET = "{id}"
#: An id no resource of any kind has: the platform must answer another user's id like this one.
MISSING_ID = 987_654_321


@dataclass(frozen=True)
class Attempt:
    """One row of the authorisation table: a feature that takes the id of a `resource`.

    `path`, `json` and `form` hold `TARGET` where the id goes: in the address, or as a
    reference inside another request (a job's `template_id`, a template test's `seed_id`).
    `refusal` is the status a stranger must get; `like_missing` says the answer must also be
    the very answer an id that does not exist gets (404 for most; 403 for writes to a public
    ecosystem, which a stranger may see exists). `field` is the field error the answer names.
    """

    resource: str
    method: str
    path: str
    json: Any = None
    form: dict[str, Any] | None = None
    refusal: int = 404
    like_missing: bool = True
    field: str | None = None

    @property
    def feature(self) -> str:
        """How the row reads in a report: `POST /api/v1/jobs (seed_id)`."""
        via = "form " if self.form is not None else ""
        return f"{via}{self.method} {self.path}" + (f" ({self.field})" if self.field else "")


def _json_error(response: APIResponse) -> dict[str, Any]:
    try:
        return response.json().get("error", {})
    except ValueError:
        return {}


def _with_id(value: Any, some_id: int) -> Any:
    """`value` with every `TARGET` (a whole value, or inside a string) replaced by `some_id`."""
    if value == TARGET:
        return some_id
    if isinstance(value, str):
        return value.replace(TARGET, str(some_id))
    if isinstance(value, dict):
        return {key: _with_id(item, some_id) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_id(item, some_id) for item in value]
    return value


def _send(request: APIRequestContext, attempt: Attempt, some_id: int, csrf_token: str):
    path = _with_id(attempt.path, some_id)
    # No redirects followed: a form that was accepted answers 303, and that is the finding.
    if attempt.form is not None:
        form = {key: str(item) for key, item in _with_id(attempt.form, some_id).items()}
        return request.fetch(
            path, method=attempt.method, form={**form, "csrf_token": csrf_token}, max_redirects=0
        )
    headers = {} if attempt.method == "GET" else {"X-CSRF-Token": csrf_token}
    return request.fetch(
        path,
        method=attempt.method,
        headers=headers,
        data=_with_id(attempt.json, some_id),
        max_redirects=0,
    )


def _as_if_for(text: str, target_id: int) -> str:
    """The answer for `MISSING_ID` as it would read for `target_id` (its digits occur nowhere
    else, while a small id such as 1 occurs all over a page)."""
    return text.replace(str(MISSING_ID), str(target_id))


def any_of(texts: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of `texts` as written, for one check of a page's text."""
    return re.compile("|".join(re.escape(text) for text in texts))


def refused_like_a_missing_id(
    request: APIRequestContext,
    attempt: Attempt,
    *,
    target_id: int,
    secrets: tuple[str, ...],
    csrf_token: str,
) -> None:
    """A stranger's `attempt` on `target_id` is refused with `attempt.refusal`, names none of
    `secrets`, and (when `like_missing`) reads exactly as the answer for an id that does not
    exist: the refusal tells no one that the resource is there."""
    what = f"{attempt.feature} with another user's {attempt.resource}"
    with allure.step(f"{what}: {attempt.refusal}"):
        answer = _send(request, attempt, target_id, csrf_token)
        body = answer.text()
        assert answer.status == attempt.refusal, (
            f"{what} answered {answer.status}, not {attempt.refusal}: {body[:300]}"
        )
        leaked = [secret for secret in secrets if secret in body]
        assert not leaked, f"{what} refused, but its answer shows {leaked}: {body[:300]}"
        assert "attachment" not in answer.headers.get("content-disposition", ""), (
            f"{what} sent a file"
        )
        if answer.headers.get("content-type", "").startswith("application/json"):
            error = _json_error(answer)
            assert error.get("code"), f"{what} answered no error code: {body[:300]}"
            if attempt.field:
                assert attempt.field in error.get("fields", {}), (
                    f"{what} did not point at the {attempt.field} field: {body[:300]}"
                )
        elif attempt.field:
            assert f'id="{attempt.field}-error"' in body, (
                f"{what} shows no error next to the {attempt.field} field"
            )
        if attempt.like_missing:
            missing = _send(request, attempt, MISSING_ID, csrf_token)
            expected = _as_if_for(missing.text(), target_id)
            assert (answer.status, body) == (missing.status, expected), (
                f"{what} is answered differently from an id that does not exist, so the "
                f"answer tells that it exists: {answer.status} against {missing.status}, "
                f"{_first_difference(body, expected)}"
            )


def _first_difference(shown: str, expected: str) -> str:
    """The first line where two answers differ, for a failure message."""
    for number, (one, other) in enumerate(zip(shown.splitlines(), expected.splitlines()), 1):
        if one != other:
            return f"line {number}: {one.strip()[:200]!r} against {other.strip()[:200]!r}"
    return f"{len(shown)} characters against {len(expected)}"


def cannot_open_by_link(
    page: Page, *, kind: str, path: str, target_id: int, secrets: tuple[str, ...]
) -> None:
    """Following the link `path` (holding `TARGET`) to another user's `kind` shows the 404 page
    and nothing of it: the very page an id that does not exist gets."""
    link = _with_id(path, target_id)
    with allure.step(f"Open the other user's {kind} by its link {link}: the 404 page"):
        response = page.goto(link)
        assert response is not None and response.status == 404, (
            f"the {kind} page {link} answered "
            f"{response.status if response else 'nothing'} to another user, not 404"
        )
        NotFoundPage(page).expect_loaded()
        expect(
            page.get_by_role("main"), f"the 404 page for the {kind} shows something of it"
        ).not_to_contain_text(any_of(secrets))
        missing = page.request.get(_with_id(path, MISSING_ID))
        expected = _as_if_for(missing.text(), target_id)
        assert (response.status, response.text()) == (missing.status, expected), (
            f"the 404 page for another user's {kind} differs from the page for an id that does "
            f"not exist ({_first_difference(response.text(), expected)}): it tells that the "
            f"{kind} exists"
        )


def csrf_token_of(page: Page) -> str:
    """The CSRF token the platform gives this browser session for API calls."""
    me = page.request.get("/api/v1/me")
    assert me.ok, f"GET /api/v1/me answered {me.status}"
    return me.json()["csrf_token"]


_OPEN_SOCKET = """() => new Promise((resolve, reject) => {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  window.__probeMessages = [];
  socket.addEventListener("message", (event) => {
    window.__probeMessages.push(JSON.parse(event.data));
  });
  socket.addEventListener("open", () => { window.__probeSocket = socket; resolve(); });
  socket.addEventListener("close", (event) => reject(new Error(`closed with ${event.code}`)));
})"""
_SEND = """(message) => {
  const before = window.__probeMessages.length;
  window.__probeSocket.send(JSON.stringify(message));
  return before;
}"""
_FIND = """([type, since, where]) => window.__probeMessages.slice(since).find((message) =>
  message.type === type
  && Object.entries(where).every(([key, value]) => message.payload[key] === value)) || null"""


class SocketProbe:
    """A WebSocket of the page's signed-in user, opened from the page beside the page's own,
    that keeps every message the platform sends it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> SocketProbe:
        """Connect to `/ws` with the page's session cookie."""
        self.page.evaluate(_OPEN_SOCKET)
        return self

    def send(self, message: dict[str, Any]) -> int:
        """Send `message`; returns how many messages had arrived before it."""
        return self.page.evaluate(_SEND, message)

    def messages(self) -> list[dict[str, Any]]:
        """Every message received so far, oldest first."""
        return self.page.evaluate("() => window.__probeMessages")

    def wait_for(
        self, kind: str, *, since: int = 0, where: dict[str, Any] | None = None, what: str
    ) -> dict[str, Any]:
        """The first message of type `kind` (whose payload has `where`) after the `since`-th."""
        try:
            found = self.page.wait_for_function(_FIND, arg=[kind, since, where or {}])
        except PlaywrightTimeoutError:
            kinds = [message["type"] for message in self.messages()[since:]]
            raise AssertionError(f"{what}: no {kind} message arrived (got {kinds})") from None
        return found.json_value()


def cannot_watch(
    probe: SocketProbe, *, topic: str, target_id: int, secrets: tuple[str, ...]
) -> None:
    """Subscribing to `topic` (holding `TARGET`) with another user's private id is answered
    `error`, exactly as the topic of an id that does not exist is, naming nothing of it."""
    mine = _with_id(topic, target_id)
    with allure.step(f"Subscribe to another user's {mine}: error, as for an unknown id"):
        since = probe.send({"subscribe": mine})
        # The socket answers in order, so once the ping's pong is in, so is the reply.
        probe.send({"ping": mine})
        probe.wait_for("pong", since=since, where={"ping": mine}, what=f"pinging after {mine}")
        replies = [m for m in probe.messages()[since:] if m["type"] in ("subscribed", "error")]
        assert [m["type"] for m in replies] == ["error"], (
            f"subscribing to another user's private {mine} was answered {replies}, not one error"
        )
        shown = json.dumps(replies[0]["payload"])
        leaked = [secret for secret in secrets if secret in shown]
        assert not leaked, f"the refusal to watch {mine} names {leaked}"
        since = probe.send({"subscribe": _with_id(topic, MISSING_ID)})
        refusal = probe.wait_for("error", since=since, what="subscribing to an unknown id")
        expected = _as_if_for(json.dumps(refusal["payload"]), target_id)
        assert shown == expected, (
            f"the refusal to watch another user's {mine} reads {shown}, but for an id that "
            f"does not exist it reads {expected}: the difference tells that it exists"
        )


def cannot_download_export(page: Page, *, job_id: int, owner_job_name: str) -> None:
    """Another user's export link answers 404 JSON, in the address bar as through the API."""
    link = f"/api/v1/jobs/{job_id}/export?format=jsonl"
    with allure.step(f"Download the other user's export {link}: 404, no file"):
        expect_no_file(page.request.get(link), what=link, statuses=(404,))
        response = page.goto(link)
        assert response is not None and response.status == 404, (
            f"opening {link} answered {response.status if response else 'nothing'}, not 404"
        )
        assert owner_job_name not in page.content(), f"{link} shows the other user's data"


def expect_no_file(
    response: APIResponse, *, what: str, statuses: tuple[int, ...], markers: tuple[str, ...] = ()
) -> None:
    """The answer refuses with one of `statuses` as a JSON error: no attachment, no contents."""
    body = response.text()
    assert response.status in statuses, (
        f"{what} answered {response.status}, expected {statuses}: {body[:200]}"
    )
    disposition = response.headers.get("content-disposition", "")
    assert "attachment" not in disposition, f"{what} sent a file: {disposition}"
    assert response.headers.get("content-type", "").startswith("application/json"), (
        f"{what} answered {response.headers.get('content-type')}, not a JSON error"
    )
    assert _json_error(response).get("code"), f"{what} answered no error code: {body[:200]}"
    for marker in markers:
        assert marker not in body, f"{what} answered file contents ({marker!r}): {body[:200]}"


@dataclass
class ScriptWatch:
    """Dialogs a page opened while watched."""

    dialogs: list[str] = field(default_factory=list)


@contextmanager
def watching_for_scripts(page: Page) -> Iterator[ScriptWatch]:
    """While inside, every dialog the page opens is recorded (and dismissed)."""
    watch = ScriptWatch()

    def record(dialog: Dialog) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    try:
        yield watch
    finally:
        page.remove_listener("dialog", record)


def expect_no_script_ran(page: Page, watch: ScriptWatch, *, where: str) -> None:
    """No payload ran on this page: no dialog opened and the sentinel global is unset."""
    ran = page.evaluate(f"() => window.{SCRIPT_SENTINEL} !== undefined")
    assert not ran, f"a script payload ran on {where}: window.{SCRIPT_SENTINEL} is set"
    assert not watch.dialogs, f"a script payload opened a dialog on {where}: {watch.dialogs}"


def strip_csrf_tokens(page: Page) -> None:
    """Remove every form's hidden CSRF token from the page, as a forged form would lack it."""
    page.evaluate(
        "() => document.querySelectorAll('input[name=csrf_token]').forEach(i => i.remove())"
    )


def expect_form_refused(page: Page) -> None:
    """The platform answered a form without its token with the "Form expired" page."""
    expired = FormExpiredPage(page).expect_loaded()
    expect(expired.message).to_have_text(FORM_EXPIRED)


def session_cookie(context: BrowserContext) -> dict[str, Any]:
    """The platform's `session` cookie as the browser holds it."""
    cookies = [cookie for cookie in context.cookies() if cookie["name"] == "session"]
    assert cookies, "the browser holds no session cookie"
    return dict(cookies[0])


def fail_logins_until_limited(
    login: LoginPage, *, email: str, wrong_password: str, allowed_failures: int
) -> int:
    """Submit wrong passwords: each of the first `allowed_failures` is refused as wrong, the
    next is answered 429 with a message saying when to retry. Returns that number of seconds."""
    for attempt in range(1, allowed_failures + 1):
        with allure.step(f"Wrong password, attempt {attempt}: refused"):
            status, _ = submit_login(login, email=email, password=wrong_password)
            assert status == 401, f"wrong password attempt {attempt} was answered {status}"
            expect(login.form_errors.form_error).to_have_text("Wrong email or password.")
    with allure.step(f"Attempt {allowed_failures + 1}: 429, and when to try again"):
        status, headers = submit_login(login, email=email, password=wrong_password)
        return expect_rate_limited(login, status, headers)


def submit_login(login: LoginPage, *, email: str, password: str) -> tuple[int, dict[str, str]]:
    """Submit the login form and wait for the platform's answer: its status and headers."""
    # Every refusal renders the same message, so the answer itself is what marks each attempt.
    with login.page.expect_response(_is_login_post) as answer:
        login.submit_credentials(email=email, password=password)
    return answer.value.status, answer.value.headers


def expect_rate_limited(login: LoginPage, status: int, headers: dict[str, str]) -> int:
    """The login answered 429 with Retry-After, and the form says when to retry."""
    assert status == 429, f"the login answered {status}, not 429"
    expect(login.form_errors.form_error).to_have_text(RATE_LIMITED)
    seconds = int(RATE_LIMITED.match(login.form_errors.form_error.inner_text()).group(1))
    assert 0 < seconds <= 60, f"the form says to retry in {seconds} seconds"
    retry_after = headers.get("retry-after")
    assert retry_after is not None and abs(int(retry_after) - seconds) <= 1, (
        f"Retry-After says {retry_after!r}, the form says {seconds} seconds"
    )
    return seconds


def _is_login_post(response: Any) -> bool:
    return response.request.method == "POST" and response.url.split("?")[0].endswith("/login")
