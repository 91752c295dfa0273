"""The observatory: ecosystems, characters, visibility, and the live simulation feed."""

from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import ApiClient, live_socket

CAST = [
    {"name": "Ada", "species": "owl", "traits": ["wise", "calm"]},
    {"name": "Bob", "species": "fox", "traits": ["quick"]},
    {"name": "Cyd", "species": "bear", "traits": []},
]


def _ecosystem(user: ApiClient, *, visibility: str = "private", cast=CAST) -> dict:
    ecosystem = user.ok("POST", "/ecosystems", json={"name": "Meadow", "visibility": visibility})
    if cast:
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/characters", json={"characters": cast})
    return ecosystem


def _is_interaction_of(ecosystem_id: int):
    return lambda m: m["type"] == "interaction" and m["payload"]["ecosystem_id"] == ecosystem_id


def test_ecosystem_holds_characters_added_one_by_one_or_in_bulk(user):
    ecosystem = _ecosystem(user, cast=None)
    single = user.ok(
        "POST",
        f"/ecosystems/{ecosystem['id']}/characters",
        json={"name": "Ada", "species": "owl", "traits": ["wise"]},
    )
    bulk = user.post(
        f"/ecosystems/{ecosystem['id']}/characters",
        json={"characters": [{"name": f"C{i}", "species": "ant"} for i in range(120)]},
    )

    assert single["energy"] == 80
    assert single["traits"] == ["wise"]
    assert bulk.status_code == 201
    assert len(bulk.json()["data"]) == 120
    assert user.ok("GET", f"/ecosystems/{ecosystem['id']}")["character_count"] == 121
    second_page = user.ok("GET", f"/ecosystems/{ecosystem['id']}/characters", params={"page": 2})
    assert second_page["meta"]["pagination"] == {
        "page": 2,
        "per_page": 50,
        "total": 121,
        "pages": 3,
    }
    assert second_page["data"][0]["name"] == "C49"


def test_bad_characters_and_ecosystems_are_refused_with_field_messages(user):
    ecosystem = _ecosystem(user, cast=None)
    nameless = user.post(
        f"/ecosystems/{ecosystem['id']}/characters", json={"name": "", "species": "owl"}
    )
    too_many = user.post(
        f"/ecosystems/{ecosystem['id']}/characters",
        json={"characters": [{"name": "x", "species": "y"}] * 1001},
    )
    bad_visibility = user.post("/ecosystems", json={"name": "X", "visibility": "secret"})

    assert nameless.status_code == 422
    assert "name" in nameless.json()["error"]["fields"]
    assert too_many.status_code == 422
    assert bad_visibility.json()["error"]["fields"]["visibility"] == "Choose Private or Public."
    assert user.ok("GET", f"/ecosystems/{ecosystem['id']}")["character_count"] == 0


def test_public_ecosystem_is_readable_by_others_but_only_the_owner_changes_it(user, other_user):
    ecosystem = _ecosystem(user, visibility="public")

    seen = other_user.ok("GET", f"/ecosystems/{ecosystem['id']}")
    listed = [item["id"] for item in other_user.ok("GET", "/ecosystems")["data"]]
    change = other_user.patch(f"/ecosystems/{ecosystem['id']}", json={"name": "Mine"})
    add = other_user.post(
        f"/ecosystems/{ecosystem['id']}/characters", json={"name": "Eve", "species": "cat"}
    )

    assert seen["owner_name"] == "Ada"
    assert seen["character_count"] == 3
    assert ecosystem["id"] in listed
    assert change.status_code == 403
    assert change.json()["error"]["code"] == "forbidden"
    assert add.status_code == 403
    assert user.ok("GET", f"/ecosystems/{ecosystem['id']}")["name"] == "Meadow"


def test_private_ecosystem_is_invisible_to_others(user, other_user):
    ecosystem = _ecosystem(user)

    assert other_user.get(f"/ecosystems/{ecosystem['id']}").status_code == 404
    with live_socket(other_user) as socket:
        socket.send({"subscribe": f"ecosystem:{ecosystem['id']}"})
        reply = socket.next_message(lambda m: m["type"] in ("subscribed", "error"))
    assert reply["type"] == "error"


def test_running_simulation_records_interactions_that_change_stats(user):
    ecosystem = _ecosystem(user)
    with live_socket(user) as socket:
        socket.send({"subscribe": f"ecosystem:{ecosystem['id']}"})
        socket.next_message(lambda m: m["type"] == "subscribed")
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": True})
        interaction = socket.next_message(_is_interaction_of(ecosystem["id"]))["payload"]
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": False})

    verbs = {"greet": "greeted", "trade": "traded with", "duel": "dueled", "ally": "allied with"}
    actor, target = interaction["actor"], interaction["target"]
    assert (
        interaction["summary"] == f"{actor['name']} {verbs[interaction['kind']]} {target['name']}"
    )
    assert actor["id"] != target["id"]
    assert 0 <= actor["energy"] <= 100
    stored = user.ok("GET", f"/ecosystems/{ecosystem['id']}/interactions")["data"]
    assert interaction["id"] in [item["id"] for item in stored]
    roster = {
        c["id"]: c for c in user.ok("GET", f"/ecosystems/{ecosystem['id']}/characters")["data"]
    }
    assert (roster[actor["id"]]["energy"], roster[actor["id"]]["reputation"]) != (80, 0) or (
        roster[target["id"]]["energy"],
        roster[target["id"]]["reputation"],
    ) != (80, 0)
    assert user.ok("GET", f"/ecosystems/{ecosystem['id']}")["running"] is False


def test_two_viewers_of_a_public_ecosystem_receive_the_same_interactions(user, other_user):
    ecosystem = _ecosystem(user, visibility="public")
    topic = f"ecosystem:{ecosystem['id']}"
    with live_socket(user) as owner_socket, live_socket(other_user) as viewer_socket:
        for socket in (owner_socket, viewer_socket):
            socket.send({"subscribe": topic})
            socket.next_message(lambda m: m["type"] == "subscribed")
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": True})
        owner_seen = [
            owner_socket.next_message(_is_interaction_of(ecosystem["id"]))["payload"]
            for _ in range(2)
        ]
        viewer_seen = [
            viewer_socket.next_message(_is_interaction_of(ecosystem["id"]))["payload"]
            for _ in range(2)
        ]
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": False})

    assert owner_seen == viewer_seen


def test_two_sockets_of_one_user_receive_the_same_interactions(user):
    ecosystem = _ecosystem(user)
    topic = f"ecosystem:{ecosystem['id']}"
    with live_socket(user) as first, live_socket(user) as second:
        for socket in (first, second):
            socket.send({"subscribe": topic})
            socket.next_message(lambda m: m["type"] == "subscribed")
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": True})
        from_first = first.next_message(_is_interaction_of(ecosystem["id"]))["payload"]
        from_second = second.next_message(_is_interaction_of(ecosystem["id"]))["payload"]
        first.send({"unsubscribe": topic})
        first.next_message(lambda m: m["type"] == "unsubscribed")
        user.ok("POST", f"/ecosystems/{ecosystem['id']}/simulation", json={"running": False})

    assert from_first == from_second


def test_websocket_answers_ping_and_refuses_anonymous_clients(user, api_server):
    with live_socket(user) as socket:
        socket.send({"ping": 7})
        pong = socket.next_message(lambda m: m["type"] == "pong")
    url = api_server.url.replace("http://", "ws://") + "/ws"
    with connect(url, proxy=None) as anonymous, pytest.raises(ConnectionClosed) as closed:
        anonymous.recv(timeout=5)

    assert pong["payload"] == {"ping": 7}
    assert closed.value.rcvd.code == 4401


def test_observatory_page_paginates_a_roster_of_a_thousand(user):
    ecosystem = _ecosystem(user, cast=None)
    characters = [{"name": f"Critter {i}", "species": "ant"} for i in range(1000)]
    user.ok("POST", f"/ecosystems/{ecosystem['id']}/characters", json={"characters": characters})
    pages = httpx.Client(base_url=user.base_url, cookies=user.http.cookies)

    page_three = pages.get(f"/observatory/{ecosystem['id']}", params={"page": 3})

    assert page_three.status_code == 200
    assert page_three.text.count("data-character-id=") == 50
    assert "Page 3 of 20" in page_three.text
    assert "Critter 100<" in page_three.text
    assert 'data-testid="character-count">1000<' in page_three.text
