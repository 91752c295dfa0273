"""Bad input over the API: clear 4xx JSON with field messages, and nothing stored changes."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import PASSWORD, unique_email


def _error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    return response.json()["error"]


def test_duplicate_email_is_a_conflict_on_the_email_field(user, make_client):
    anonymous = make_client(signed_in=False)
    response = anonymous.post(
        "/auth/signup", json={"email": user.email, "password": PASSWORD, "display_name": "Twin"}
    )

    error = _error(response, 409)
    assert error["code"] == "conflict"
    assert error["fields"]["email"] == "An account with this email already exists."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"password": "short"}, "password"),
        ({"display_name": " "}, "display_name"),
    ],
    ids=["invalid-email", "empty-email", "weak-password", "blank-display-name"],
)
def test_signup_refuses_bad_fields(make_client, overrides, field):
    anonymous = make_client(signed_in=False)
    body = {"email": unique_email(), "password": PASSWORD, "display_name": "Ada", **overrides}

    error = _error(anonymous.post("/auth/signup", json=body), 422)

    assert error["code"] == "validation_error"
    assert field in error["fields"]


def test_wrong_password_is_unauthorized_without_saying_which_part_was_wrong(user, make_client):
    anonymous = make_client(signed_in=False)
    wrong_password = anonymous.post("/auth/login", json={"email": user.email, "password": "x" * 12})
    unknown_email = anonymous.post(
        "/auth/login", json={"email": unique_email(), "password": PASSWORD}
    )

    assert _error(wrong_password, 401)["message"] == "Wrong email or password."
    assert _error(unknown_email, 401)["message"] == "Wrong email or password."


def test_requests_without_a_session_are_unauthorized(api_server):
    error = _error(httpx.get(f"{api_server.url}/api/v1/jobs"), 401)

    assert error["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"records": 0}, "records"),
        ({"records": -5}, "records"),
        ({"budget_usd": 0}, "budget_usd"),
        ({"budget_usd": -1}, "budget_usd"),
        ({"records_per_second": -1}, "records_per_second"),
        ({"format": "xml"}, "format"),
        ({"records": "many"}, "records"),
    ],
    ids=[
        "zero-records",
        "negative-records",
        "zero-budget",
        "negative-budget",
        "negative-speed",
        "unknown-format",
        "non-numeric-records",
    ],
)
def test_job_creation_refuses_bad_numbers(user, overrides, field):
    template, seed = user.make_template(), user.make_seed()
    body = {
        "template_id": template.id,
        "seed_id": seed.id,
        "records": 10,
        "budget_usd": 1,
        **overrides,
    }

    error = _error(user.post("/jobs", json=body), 422)

    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert user.get("/jobs").json()["data"] == []


def test_budget_below_one_records_cost_is_refused_with_the_amount(user):
    template, seed = user.make_template(), user.make_seed()
    body = {
        "template_id": template.id,
        "seed_id": seed.id,
        "records": 10,
        "budget_usd": 0.00001,
    }

    error = _error(user.post("/jobs", json=body), 422)

    assert error["fields"]["budget_usd"].startswith("The budget is below the cost of one record ($")


def test_unknown_ids_answer_not_found(user):
    for path in (
        "/templates/999999",
        "/seeds/999999",
        "/jobs/999999",
        "/ecosystems/999999",
        "/jobs/999999/export",
    ):
        assert _error(user.get(path), 404)["code"] == "not_found", path
    body = {"template_id": 999999, "seed_id": 999999, "records": 1, "budget_usd": 1}
    assert _error(user.post("/jobs", json=body), 404)["fields"]["template_id"]
    assert _error(user.post("/jobs/999999/cancel"), 404)["code"] == "not_found"


def test_malformed_json_and_bad_paging_are_refused_and_a_non_numeric_id_is_not_found(user):
    malformed = user.post(
        "/templates", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    paging = user.get("/templates", params={"per_page": 1000})
    not_an_id = user.get("/templates/abc")

    assert _error(malformed, 422)["code"] == "validation_error"
    assert "per_page" in _error(paging, 422)["fields"]
    assert _error(not_an_id, 404)["code"] == "not_found"


def test_unknown_api_route_answers_json_not_found(user):
    error = _error(user.get("/no-such-thing"), 404)

    assert error["code"] == "not_found"


def test_openapi_document_describes_the_api(api_server):
    document = httpx.get(f"{api_server.url}/openapi.json").json()

    for path in (
        "/api/v1/jobs",
        "/api/v1/templates/{template_id}/test",
        "/api/v1/dashboard",
        "/api/v1/ecosystems/{ecosystem_id}/characters",
        "/healthz",
    ):
        assert path in document["paths"], path
