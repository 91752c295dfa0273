"""Every break of every area, in one tuple; names are unique."""

from __future__ import annotations

from importlib import import_module

from breaks import Break

AREAS = ("protections", "jobs", "dashboard", "templates", "seeds", "accounts", "observatory", "looks")


def catalogue() -> tuple[Break, ...]:
    """All breaks, area by area, in the order of AREAS."""
    return tuple(b for area in AREAS for b in import_module(f"breaks.{area}").BREAKS)
