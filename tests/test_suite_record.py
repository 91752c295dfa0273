"""scripts/record.py: a fresh account's saved login, and the recorder opened with it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import record

from fixtures.api import PlatformApi
from fixtures.server import PlatformProcess


def test_the_saved_login_signs_a_browser_in_as_the_new_account(
    api_server: PlatformProcess, tmp_path: Path
) -> None:
    state_file = tmp_path / "login.json"
    with PlatformApi(api_server.url) as api:
        email = record.sign_up_and_save_login(api, "low-budget", state_file)
        try:
            (cookie,) = json.loads(state_file.read_text())["cookies"]
            me = httpx.get(
                f"{api_server.url}/api/v1/me",
                headers={"Cookie": f"{cookie['name']}={cookie['value']}"},
            )
            assert me.status_code == 200, me.text
            assert me.json()["email"] == email
            assert me.json()["monthly_budget_usd"] == 0.05
        finally:
            api.delete_account()


def test_codegen_starts_at_the_url_with_the_login_and_writes_pytest_code(tmp_path: Path) -> None:
    state = tmp_path / "login.json"

    command = record.codegen_command("http://127.0.0.1:9/dashboard", state, "firefox")

    assert command[:2] == ["playwright", "codegen"]
    assert command[command.index("--load-storage") + 1] == str(state)
    assert command[command.index("--target") + 1] == "python-pytest"
    assert command[command.index("--browser") + 1] == "firefox"
    assert command[-1] == "http://127.0.0.1:9/dashboard"


def test_a_virtual_display_is_used_only_where_there_is_no_display() -> None:
    assert record.needs_virtual_display({})
    assert not record.needs_virtual_display({"DISPLAY": ":0"})
    assert not record.needs_virtual_display({"WAYLAND_DISPLAY": "wayland-0"})
