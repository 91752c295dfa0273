"""The JSON API under /api/v1."""

from fastapi import APIRouter

from app.api import auth, dashboard, ecosystems, jobs, seeds, templates

router = APIRouter(prefix="/api/v1")
for module in (auth, templates, seeds, jobs, dashboard, ecosystems):
    router.include_router(module.router)
