"""Accounts: sign-up, log-in, log-out and the current user."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from app.api.deps import PlatformDep, UserDep, WriterDep
from app.serializers import user_document
from app.services import accounts
from app.sessions import session_of

router = APIRouter(tags=["accounts"])


class SignupBody(BaseModel):
    email: str = ""
    password: str = ""
    display_name: str = ""


class LoginBody(BaseModel):
    email: str = ""
    password: str = ""


class BudgetBody(BaseModel):
    monthly_budget_usd: float | None = None


@router.post("/auth/signup", status_code=201)
def signup(body: SignupBody, platform: PlatformDep) -> dict:
    """Create an account (it does not log in)."""
    user = accounts.signup(
        platform, email=body.email, display_name=body.display_name, password=body.password
    )
    return user_document(user, spent_usd=0.0)


# Log-in and sign-up take JSON only, which a cross-site form cannot send, so they need no
# CSRF header: a client has no token before it has a session.
@router.post("/auth/login")
def login(body: LoginBody, request: Request, platform: PlatformDep) -> dict:
    """Check the credentials and start a new session (the cookie rotates)."""
    user = accounts.authenticate(platform, email=body.email, password=body.password)
    state = session_of(request)
    accounts.close_session(platform, state.session_id)
    state.sign_in(accounts.open_session(platform, user.id))
    document = user_document(user, spent_usd=accounts.spent_for(platform, user.id))
    return {**document, "csrf_token": state.csrf_token}


@router.post("/auth/logout", status_code=204)
def logout(request: Request, platform: PlatformDep, _user: WriterDep) -> Response:
    """End this session; the old cookie no longer signs anyone in."""
    state = session_of(request)
    accounts.close_session(platform, state.session_id)
    state.sign_out()
    return Response(status_code=204)


@router.get("/me")
def me(request: Request, platform: PlatformDep, user: UserDep) -> dict:
    """The signed-in user, with the CSRF token for mutating calls."""
    document = user_document(user, spent_usd=accounts.spent_for(platform, user.id))
    return {**document, "csrf_token": session_of(request).csrf_token}


@router.patch("/me")
def update_me(body: BudgetBody, platform: PlatformDep, user: WriterDep) -> dict:
    """Change the monthly budget."""
    updated = accounts.set_monthly_budget(platform, user.id, body.monthly_budget_usd)
    return user_document(updated, spent_usd=accounts.spent_for(platform, user.id))


@router.delete("/me", status_code=204)
def delete_me(request: Request, platform: PlatformDep, user: WriterDep) -> Response:
    """Delete the account and everything it owns."""
    accounts.delete_account(platform, user.id)
    session_of(request).sign_out()
    return Response(status_code=204)
