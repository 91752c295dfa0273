"""Dependencies of the API routes: the platform, the signed-in user, CSRF, pagination."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from app.context import Platform
from app.errors import CsrfFailed, Unauthorized, check_fields
from app.models import User
from app.security import tokens_match
from app.services.accounts import user_for_session
from app.sessions import session_of

MAX_PER_PAGE = 100


def get_platform(request: Request) -> Platform:
    return request.app.state.platform


def get_user(request: Request) -> User:
    """The signed-in user, or 401."""
    user = user_for_session(get_platform(request), session_of(request).session_id)
    if user is None:
        raise Unauthorized("Log in to continue.")
    return user


def check_csrf(request: Request, user: Annotated[User, Depends(get_user)]) -> User:
    """The signed-in user of a mutating call that carries the session's CSRF token."""
    if not tokens_match(session_of(request).csrf_token, request.headers.get("x-csrf-token")):
        raise CsrfFailed("The X-CSRF-Token header is missing or does not match the session.")
    return user


@dataclass
class PageQuery:
    page: int
    per_page: int


def paging(page: int = Query(1), per_page: int = Query(20)) -> PageQuery:
    return _checked_page(page, per_page)


def roster_paging(page: int = Query(1), per_page: int = Query(50)) -> PageQuery:
    """Characters come 50 a page by default, like the roster on the ecosystem page."""
    return _checked_page(page, per_page)


def _checked_page(page: int, per_page: int) -> PageQuery:
    errors = {}
    if page < 1:
        errors["page"] = "The page must be 1 or more."
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"per_page must be between 1 and {MAX_PER_PAGE}."
    check_fields(errors)
    return PageQuery(page=page, per_page=per_page)


PlatformDep = Annotated[Platform, Depends(get_platform)]
UserDep = Annotated[User, Depends(get_user)]
WriterDep = Annotated[User, Depends(check_csrf)]
PageDep = Annotated[PageQuery, Depends(paging)]
RosterPageDep = Annotated[PageQuery, Depends(roster_paging)]
