"""Every input rule of the API by class: each class, each boundary and one past it is either
refused (422 or 409/413 naming the field with its message, and nothing stored changes) or
accepted and then stored and used exactly as the rule says. The cases are the versioned
`fixtures/data/v1/bad/input_classes.json`; e2e/test_bad_input.py types the form classes."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from fixtures.data import bad_seed_path
from flows.bad_input import concrete
from tests.conftest import PASSWORD, ApiClient, live_socket

CLASSES: dict[str, Any] = json.loads(
    bad_seed_path("input_classes.json").read_text(encoding="utf-8")
)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


class Findings:
    """Collects every case that went wrong, so one run reports all of them at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, condition: bool, message: str) -> None:
        """Note `message` when `condition` does not hold."""
        if not condition:
            self.problems.append(message)

    def refused(
        self, response: httpx.Response, case: str, errors: dict[str, str], status: int = 422
    ) -> None:
        """`response` refuses with `status` and names each field of `errors` with its message."""
        if response.status_code != status:
            self.problems.append(
                f"{case}: answered {response.status_code}, expected {status} {errors}"
            )
            return
        fields = response.json()["error"].get("fields", {})
        for field, message in errors.items():
            self.check(
                fields.get(field, "").startswith(message),
                f"{case}: field {field!r} says {fields.get(field)!r}; expected {message!r}",
            )

    def accepted(self, response: httpx.Response, case: str, status: int = 201) -> dict:
        """`response` accepts with `status`; its JSON (or {} when refused)."""
        if response.status_code != status:
            self.problems.append(f"{case}: answered {response.status_code} {response.text[:300]}")
            return {}
        return response.json()

    def assert_none(self, rule: str) -> None:
        """Fail with every problem found for `rule`."""
        assert not self.problems, f"{rule}:\n  " + "\n  ".join(self.problems)


@contextmanager
def findings(rule: str) -> Iterator[Findings]:
    found = Findings()
    yield found
    found.assert_none(rule)


# --- accounts -----------------------------------------------------------------------------


def _signup_body(case: dict, valid: dict, tag: str) -> dict:
    return {field: concrete(case.get(field, valid[field]), tag=tag) for field in valid}


def test_signup_refuses_each_bad_class_and_stores_nothing(make_client):
    classes = CLASSES["signup"]
    anonymous = make_client(signed_in=False)
    with findings("sign-up refusals") as found:
        for case in classes["api"]["refused"] + classes["form"]["refused"]:
            tag = _tag()
            body = _signup_body(case, classes["valid"], tag)
            found.refused(anonymous.post("/auth/signup", json=body), case["id"], case["errors"])
            # Nothing was stored: the same email (when valid) still signs up.
            if "email" not in case["errors"]:
                good = {**concrete(classes["valid"], tag=tag), "email": body["email"]}
                again = anonymous.post("/auth/signup", json=good)
                found.check(
                    again.status_code == 201,
                    f"{case['id']}: a refused sign-up stored "
                    f"{body['email']!r} (signing up again answered {again.status_code})",
                )


def test_signup_accepts_each_boundary_and_stores_it_as_the_rule_says(make_client):
    classes = CLASSES["signup"]
    with findings("sign-up boundaries") as found:
        for case in classes["api"]["accepted"]:
            tag = _tag()
            body = _signup_body(case, classes["valid"], tag)
            stored = {**body, **concrete(case.get("stored", {}), tag=tag)}
            client = make_client(signed_in=False)
            created = found.accepted(client.post("/auth/signup", json=body), case["id"])
            if not created:
                continue
            for field in ("email", "display_name"):
                found.check(
                    created[field] == stored[field],
                    f"{case['id']}: {field} stored as {created[field]!r}; expected "
                    f"{stored[field]!r}",
                )
            # The password is used exactly as typed: with it the login works, trimmed it does not.
            login = client.post(
                "/auth/login", json={"email": stored["email"], "password": body["password"]}
            )
            found.check(login.status_code == 200, f"{case['id']}: cannot log in as signed up")
            if body["password"].strip() != body["password"]:
                trimmed = client.post(
                    "/auth/login",
                    json={"email": stored["email"], "password": body["password"].strip()},
                )
                found.check(
                    trimmed.status_code == 401,
                    f"{case['id']}: the password trimmed of its spaces also logs in",
                )


def test_email_is_one_account_whatever_its_case_and_spaces(make_client):
    tag = _tag()
    anonymous = make_client(signed_in=False)
    first = {"email": f"Grace.{tag}@Example.COM", "password": PASSWORD, "display_name": "Grace"}
    assert anonymous.post("/auth/signup", json=first).status_code == 201

    twin = anonymous.post("/auth/signup", json={**first, "email": f"  grace.{tag}@example.com "})
    login = anonymous.post(
        "/auth/login", json={"email": f" GRACE.{tag}@EXAMPLE.com", "password": PASSWORD}
    )

    assert twin.status_code == 409, f"the email in another case made a second account: {twin.text}"
    assert twin.json()["error"]["fields"]["email"] == "An account with this email already exists."
    assert login.status_code == 200, "logging in with the email in another case is refused"
    assert login.json()["email"] == f"grace.{tag}@example.com"


def _form_login(base_url: str, email: str, next_path: str) -> str:
    """Log in through the HTML form with `next`; the address the browser is sent to."""
    with httpx.Client(base_url=base_url, timeout=20) as pages:
        token = re.search(r'name="csrf_token" value="([^"]+)"', pages.get("/login").text).group(1)
        answer = pages.post(
            "/login",
            data={"email": email, "password": PASSWORD, "next": next_path, "csrf_token": token},
        )
    assert answer.status_code == 303, f"logging in answered {answer.status_code}"
    return answer.headers["location"]


def test_login_follows_only_local_next_paths(user: ApiClient):
    classes = CLASSES["login_next"]
    with findings("the login's next") as found:
        for next_path in classes["followed"]:
            target = _form_login(user.base_url, user.email, next_path)
            found.check(target == next_path, f"next={next_path!r} sent to {target!r}")
        for next_path in classes["refused"]:
            target = _form_login(user.base_url, user.email, next_path)
            found.check(
                target == classes["fallback"],
                f"next={next_path!r} sent to {target!r}; expected {classes['fallback']!r}",
            )


def test_monthly_budget_refuses_each_bad_class_and_stores_cents(user: ApiClient):
    classes = CLASSES["monthly_budget"]
    with findings("the monthly budget") as found:
        before = user.get("/me").json()["monthly_budget_usd"]
        for case in classes["refused"]:
            response = user.patch("/me", json={"monthly_budget_usd": case["value"]})
            found.refused(response, case["id"], {"monthly_budget_usd": case["message"]})
            now = user.get("/me").json()["monthly_budget_usd"]
            found.check(now == before, f"{case['id']}: refused, yet the budget became {now}")
        for non_number in ("ten", float("nan"), float("inf")):
            response = user.patch(
                "/me",
                content=json.dumps({"monthly_budget_usd": non_number}),
                headers={"Content-Type": "application/json"},
            )
            found.refused(response, f"value {non_number!r}", {"monthly_budget_usd": ""})
        for case in classes["accepted"]:
            answer = found.accepted(
                user.patch("/me", json={"monthly_budget_usd": case["value"]}), case["id"], 200
            )
            shown = user.get("/dashboard").json()["monthly_budget_usd"]
            found.check(
                answer.get("monthly_budget_usd") == case["stored"] == shown,
                f"{case['id']}: {case['value']} stored as {answer.get('monthly_budget_usd')}, "
                f"dashboard {shown}; expected {case['stored']}",
            )


# --- templates and seeds -------------------------------------------------------------------


def test_templates_refuse_each_bad_class_and_keep_what_was_saved(user: ApiClient):
    classes = CLASSES["template"]["api"]
    saved = user.make_template(name="Kept", body="Hello {{ name }}")
    with findings("template name and body") as found:
        for case in classes["refused"]:
            body = {"name": "Fine name", "body": "Hi {{ name }}", **concrete(case, tag=_tag())}
            payload = {"name": body["name"], "body": body["body"]}
            found.refused(
                user.post("/templates", json=payload), f"create {case['id']}", case["errors"]
            )
            found.refused(
                user.put(f"/templates/{saved.id}", json=payload),
                f"update {case['id']}",
                case["errors"],
            )
        current = user.get(f"/templates/{saved.id}").json()
        found.check(
            (current["name"], current["body"]) == ("Kept", "Hello {{ name }}"),
            f"refused updates changed the template to {current['name']!r} / {current['body']!r}",
        )
        listed = [t["id"] for t in user.get("/templates").json()["data"]]
        found.check(listed == [saved.id], f"refused creations stored templates: {listed}")
        for case in classes["accepted"]:
            typed = {"name": "Fine name", "body": "Hi {{ name }}", **concrete(case, tag=_tag())}
            stored = {**typed, **typed.get("stored", {})}
            made = found.accepted(
                user.post("/templates", json={"name": typed["name"], "body": typed["body"]}),
                case["id"],
            )
            for field in ("name", "body") if made else ():
                found.check(
                    made[field] == stored[field], f"{case['id']}: {field} stored as {made[field]!r}"
                )


def test_template_test_rows_refuse_outside_1_to_20_and_preview_exactly_that_many(
    user: ApiClient,
):
    classes = CLASSES["template"]["api"]
    rows = [{"name": f"Person {n}", "city": "Town"} for n in range(25)]
    content = "name,city\n" + "".join(f"{r['name']},{r['city']}\n" for r in rows)
    seed = user.make_seed(content)
    template = user.make_template()
    with findings("template test rows") as found:
        for case in classes["rows_refused"]:
            response = user.post(
                f"/templates/{template.id}/test", json={"seed_id": seed.id, **case}
            )
            found.refused(response, f"rows={case['rows']}", {"rows": "Rows must be between"})
        for case in classes["rows_accepted"]:
            answer = found.accepted(
                user.post(
                    f"/templates/{template.id}/test",
                    json={"seed_id": seed.id, "rows": case["rows"]},
                ),
                f"rows={case['rows']}",
                200,
            )
            previews = answer.get("previews", [])
            found.check(
                [p["row_index"] for p in previews] == list(range(case["previews"])),
                f"rows={case['rows']} previewed rows {[p['row_index'] for p in previews]}",
            )


def test_seed_uploads_refuse_each_bad_class_and_store_each_boundary(user: ApiClient):
    classes = CLASSES["seed"]
    earlier = user.make_seed()
    with findings("seed files") as found:
        for case in classes["refused"]:
            content = concrete(case["content"], tag="").encode()
            response = user.post("/seeds", files={"file": (case["filename"], content)})
            found.refused(
                response, case["id"], {"file": case["message"]}, status=case.get("status", 422)
            )
        listed = [seed["id"] for seed in user.get("/seeds").json()["data"]]
        found.check(listed == [earlier.id], f"refused uploads stored seeds: {listed}")
        for case in classes["accepted"]:
            content = concrete(case["content"], tag="").encode()
            made = found.accepted(
                user.post("/seeds", files={"file": (case["filename"], content)}), case["id"]
            )
            if made:
                got = (made["rows"], made["columns"], made["name"])
                want = (case["rows"], case["columns"], case["filename"])
                found.check(got == want, f"{case['id']}: stored {got}; expected {want}")


# --- jobs ----------------------------------------------------------------------------------


def test_jobs_refuse_each_bad_class_and_create_nothing(user: ApiClient):
    template, seed = user.make_template(), user.make_seed()
    valid = {
        "template_id": template.id,
        "seed_id": seed.id,
        "records": 5,
        "budget_usd": 1,
        "format": "jsonl",
        "records_per_second": 0,
    }
    with findings("job fields") as found:
        for case in CLASSES["job"]["api"]["refused"]:
            body = {**valid, **{k: v for k, v in case.items() if k not in ("id", "errors")}}
            found.refused(user.post("/jobs", json=body), case["id"], case["errors"])
        listed = user.get("/jobs").json()["data"]
        found.check(listed == [], f"refused bodies created jobs {[j['id'] for j in listed]}")


def test_jobs_on_each_boundary_are_stored_as_sent(user: ApiClient):
    template, seed = user.make_template(), user.make_seed()
    with findings("job boundaries") as found:
        for case in CLASSES["job"]["api"]["accepted"]:
            fields = ("records", "budget_usd", "records_per_second", "format")
            body = {
                "template_id": template.id,
                "seed_id": seed.id,
                **{key: case[key] for key in fields},
            }
            job = found.accepted(user.post("/jobs", json=body), case["id"])
            if not job:
                continue
            if case.get("cancel"):
                user.post(f"/jobs/{job['id']}/cancel")
            got = (
                job["records_total"],
                job["budget_usd"],
                job["records_per_second"],
                job["format"],
            )
            want = tuple(case[key] for key in fields)
            found.check(got == want, f"{case['id']}: stored {got}; expected {want}")
            if not case.get("cancel"):
                # Left to finish, the job makes exactly the records asked for.
                with live_socket(user) as socket:
                    done = socket.wait_for_job(user, job["id"])
                records = user.export_records(job["id"])
                found.check(
                    (done.status, done.records_done, len(records))
                    == ("completed", case["records"], case["records"]),
                    f"{case['id']}: ended {done.status} with {done.records_done} done and "
                    f"{len(records)} exported; expected {case['records']}",
                )


# --- observatory ---------------------------------------------------------------------------


def test_ecosystems_refuse_each_bad_class_and_store_names_trimmed(user: ApiClient):
    classes = CLASSES["ecosystem"]["api"]
    kept = user.ok("POST", "/ecosystems", json={"name": "Kept", "visibility": "private"})
    with findings("ecosystem name and visibility") as found:
        for case in classes["refused"]:
            body = {"name": "Fine", "visibility": "private", **concrete(case, tag=_tag())}
            payload = {"name": body["name"], "visibility": body["visibility"]}
            found.refused(
                user.post("/ecosystems", json=payload), f"create {case['id']}", case["errors"]
            )
            found.refused(
                user.patch(f"/ecosystems/{kept['id']}", json=payload),
                f"change {case['id']}",
                case["errors"],
            )
        current = user.get(f"/ecosystems/{kept['id']}").json()
        found.check(
            (current["name"], current["visibility"]) == ("Kept", "private"),
            f"refused changes made the ecosystem {current}",
        )
        mine = [
            e["id"]
            for e in user.get("/ecosystems").json()["data"]
            if e["owner_id"] == kept["owner_id"]
        ]
        found.check(mine == [kept["id"]], f"refused creations stored ecosystems: {mine}")
        for case in classes["accepted"]:
            typed = {"name": "Fine", **concrete(case, tag=_tag())}
            stored = {**typed, **typed.get("stored", {})}
            made = found.accepted(
                user.post("/ecosystems", json={"name": typed["name"]}), case["id"]
            )
            if made:
                found.check(
                    made["name"] == stored["name"], f"{case['id']}: name stored as {made['name']!r}"
                )


def _characters(user: ApiClient, ecosystem_id: int) -> list[dict]:
    return user.get(f"/ecosystems/{ecosystem_id}/characters").json()["data"]


def test_characters_refuse_each_bad_class_and_store_traits_split_and_trimmed(user: ApiClient):
    classes = CLASSES["character"]["api"]
    ecosystem = user.ok("POST", "/ecosystems", json={"name": "Roster", "visibility": "private"})
    path = f"/ecosystems/{ecosystem['id']}/characters"
    valid: dict[str, Any] = {"name": "Ada", "species": "elf", "traits": ["kind"]}
    with findings("character fields") as found:
        for case in classes["refused"]:
            typed = {**valid, **concrete(case, tag=_tag())}
            body = {key: typed[key] for key in valid}
            found.refused(user.post(path, json=body), case["id"], case["errors"])
        bulk = classes["bulk_one_bad"]
        batch: list[dict[str, Any]] = [{**valid, "name": f"Good {n}"} for n in range(bulk["good"])]
        batch.insert(bulk["bad_position"], {**valid, "name": " "})
        found.refused(
            user.post(path, json={"characters": batch}),
            "a batch with one nameless character",
            {bulk["error_field"]: "Enter the character's name."},
        )
        found.check(
            _characters(user, ecosystem["id"]) == [],
            "refused characters were stored (a batch is all or nothing)",
        )
        for case in classes["accepted"]:
            typed = {**valid, **concrete(case, tag=_tag())}
            body = {key: typed[key] for key in valid}
            stored = {**body, **typed.get("stored", {})}
            made = found.accepted(user.post(path, json=body), case["id"])
            if made:
                got = {key: made[key] for key in valid}
                found.check(got == stored, f"{case['id']}: stored {got}; expected {stored}")
        listed = [{key: c[key] for key in valid} for c in _characters(user, ecosystem["id"])]
        found.check(
            len(listed) == len(classes["accepted"]),
            f"the roster holds {len(listed)} characters; expected {len(classes['accepted'])}",
        )
