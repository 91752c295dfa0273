"""pytest plugin for scripts/deliberate_breaks.py: run the tests that noticed earlier breaks first.

Ordering, not selection: every test of the selection still runs when none fails, so a break's
verdict is the same in any order. Under `-x` the order only decides how soon a noticed break
stops the run, and the tests that noticed one break of an area usually notice its neighbours.
The file named by `BREAKS_RUN_FIRST` lists test ids (`e2e/test_x.py::test_y[project]`), one
a line, most useful first; xdist workers read the same file, so they agree on the order.

Under xdist, `-x` stops only the worker whose test failed: the others first run every test
already queued to them (a chunk of the selection each), which costs a break a minute or more.
A worker whose test fails therefore leaves a file named by `BREAKS_STOP_FILE`, and every
worker stops after its current test once the file is there, as `-x` does in a serial run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ORDER_FILE_VARIABLE = "BREAKS_RUN_FIRST"
STOP_FILE_VARIABLE = "BREAKS_STOP_FILE"


def front_first(items: list, first: list[str]) -> list:
    """`items` with those whose node id is in `first` moved to the front, in `first`'s order."""
    rank = {node_id: index for index, node_id in enumerate(first)}
    ahead = sorted((item for item in items if item.nodeid in rank), key=lambda i: rank[i.nodeid])
    return ahead + [item for item in items if item.nodeid not in rank]


def spread_over_workers(ordered: list, ahead: int, workers: int) -> list:
    """`ordered`, whose first `ahead` items come first, rearranged so that xdist's load
    scheduler hands them out in turn: item 0 to the first worker, 1 to the second, and so on.

    The scheduler first sends each worker a consecutive chunk of the collection (a quarter of
    its share, at least two: xdist's `LoadScheduling.schedule`), so without this every early
    item would queue on the first worker while the second ran tests nobody asked for first.
    """
    if workers < 2 or len(ordered) < 2 * workers:
        return ordered
    chunk = max(len(ordered) // workers // 4, 2)
    early, rest = ordered[: min(ahead, workers * chunk)], iter(ordered[min(ahead, workers * chunk) :])
    lanes = [early[lane::workers] for lane in range(workers)]
    spread = []
    for lane in lanes:
        spread += lane
        spread += [item for _, item in zip(range(chunk - len(lane)), rest)]
    return spread + list(rest)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    path = os.environ.get(ORDER_FILE_VARIABLE)
    if path and Path(path).exists():
        first = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
        ordered = front_first(items, first)
        wanted = set(first)
        ahead = sum(item.nodeid in wanted for item in items)
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        items[:] = spread_over_workers(ordered, ahead, workers)


def _stop_file() -> Path | None:
    path = os.environ.get(STOP_FILE_VARIABLE)
    return Path(path) if path else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    stop = _stop_file()
    if stop is not None and report.failed:
        stop.write_text(f"{report.nodeid}\n", encoding="utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    yield
    stop = _stop_file()
    if stop is not None and stop.exists() and not item.session.shouldstop:
        item.session.shouldstop = f"a test failed: {stop.read_text(encoding='utf-8').strip()}"
