"""Reading a test's outcome from pytest's junitxml, shared by scripts/matrix.py and scripts/flake.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from xml.etree import ElementTree

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


def case_outcome(case: ElementTree.Element) -> str:
    """Passed, failed or skipped; an error (in set-up or teardown) counts as a failure."""
    if case.find("failure") is not None or case.find("error") is not None:
        return FAILED
    if case.find("skipped") is not None:
        return SKIPPED
    return PASSED


def outcomes_by_test(
    cases: Iterable[ElementTree.Element], test_id: Callable[[str, str], str]
) -> dict[str, str]:
    """Each test's outcome, keyed by `test_id(classname, name)`.

    A teardown error is written as a second case under the same name: the worse outcome wins.
    """
    outcomes: dict[str, str] = {}
    for case in cases:
        key = test_id(case.get("classname", ""), case.get("name", ""))
        if outcomes.get(key) != FAILED:
            outcomes[key] = case_outcome(case)
    return outcomes
