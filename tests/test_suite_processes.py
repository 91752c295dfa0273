"""The process-tree reader the remote-browser test and the TTI overhead probe rely on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from fixtures.processes import descendants

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads Linux's /proc")

# A parent that starts a grandchild and then waits, so the tree is two levels deep. The
# parent prints its child's pid once the child exists; the test reads it rather than guess.
_PARENT = (
    "import subprocess, sys; "
    "child = subprocess.Popen([sys.executable, '-c', 'import sys; sys.stdin.read()'], "
    "stdin=subprocess.PIPE); "
    "print(child.pid, flush=True); sys.stdin.read(); child.stdin.close(); child.wait()"
)


@pytest.fixture
def two_level_tree() -> Iterator[tuple[int, int]]:
    """(child pid, grandchild pid) below this process, ended when the test is done."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        grandchild = int(parent.stdout.readline())
        yield parent.pid, grandchild
    finally:
        parent.stdin.close()
        parent.wait(timeout=30)


def test_descendants_holds_children_and_grandchildren_with_their_parents(
    two_level_tree: tuple[int, int],
) -> None:
    child, grandchild = two_level_tree

    below = {process.pid: process for process in descendants(os.getpid())}

    assert child in below and grandchild in below, f"missing from {sorted(below)}"
    assert below[child].parent == os.getpid()
    assert below[grandchild].parent == child
    assert below[grandchild].name.startswith("python")


def test_descendants_of_a_process_without_children_is_empty(
    two_level_tree: tuple[int, int],
) -> None:
    _, grandchild = two_level_tree

    assert descendants(grandchild) == []
