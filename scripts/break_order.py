"""pytest plugin for scripts/deliberate_breaks.py: run the tests that noticed earlier breaks first.

Ordering, not selection: every test of the selection still runs when none fails, so a break's
verdict is the same in any order. Under `-x` the order only decides how soon a noticed break
stops the run, and the tests that noticed one break of an area usually notice its neighbours.
The file named by `BREAKS_RUN_FIRST` lists test ids (`e2e/test_x.py::test_y[project]`), one
a line, most useful first; xdist workers read the same file, so they agree on the order.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ORDER_FILE_VARIABLE = "BREAKS_RUN_FIRST"


def front_first(items: list, first: list[str]) -> list:
    """`items` with those whose node id is in `first` moved to the front, in `first`'s order."""
    rank = {node_id: index for index, node_id in enumerate(first)}
    ahead = sorted((item for item in items if item.nodeid in rank), key=lambda i: rank[i.nodeid])
    return ahead + [item for item in items if item.nodeid not in rank]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    path = os.environ.get(ORDER_FILE_VARIABLE)
    if path and Path(path).exists():
        first = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
        items[:] = front_first(items, first)
