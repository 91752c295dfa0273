"""Record a new journey from a signed-in screen: a fresh account, its saved login and Playwright's
recorder opened at a path of the platform.

    python scripts/record.py /dashboard
    python scripts/record.py /templates --profile low-budget --browser firefox
    python scripts/record.py /dashboard --base-url https://staging.example

Starts the embedded platform (unless `--base-url` names a deployment), signs up a fresh account
of the profile through the API and saves its login as Playwright storage state. Then, where
Playwright's own build of the browser is installed, it runs `playwright codegen` with that login
and the `python-pytest` target; otherwise (the Debian browsers of this suite) it opens the
system browser headed with that login and calls `page.pause()`, which opens the same recorder
in the Playwright Inspector (press Record, act, copy the code). Without a display it runs
under `xvfb-run` (Debian's `xvfb`), for a display forwarded or shared from there. The account
is deleted when the recorder is closed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.accounts import load_profiles, new_user_profile, storage_state_for
from fixtures.api import PlatformApi
from fixtures.browsers import system_browser_launch_args
from fixtures.server import PlatformProcess
from fixtures.settings import CONFIG_FILE_NAME, playwright_catalogue, read_config

CODEGEN_TARGET = "python-pytest"


def needs_virtual_display(environ: Mapping[str, str]) -> bool:
    """Whether a headed browser has no display to open on here."""
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def codegen_command(url: str, storage_state: Path, browser: str) -> list[str]:
    """`playwright codegen` at `url`, signed in with `storage_state`, writing pytest code."""
    return [
        "playwright", "codegen", "--browser", browser, "--target", CODEGEN_TARGET,
        "--load-storage", str(storage_state), url,
    ]  # fmt: skip


def sign_up_and_save_login(api: PlatformApi, profile: str, state_file: Path) -> str:
    """Sign up a fresh account of `profile`, save its login as storage state; its email."""
    user = new_user_profile(profile, worker="record")
    api.signup(user.email, user.password, user.display_name)
    api.login(user.email, user.password)
    api.set_monthly_budget(load_profiles()[profile]["monthly_budget_usd"])
    state_file.write_text(json.dumps(storage_state_for(api), indent=2), encoding="utf-8")
    return user.email


def open_recorder(url: str, storage_state: Path, browser: str) -> None:
    """Playwright's recorder at `url` in the browser, signed in with `storage_state`."""
    if playwright_catalogue().has_own_browser(browser):
        subprocess.run(codegen_command(url, storage_state, browser), check=False)
        return
    from playwright.sync_api import sync_playwright

    suite = read_config(ROOT / CONFIG_FILE_NAME)
    with sync_playwright() as playwright:
        launched = getattr(playwright, browser).launch(
            headless=False, **system_browser_launch_args(browser, suite)
        )
        page = launched.new_context(storage_state=str(storage_state)).new_page()
        page.goto(url)
        page.pause()  # the Inspector: Record, then copy the code (Target: Pytest)
        launched.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/dashboard", help="where to start recording")
    parser.add_argument("--profile", default="standard", choices=sorted(load_profiles()))
    parser.add_argument("--browser", default="chromium", choices=["chromium", "firefox"])
    parser.add_argument("--base-url", default=None, help="a deployment instead of the embedded one")
    args = parser.parse_args(argv)
    if needs_virtual_display(os.environ):
        if not shutil.which("xvfb-run"):
            print("record: no display here; set DISPLAY or install xvfb (apt-get install xvfb)")
            return 2
        # xvfb-run gives the second run a DISPLAY of its own, so it does not come back here.
        return subprocess.call(["xvfb-run", "-a", sys.executable, __file__, *sys.argv[1:]])
    with tempfile.TemporaryDirectory(prefix="record-") as scratch:
        platform = None if args.base_url else PlatformProcess().start()
        base_url = args.base_url or platform.url
        try:
            with PlatformApi(base_url) as api:
                state = Path(scratch) / "login.json"
                email = sign_up_and_save_login(api, args.profile, state)
                print(f"signed in as {email} ({args.profile}) at {base_url}{args.path}", flush=True)
                try:
                    open_recorder(f"{base_url}{args.path}", state, args.browser)
                finally:
                    api.delete_account()
        finally:
            if platform is not None:
                platform.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
