"""Remote browsers: a browser server on loopback launches the browsers, and the suite drives them.

Two ways in. A test connects to `playwright run-server` itself and walks a journey in the
browser the server launched. Then a whole pytest run is told about the server only through
`PW_CONNECT_WS_ENDPOINT`, the way a browser grid or a cloud service is used, and every one
of its workers must connect there instead of launching a browser of its own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path

import allure
import pytest
from playwright.sync_api import Browser, Playwright, expect

from domain.drafts import TemplateDraft
from fixtures.accounts import Account, AccountPool
from fixtures.browsers import CONNECT_ENV, apply_timeouts
from fixtures.config import Project, SuiteConfig
from fixtures.processes import descendants
from fixtures.remote import (
    LAUNCH_OPTIONS_HEADER,
    SYSTEM_BROWSERS_ENV,
    BrowserServer,
    remote_launch_options,
)
from fixtures.reporting import PageEvidence
from flows.templates import create_template
from pages.dashboard import DashboardPage
from pages.templates import TemplatesPage

pytestmark = [
    pytest.mark.journey,
    allure.epic("Across browsers and machines"),
    allure.feature("Remote browsers"),
]

#: A worker's result line in pytest's verbose output under xdist: "[gw1] [ 40%] PASSED e2e/...".
WORKER_RESULT = re.compile(r"^\[(gw\d+)\] \[\s*\d+%\] (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) ")
#: Variables the outer run sets for itself, which must not steer the inner run.
OUTER_RUN_VARIABLES = ("PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST", CONNECT_ENV, SYSTEM_BROWSERS_ENV)


def system_browser_name(suite: SuiteConfig, engine: str) -> str:
    """The process name of the config's system browser for `engine` (e.g. `firefox-esr`)."""
    if engine not in suite.browsers:
        pytest.skip(f"{suite.source.name} names no system {engine} for the server to launch")
    return Path(suite.browsers[engine].executable_path).name


def browser_pids(pid: int, name: str) -> set[int]:
    """The browsers called `name` under process `pid`: their main processes only.

    A running browser starts helper processes of the same name whenever it likes (a spare
    renderer, a zygote), so only a process whose parent is not `name` is a new browser.
    """
    below = descendants(pid)
    names = {process.pid: process.name for process in below}
    return {
        process.pid
        for process in below
        if process.name == name and names.get(process.parent) != name
    }


def launched_here(server: BrowserServer, name: str) -> set[int]:
    """The processes called `name` this test process runs itself, not through the server
    (which is its child, so its browsers are this process's descendants too)."""
    return browser_pids(os.getpid(), name) - browser_pids(server.pid, name)


@pytest.fixture
def browser_from_server(
    browser_server: BrowserServer,
    playwright: Playwright,
    browser_name: str,
    suite_config: SuiteConfig,
) -> Generator[Browser, None, None]:
    """A browser the browser server launched, proven to run under the server, not here."""
    name = system_browser_name(suite_config, browser_name)
    launches_before = len(browser_server.launches())
    own_before = launched_here(browser_server, name)

    with allure.step(f"Connect to {browser_server.ws_endpoint} and have it launch {browser_name}"):
        launch = remote_launch_options(browser_name, suite_config)
        browser = getattr(playwright, browser_name).connect(
            browser_server.ws_endpoint, headers={LAUNCH_OPTIONS_HEADER: json.dumps(launch)}
        )
    try:
        with allure.step(f"The server launched {name}; this test process launched none"):
            assert browser_server.launches()[launches_before:] == [browser_name]
            assert name in {process.name for process in browser_server.processes()}, (
                f"no {name} process runs under the browser server (pid {browser_server.pid})"
            )
            # This worker may still hold the local browser earlier tests launched: only a
            # new one would mean the connection launched here.
            assert launched_here(browser_server, name) <= own_before
        yield browser
    finally:
        browser.close()


@allure.story("A journey in a browser launched by the browser server")
def test_journey_runs_in_a_browser_launched_by_the_browser_server(
    browser_from_server: Browser,
    browser_context_args: dict,
    suite_config: SuiteConfig,
    page_evidence: PageEvidence,
    accounts: AccountPool,
    make_account,
    checkable_template: TemplateDraft,
) -> None:
    account: Account = make_account()
    context = browser_from_server.new_context(
        **browser_context_args, storage_state=accounts.ensure_browser_login(account)
    )
    apply_timeouts(context, suite_config.timeouts)
    page_evidence.watch(context)
    page = context.new_page()

    with allure.step("The saved login opens the dashboard signed in"):
        dashboard = DashboardPage(page).open().expect_loaded()
        expect(dashboard.navigation.current_user).to_have_text(account.display_name)
    editor = create_template(page, checkable_template)
    with allure.step("The template is listed on the templates screen"):
        templates = editor.navigation.go_to(TemplatesPage)
        templates.expect_loaded()
        expect(
            templates.table.root.get_by_role("link", name=checkable_template.name, exact=True)
        ).to_be_visible()
    context.close()


# One desktop project per engine covers the configuration path: screen size plays no part.
@pytest.mark.desktop
# A whole pytest run of its own: two workers, each with its platform and browser.
@pytest.mark.timeout(300)
@allure.story("A suite run pointed at the browser server by PW_CONNECT_WS_ENDPOINT")
def test_every_worker_connects_to_the_endpoint_given_in_the_environment(
    browser_server: BrowserServer,
    browser_name: str,
    project: Project,
    pytestconfig: pytest.Config,
    tmp_path: Path,
) -> None:
    launches_before = len(browser_server.launches())
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in OUTER_RUN_VARIABLES and not name.startswith("PYTEST_XDIST")
    }
    environment |= {CONNECT_ENV: browser_server.ws_endpoint, SYSTEM_BROWSERS_ENV: "1"}
    command = [
        sys.executable, "-m", "pytest", "e2e", "-m", "smoke", "--project", project.name,
        "--ignore", str(Path(__file__).relative_to(pytestconfig.rootpath)),
        "-n", "2", "-v", "-p", "no:cacheprovider",
        "--output", str(tmp_path / "test-results"),
        "--alluredir", str(tmp_path / "allure-results"),
    ]  # fmt: skip

    with allure.step(f"Run the smoke journeys of {project.name} with {CONNECT_ENV} set"):
        run = subprocess.run(
            command,
            check=False,
            cwd=pytestconfig.rootpath,
            env=environment,
            capture_output=True,
            text=True,
            timeout=280,
        )
    output = run.stdout + run.stderr
    allure.attach(
        output, name="The inner run's output", attachment_type=allure.attachment_type.TEXT
    )

    with allure.step("Every journey passed"):
        assert run.returncode == 0, f"the inner run failed ({run.returncode}):\n{output[-4000:]}"
        outcomes = [
            match.groups() for line in output.splitlines() if (match := WORKER_RESULT.match(line))
        ]
        assert outcomes, f"the inner run reported no test results:\n{output[-4000:]}"
        assert {outcome for _, outcome in outcomes} == {"PASSED"}
    with allure.step("Each worker that ran tests had the server launch its browser"):
        workers = {worker for worker, _ in outcomes}
        assert browser_server.launches()[launches_before:] == [browser_name] * len(workers)
