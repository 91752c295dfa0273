"""Accounts: sign-up, log-in, log-out, the session cookie, CSRF and the login rate limit."""

from __future__ import annotations

import re

import httpx

from tests.conftest import PASSWORD, ApiClient, unique_email


def _csrf_from_form(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_signup_then_login_returns_the_user_with_a_csrf_token(make_client):
    client: ApiClient = make_client(signed_in=False)
    email = unique_email()
    created = client.post(
        "/auth/signup", json={"email": email, "password": PASSWORD, "display_name": "Ada"}
    )
    assert created.status_code == 201
    assert created.json()["email"] == email
    assert "password" not in created.text

    logged_in = client.post("/auth/login", json={"email": email.upper(), "password": PASSWORD})

    assert logged_in.status_code == 200
    me = client.get("/me").json()
    assert me["display_name"] == "Ada"
    assert me["monthly_budget_usd"] == 10.0
    assert me["spent_usd"] == 0.0
    assert me["csrf_token"] == logged_in.json()["csrf_token"]


def test_session_cookie_is_httponly_and_samesite_lax_and_secure_only_over_https(user):
    plain = httpx.post(
        f"{user.base_url}/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    over_https = httpx.post(
        f"{user.base_url}/api/v1/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )

    cookie = plain.headers["set-cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Secure" in over_https.headers["set-cookie"]


def test_login_rotates_the_session_cookie(make_client):
    client: ApiClient = make_client(signed_in=False)
    client.get("/me")
    anonymous_cookie = client.http.cookies.get("session")
    client.signup_and_login()

    assert client.http.cookies.get("session") != anonymous_cookie


def test_logout_makes_the_old_cookie_useless(user):
    old_cookie = user.http.cookies.get("session")

    assert user.post("/auth/logout").status_code == 204

    replay = httpx.get(f"{user.base_url}/api/v1/me", cookies={"session": old_cookie})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "unauthorized"


def test_logging_out_one_session_keeps_the_users_other_sessions(user, make_client):
    second = make_client(signed_in=False)
    second.ok("POST", "/auth/login", json={"email": user.email, "password": PASSWORD})

    user.ok("POST", "/auth/logout")

    assert second.get("/me").status_code == 200


def test_mutating_api_call_without_csrf_header_is_refused(user):
    response = user.http.post("/templates", json={"name": "x", "body": "y"})
    forged = user.http.post(
        "/templates", json={"name": "x", "body": "y"}, headers={"X-CSRF-Token": "forged"}
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert forged.status_code == 403
    assert user.get("/templates").json()["meta"]["pagination"]["total"] == 0


def test_html_form_without_csrf_token_answers_403_form_expired(user):
    pages = httpx.Client(base_url=user.base_url, cookies=user.http.cookies)
    response = pages.post("/templates/new", data={"name": "x", "body": "y"})

    assert response.status_code == 403
    assert "The form expired. Reload the page and try again." in response.text
    assert user.get("/templates").json()["data"] == []


def test_five_failed_logins_in_a_minute_answer_429_with_retry_after(user):
    anonymous = httpx.Client(base_url=f"{user.base_url}/api/v1")
    failures = [
        anonymous.post("/auth/login", json={"email": user.email, "password": "wrong password!"})
        for _ in range(5)
    ]
    limited = anonymous.post("/auth/login", json={"email": user.email, "password": PASSWORD})

    assert [failure.status_code for failure in failures] == [401] * 5
    assert failures[0].json()["error"]["message"] == "Wrong email or password."
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_login_form_shows_the_rate_limit_message(make_client):
    email = unique_email()
    pages = httpx.Client(base_url=make_client(signed_in=False).base_url)
    token = _csrf_from_form(pages.get("/login").text)
    for _ in range(5):
        pages.post("/login", data={"email": email, "password": "nope", "csrf_token": token})

    response = pages.post("/login", data={"email": email, "password": "nope", "csrf_token": token})

    assert response.status_code == 429
    assert response.headers["Retry-After"].isdigit()
    assert re.search(r"Too many failed attempts\. Try again in \d+ seconds\.", response.text)
    assert 'data-testid="form-error"' in response.text


def test_signup_form_keeps_values_and_marks_the_weak_password(make_client):
    pages = httpx.Client(base_url=make_client(signed_in=False).base_url)
    token = _csrf_from_form(pages.get("/signup").text)
    email = unique_email()

    response = pages.post(
        "/signup",
        data={"email": email, "display_name": "Ada", "password": "short", "csrf_token": token},
    )

    assert response.status_code == 422
    assert 'aria-invalid="true" aria-describedby="password-error password-hint"' in response.text
    assert '<p id="password-error" class="field-error">' in response.text
    assert f'value="{email}"' in response.text


def test_signup_form_success_redirects_to_login_with_a_flash(make_client):
    pages = httpx.Client(base_url=make_client(signed_in=False).base_url)
    token = _csrf_from_form(pages.get("/signup").text)
    form = {
        "email": unique_email(),
        "display_name": "Ada",
        "password": PASSWORD,
        "csrf_token": token,
    }

    response = pages.post("/signup", data=form)
    login_page = pages.get("/login")

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "Account created. Log in to continue." in login_page.text


def test_login_form_follows_a_local_next_path_only(user):
    pages = httpx.Client(base_url=user.base_url)
    token = _csrf_from_form(pages.get("/login").text)
    local = pages.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "next": "/jobs", "csrf_token": token},
    )
    token = _csrf_from_form(pages.get("/login").text)
    foreign = pages.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": token,
        },
    )

    assert local.headers["location"] == "/jobs"
    assert foreign.headers["location"] == "/dashboard"


def test_pages_redirect_anonymous_visitors_to_login(api_server):
    response = httpx.get(f"{api_server.url}/jobs/new")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/jobs/new"


def test_patch_me_changes_the_monthly_budget(user):
    updated = user.ok("PATCH", "/me", json={"monthly_budget_usd": 25.5})
    refused = user.patch("/me", json={"monthly_budget_usd": -1})

    assert updated["monthly_budget_usd"] == 25.5
    assert refused.status_code == 422
    assert "monthly_budget_usd" in refused.json()["error"]["fields"]


def test_delete_me_removes_the_account_and_its_data(user):
    template = user.make_template()

    assert user.delete("/me").status_code == 204

    assert user.get(f"/templates/{template.id}").status_code == 401
    again = user.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert again.status_code == 401
