"""Breaks of the dashboard area."""

from __future__ import annotations

from breaks import Break, one_edit  # noqa: F401

BREAKS: tuple[Break, ...] = ()
