"""Each user sees only their own data: another user's ids answer 404, like unknown ids."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture
def owner_data(user):
    """A template, a seed, a finished job and a private ecosystem belonging to `user`."""
    from tests.conftest import live_socket

    job = user.make_job(records=3)
    with live_socket(user) as socket:
        socket.wait_for_job(user, job.id)
    ecosystem = user.ok("POST", "/ecosystems", json={"name": "Secret", "visibility": "private"})
    return {
        "template": job.template_id,
        "seed": job.seed_id,
        "job": job.id,
        "ecosystem": ecosystem["id"],
    }


def test_another_users_resources_answer_404_over_the_api(other_user, owner_data):
    paths = [
        f"/templates/{owner_data['template']}",
        f"/seeds/{owner_data['seed']}",
        f"/jobs/{owner_data['job']}",
        f"/jobs/{owner_data['job']}/export",
        f"/ecosystems/{owner_data['ecosystem']}",
        f"/ecosystems/{owner_data['ecosystem']}/characters",
        f"/ecosystems/{owner_data['ecosystem']}/interactions",
    ]
    for path in paths:
        response = other_user.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found", path


def test_another_users_resources_cannot_be_changed(other_user, user, owner_data):
    attempts = [
        ("PUT", f"/templates/{owner_data['template']}", {"name": "mine", "body": "x"}),
        ("DELETE", f"/templates/{owner_data['template']}", None),
        ("DELETE", f"/seeds/{owner_data['seed']}", None),
        ("POST", f"/jobs/{owner_data['job']}/cancel", None),
        ("POST", f"/templates/{owner_data['template']}/test", {"seed_id": owner_data["seed"]}),
        ("PATCH", f"/ecosystems/{owner_data['ecosystem']}", {"name": "mine"}),
        ("POST", f"/ecosystems/{owner_data['ecosystem']}/simulation", {"running": True}),
    ]
    for method, path, body in attempts:
        response = other_user.send(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)

    assert user.get(f"/templates/{owner_data['template']}").status_code == 200
    assert user.get(f"/seeds/{owner_data['seed']}").status_code == 200


def test_a_job_cannot_be_built_from_another_users_template_or_seed(other_user, owner_data):
    own_template = other_user.make_template()
    response = other_user.post(
        "/jobs",
        json={
            "template_id": own_template.id,
            "seed_id": owner_data["seed"],
            "records": 1,
            "budget_usd": 1,
        },
    )

    assert response.status_code == 404
    assert "seed_id" in response.json()["error"]["fields"]


def test_another_users_pages_answer_404(other_user, owner_data):
    pages = httpx.Client(base_url=other_user.base_url, cookies=other_user.http.cookies)
    for path in (
        f"/templates/{owner_data['template']}",
        f"/seeds/{owner_data['seed']}",
        f"/jobs/{owner_data['job']}",
        f"/observatory/{owner_data['ecosystem']}",
    ):
        response = pages.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.text


def test_lists_hold_only_the_users_own_items(other_user, owner_data):
    for path in ("/templates", "/seeds", "/jobs"):
        assert other_user.ok("GET", path)["data"] == [], path
    ecosystems = other_user.ok("GET", "/ecosystems")["data"]
    assert owner_data["ecosystem"] not in [ecosystem["id"] for ecosystem in ecosystems]
    assert other_user.ok("GET", "/dashboard")["recent_jobs"] == []
