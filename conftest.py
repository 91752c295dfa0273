"""Root configuration: registers the suite's plugins (one module per concern, see docs/fixtures.md)."""

import pytest

# The imports below load the plugins' modules before pytest registers them; asked first, pytest
# still rewrites their asserts, as it does for every plugin it loads itself.
pytest.register_assert_rewrite("fixtures")

pytest_plugins = [
    "pytester",
    "fixtures.config",
    "fixtures.retries",
    "fixtures.reporting",
    "fixtures.browsers",
    "fixtures.platform",
    "fixtures.tti.plugin",
    "fixtures.accounts",
    "fixtures.data",
    "fixtures.remote",
    "fixtures.load.plugin",
    "fixtures.visual.plugin",
]

# The suite's only overrides of pytest-playwright's fixtures. Defined in a conftest, they win
# over every plugin's fixture of the same name whatever the registration order.
from fixtures.playwright_integration import (  # noqa: E402, F401
    base_url,
    browser,
    browser_context_args,
    browser_type_launch_args,
    connect_options,
    new_context,
)
