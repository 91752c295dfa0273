"""Journeys under load, hybrid: protocol users (Locust) walk the journeys over HTTP and the
WebSocket and make the load, a crowd of WebSocket clients listens, and a few browser users walk
the dataset and observatory journeys and measure what a person sees; what every user felt, and
that nothing was lost, decide pass or fail.

Run with `pytest e2e -m load` (deselected otherwise). Sizes, bounds and thresholds come from
the `load` section of `playwright.config.json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import allure
import pytest

from domain.drafts import TemplateDraft
from fixtures.config import LoadSettings, Project, SuiteConfig
from fixtures.load.platform_data import LoadPlatform
from fixtures.load.plugin import live_printer, show_table
from fixtures.load.report import failure_message, table_lines
from fixtures.load.run import BrowserSetup, run_load
from fixtures.tti.plugin import TtiProbe

pytestmark = [
    pytest.mark.load,
    pytest.mark.desktop,
    pytest.mark.only_browser(
        "chromium",
        reason=(
            "the run measures the platform under load, not a browser engine: one project "
            "(desktop-chromium) is enough, and a second engine would double a long run on "
            "a two-core machine"
        ),
    ),
    allure.epic("Synthetic Data Studio"),
    allure.feature("Journeys under load"),
]


@allure.story("Protocol users, a crowd of live connections and browser users at once")
@allure.severity(allure.severity_level.CRITICAL)
def test_users_under_load_stay_within_the_latency_and_error_thresholds(
    load_platform: LoadPlatform,
    load_settings: LoadSettings,
    suite_config: SuiteConfig,
    project: Project,
    browser_type_launch_args: dict[str, Any],
    connect_options: dict[str, Any] | None,
    tti: TtiProbe,
    seed_file: Callable[[str], Path],
    checkable_template: TemplateDraft,
    pytestconfig: pytest.Config,
) -> None:
    with allure.step(
        f"{load_settings.protocol_users} protocol users and {load_settings.browser_users} "
        f"browser users walk their journeys beside {load_settings.extra_connections} extra "
        "connections"
    ):
        run = run_load(
            load_platform,
            load_settings,
            browsers=BrowserSetup(
                launch_args=browser_type_launch_args,
                context_args=project.context_args(),
                timeouts=suite_config.timeouts,
                recorder=tti.settings,
                connect_options=connect_options,
            ),
            template=checkable_template,
            seed_file=seed_file("people.csv"),
            output_dir=suite_config.output_dir,
            say=live_printer(pytestconfig),
            extra_roles=load_platform.database_roles,
        )

    lines = table_lines(run.report)
    show_table(pytestconfig, [*lines, f"report: {run.report_path}", f"plot: {run.plot_path}"])
    allure.attach(
        json.dumps(run.report, indent=2),
        name="load report",
        attachment_type=allure.attachment_type.JSON,
    )
    allure.attach("\n".join(lines), name="load table", attachment_type=allure.attachment_type.TEXT)
    allure.attach.file(
        str(run.plot_path), name="latency over the run", attachment_type=allure.attachment_type.PNG
    )
    for user in run.users:
        for screen, result in user.tti_results:
            tti.record(
                screen, result, browser="chromium", budget_ms=load_settings.thresholds.tti_ms
            )
        for name, png in user.screenshots:
            allure.attach(png, name=f"{name} failed", attachment_type=allure.attachment_type.PNG)

    if load_settings.browser_users:
        assert run.report["journeys_completed"] > 0, (
            f"no journey was completed by {load_settings.browser_users} browser users"
        )
    if run.misses:
        # pytest.fail rather than assert: the assertion's own explanation would print the
        # whole run, screenshots included, under the message.
        pytest.fail(failure_message(run.misses, report_path=str(run.report_path)), pytrace=False)
