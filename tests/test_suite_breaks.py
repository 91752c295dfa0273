"""scripts/deliberate_breaks.py must keep matching the platform and the journeys it breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from deliberate_breaks import BREAKS, REPO_ROOT, Break, apply


@pytest.mark.parametrize("change", BREAKS, ids=[b.name for b in BREAKS])
def test_each_break_finds_its_text_once_in_the_platform(change: Break) -> None:
    text = (REPO_ROOT / change.path).read_text(encoding="utf-8")

    assert text.count(change.old) == 1, (
        f"{change.path} no longer holds the text {change.name} breaks"
    )


@pytest.mark.parametrize("change", BREAKS, ids=[b.name for b in BREAKS])
def test_each_break_names_journeys_that_exist(change: Break) -> None:
    for test_file in change.tests:
        source = (REPO_ROOT / test_file).read_text(encoding="utf-8")
        assert f"_{change.keyword}" in source or f"{change.keyword}_" in source, (
            f"no test in {test_file} matches -k {change.keyword}"
        )


def test_apply_changes_the_copy_and_refuses_text_that_is_not_there(tmp_path: Path) -> None:
    change = BREAKS[0]
    copy = tmp_path / change.path
    copy.parent.mkdir(parents=True)
    copy.write_text((REPO_ROOT / change.path).read_text(encoding="utf-8"), encoding="utf-8")

    apply(change, tmp_path)

    assert change.new in copy.read_text(encoding="utf-8")
    assert change.old not in copy.read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match="0 times, not once"):
        apply(change, tmp_path)
