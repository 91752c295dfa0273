"""The dashboard page (server-rendered with current figures, then kept live by JS)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.services.dashboard import dashboard_data
from app.web.common import PageUser, platform_of, render

router = APIRouter()


@router.get("/dashboard")
def dashboard(request: Request, user: PageUser):
    data = dashboard_data(platform_of(request), user.id)
    return render(request, "dashboard.html", {"data": data}, user=user)
