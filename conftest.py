"""Root configuration: registers the suite's plugins (one module per concern, see docs/fixtures.md)."""

import pytest

pytest_plugins = [
    "pytester",
    "fixtures.config",
    "fixtures.reporting",
    "fixtures.browsers",
    # After fixtures.browsers: its `new_context` wraps the one defined there.
    "fixtures.tti.plugin",
    "fixtures.accounts",
    "fixtures.data",
    "fixtures.remote",
    "fixtures.load.plugin",
]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright registers its own `base_url` fixture only after the conftests are
    # loaded; of two fixtures with one name the later-registered wins, so the platform plugin,
    # whose `base_url` is the platform's URL, is registered here, after it.
    import fixtures.platform

    if not config.pluginmanager.is_registered(fixtures.platform):
        config.pluginmanager.register(fixtures.platform, "fixtures.platform")
