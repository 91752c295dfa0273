"""Attacks a browser can make on the platform, and what the platform must answer.

Each flow plays the attacker in a signed-in (or stolen) browser session: following links to
someone else's data, calling the API with the session's own cookie (`page.request` shares the
context's cookies), planting script in names, posting forms without their CSRF token, reusing a
cookie after logout. They return nothing useful to an attacker; they fail with a message that
says what leaked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import allure
from playwright.sync_api import APIResponse, BrowserContext, Dialog, Page, expect

from pages.errors import FormExpiredPage, NotFoundPage
from pages.login import LoginPage

#: The global each script payload sets if it ever runs.
SCRIPT_SENTINEL = "__xss"
FORM_EXPIRED = "The form expired. Reload the page and try again."
RATE_LIMITED = re.compile(r"^Too many failed attempts\. Try again in (\d+) seconds\.$")


@dataclass(frozen=True)
class OwnedResource:
    """Something of the first user's: its kind, the name that must not leak, where it lives."""

    kind: str
    name: str
    page_path: str
    api_path: str
    #: The API call that would change or remove it, e.g. ("DELETE", "/api/v1/seeds/3").
    write: tuple[str, str]


def _json_error(response: APIResponse) -> dict[str, Any]:
    try:
        return response.json().get("error", {})
    except ValueError:
        return {}


def _expect_not_found_json(response: APIResponse, *, what: str, secret: str = "") -> None:
    body = response.text()
    assert response.status == 404, f"{what} answered {response.status}, not 404: {body[:200]}"
    assert _json_error(response).get("code") == "not_found", f"{what} answered {body[:200]}"
    if secret:
        assert secret not in body, f"{what} leaked {secret!r} in its 404 answer"


def cannot_open_by_link(page: Page, resource: OwnedResource) -> None:
    """Following the link to another user's resource shows the 404 page, and nothing of it."""
    with allure.step(f"Open the other user's {resource.kind} by its link {resource.page_path}"):
        response = page.goto(resource.page_path)
        assert response is not None and response.status == 404, (
            f"the {resource.kind} page {resource.page_path} answered "
            f"{response.status if response else 'nothing'} to another user, not 404"
        )
        NotFoundPage(page).expect_loaded()
        expect(
            page.get_by_role("main"), f"the 404 page shows the {resource.kind}'s name"
        ).not_to_contain_text(resource.name)


def cannot_use_by_api(page: Page, resource: OwnedResource, *, csrf_token: str) -> None:
    """Reading or changing another user's resource by API answers 404."""
    with allure.step(f"Read the other user's {resource.kind} by API: 404"):
        _expect_not_found_json(
            page.request.get(resource.api_path),
            what=f"GET {resource.api_path}",
            secret=resource.name,
        )
    method, path = resource.write
    with allure.step(f"Change the other user's {resource.kind} by API ({method} {path}): 404"):
        _expect_not_found_json(
            page.request.fetch(path, method=method, headers={"X-CSRF-Token": csrf_token}),
            what=f"{method} {path}",
        )


def csrf_token_of(page: Page) -> str:
    """The CSRF token the platform gives this browser session for API calls."""
    me = page.request.get("/api/v1/me")
    assert me.ok, f"GET /api/v1/me answered {me.status}"
    return me.json()["csrf_token"]


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
