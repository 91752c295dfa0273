"""What every page handler shares: rendering, the signed-in user, CSRF, redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import SQLAlchemyError

from app.context import Platform
from app.models import User
from app.security import tokens_match
from app.services.accounts import user_for_session
from app.sessions import session_of

TEMPLATE_DIR = Path(__file__).parent / "templates"
NAVIGATION = (
    ("Dashboard", "/dashboard"),
    ("Templates", "/templates"),
    ("Seed data", "/seeds"),
    ("Jobs", "/jobs"),
    ("Exports", "/exports"),
    ("Observatory", "/observatory"),
)


class LoginRequired(Exception):
    """A page needs a signed-in user; the handler redirects to the log-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class FormExpired(Exception):
    """A form arrived without the session's CSRF token."""


def _usd(value, places: int) -> str:
    return f"${float(value or 0):,.{places}f}"


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["usd2"] = lambda value: _usd(value, 2)
    environment.filters["usd4"] = lambda value: _usd(value, 4)
    environment.filters["when"] = lambda moment: (
        moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"
    )
    environment.globals["navigation"] = NAVIGATION
    return environment


_PAGES = _environment()


def platform_of(request: Request) -> Platform:
    return request.app.state.platform


def optional_user(request: Request) -> User | None:
    return user_for_session(platform_of(request), session_of(request).session_id)


def page_user(request: Request) -> User:
    """The signed-in user, or a redirect to the log-in page that comes back here."""
    user = optional_user(request)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    return user


PageUser = Annotated[User, Depends(page_user)]


def render(
    request: Request,
    name: str,
    context: dict | None = None,
    *,
    user: User | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the layout's shared values (user, CSRF token, flash message)."""
    state = session_of(request)
    values = {
        "request": request,
        "user": user,
        "csrf_token": state.csrf_token,
        "flash": state.pop_flash(),
        "current_path": request.url.path,
        "errors": {},
        "form": {},
    }
    values.update(context or {})
    return HTMLResponse(_PAGES.get_template(name).render(values), status_code=status_code)


def check_form_token(request: Request, token: str) -> None:
    if not tokens_match(session_of(request).csrf_token, token):
        raise FormExpired()


def redirect(request: Request, path: str, *, flash: str | None = None) -> RedirectResponse:
    """Redirect after a POST, optionally leaving a flash message for the next page."""
    if flash:
        session_of(request).set_flash(flash)
    return RedirectResponse(path, status_code=303)


def login_redirect(next_path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(next_path, safe='/')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only local paths are followed after logging in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/dashboard"


def page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def render_error_page(request: Request, *, status_code: int, title: str, message: str):
    """A plain error page (never a stack trace)."""
    try:
        user = optional_user(request)
    except SQLAlchemyError:  # the error page must render even when the database fails
        user = None
    return render(
        request,
        "error.html",
        {"title": title, "message": message},
        user=user,
        status_code=status_code,
    )
