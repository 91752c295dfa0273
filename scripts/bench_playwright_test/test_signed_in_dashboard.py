"""This suite's side of scripts/bench_vs_playwright_test.py: the trivial signed-in test of
dashboard.spec.mjs, through the suite's own fixtures (saved login, projects, evidence)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

COUNT = int(os.environ.get("BENCH_TESTS", "30"))


@pytest.mark.parametrize("number", range(COUNT))
def test_signed_in_dashboard(signed_in_page: Page, number: int) -> None:
    signed_in_page.goto("/dashboard")
    expect(signed_in_page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
