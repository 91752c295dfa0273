"""Sign-up, log-in and log-out pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.errors import AppError, RateLimited, ValidationFailed
from app.services import accounts
from app.sessions import session_of
from app.web.common import (
    check_form_token,
    optional_user,
    platform_of,
    redirect,
    render,
    safe_next,
)

router = APIRouter()
FormText = Annotated[str, Form()]


@router.get("/")
def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/dashboard" if optional_user(request) else "/login", 303)


@router.get("/signup")
def signup_page(request: Request):
    return render(request, "signup.html", user=optional_user(request))


@router.post("/signup")
def signup(
    request: Request,
    email: FormText = "",
    display_name: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    try:
        accounts.signup(
            platform_of(request), email=email, display_name=display_name, password=password
        )
    except AppError as error:
        return render(
            request,
            "signup.html",
            {"errors": error.fields, "form": {"email": email, "display_name": display_name}},
            status_code=error.status,
        )
    return redirect(request, "/login", flash="Account created. Log in to continue.")


@router.get("/login")
def login_page(request: Request, next: str = ""):
    return render(request, "login.html", {"form": {"next": next}}, user=optional_user(request))


@router.post("/login")
def login(
    request: Request,
    email: FormText = "",
    password: FormText = "",
    next: FormText = "",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    platform = platform_of(request)
    form = {"email": email, "next": next}
    try:
        user = accounts.authenticate(platform, email=email, password=password)
    except RateLimited as error:
        response = render(
            request, "login.html", {"form": form, "form_error": error.message}, status_code=429
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except (AppError, ValidationFailed) as error:
        return render(
            request,
            "login.html",
            {"form": form, "form_error": error.message},
            status_code=error.status,
        )
    state = session_of(request)
    accounts.close_session(platform, state.session_id)
    state.sign_in(accounts.open_session(platform, user.id))
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: FormText = ""):
    check_form_token(request, csrf_token)
    state = session_of(request)
    accounts.close_session(platform_of(request), state.session_id)
    state.sign_out()
    return redirect(request, "/login", flash="You are logged out.")
