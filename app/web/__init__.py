"""Server-rendered pages."""

from fastapi import APIRouter

from app.web import auth, dashboard, jobs, observatory, seeds, templates

router = APIRouter(include_in_schema=False)
for module in (auth, dashboard, templates, seeds, jobs, observatory):
    router.include_router(module.router)
