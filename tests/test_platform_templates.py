"""Templates: CRUD, the sandboxed Jinja2 environment and its filters, the template test."""

from __future__ import annotations

from tests.conftest import ApiClient


def _render(user: ApiClient, body: str, *, rows: int = 1) -> dict:
    template = user.make_template()
    seed = user.make_seed()
    return user.post(
        f"/templates/{template.id}/test",
        json={"seed_id": seed.id, "rows": rows, "body": body},
    )


def test_templates_can_be_created_listed_edited_and_deleted(user):
    created = user.make_template(name="Greeting", body="Hello {{ name }}")
    listed = user.ok("GET", "/templates")
    edited = user.ok(
        "PUT", f"/templates/{created.id}", json={"name": "Greeting 2", "body": "Hi {{ name }}"}
    )
    deleted = user.delete(f"/templates/{created.id}")

    assert [item["id"] for item in listed["data"]] == [created.id]
    assert listed["meta"]["pagination"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}
    assert edited["name"] == "Greeting 2"
    assert edited["body"] == "Hi {{ name }}"
    assert deleted.status_code == 204
    assert user.get(f"/templates/{created.id}").status_code == 404


def test_custom_filters_title_slug_mask_and_pick(user):
    body = "{{ name | title }}|{{ city | slug }}|{{ card | mask }}|{{ 'red,green,blue' | pick }}"

    response = _render(user, body)

    assert response.status_code == 200, response.text
    name, city, card, colour = response.json()["previews"][0]["prompt"].split("|")
    assert name == "Ada Lovelace"
    assert city == "london-town"
    assert card == "************1111"
    assert colour in {"red", "green", "blue"}
    assert _render(user, body).json()["previews"][0]["prompt"].endswith(colour)


def test_sandbox_refuses_access_to_dunder_attributes(user):
    response = _render(user, "{{ ''.__class__.__mro__[1].__subclasses__() }}")

    assert response.status_code == 422
    message = response.json()["error"]["fields"]["body"]
    assert "__class__" in message
    assert "unsafe" in message


def test_syntax_error_reports_its_line_and_saves_nothing(user):
    response = user.post(
        "/templates", json={"name": "Broken", "body": "line one\nline two\n{% if name %}"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["body"].startswith("Syntax error on line 3:")
    assert user.ok("GET", "/templates")["data"] == []


def test_a_failed_edit_keeps_the_saved_template(user):
    template = user.make_template(name="Keep", body="Hello {{ name }}")

    response = user.put(f"/templates/{template.id}", json={"name": "Keep", "body": "{{ name "})

    assert response.status_code == 422
    assert "Syntax error on line 1" in response.json()["error"]["fields"]["body"]
    assert user.ok("GET", f"/templates/{template.id}")["body"] == "Hello {{ name }}"


def test_template_test_previews_rows_with_tokens_and_cost_per_record(user):
    response = _render(user, "Describe {{ name }} from {{ city }}.", rows=2)

    result = response.json()
    assert [preview["row_index"] for preview in result["previews"]] == [0, 1]
    first = result["previews"][0]
    assert first["prompt"] == "Describe ada lovelace from London Town."
    assert first["seed_row"]["card"] == "4111111111111111"
    assert first["cost_usd"] == round(first["tokens"] * 0.002 / 1000, 9)
    assert result["tokens_per_record"] == round(
        sum(preview["tokens"] for preview in result["previews"]) / 2
    )
    assert result["cost_per_record_usd"] == round(result["tokens_per_record"] * 0.002 / 1000, 9)


def test_template_test_uses_the_saved_body_when_none_is_sent(user):
    template = user.make_template(body="Saved {{ name }}")
    seed = user.make_seed()

    result = user.ok("POST", f"/templates/{template.id}/test", json={"seed_id": seed.id})

    assert len(result["previews"]) == 3
    assert result["previews"][0]["prompt"] == "Saved ada lovelace"


def test_template_test_refuses_bad_rows_and_missing_seed(user):
    template = user.make_template()
    seed = user.make_seed()

    too_many = user.post(f"/templates/{template.id}/test", json={"seed_id": seed.id, "rows": 50})
    no_seed = user.post(f"/templates/{template.id}/test", json={"rows": 2})

    assert "rows" in too_many.json()["error"]["fields"]
    assert "seed_id" in no_seed.json()["error"]["fields"]
