"""The dashboard's data."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PlatformDep, UserDep
from app.services.dashboard import dashboard_data

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard")
def dashboard(platform: PlatformDep, user: UserDep) -> dict:
    """Running jobs, records today, spend against budget, recent jobs and alerts."""
    return dashboard_data(platform, user.id)
