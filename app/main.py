"""Builds the ASGI application: routes, session middleware, error handlers, start-up work."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import api, faults
from app.api import ws
from app.context import Platform
from app.db import Database
from app.errors import AppError
from app.realtime import Hub
from app.security import SessionCodec
from app.sessions import SessionMiddleware
from app.settings import Settings, resolve_secret_key
from app.simulation import SimulationManager
from app.timing import ServerTimingMiddleware
from app.web import router as web_router
from app.web.common import FormExpired, LoginRequired, login_redirect, render_error_page
from app.worker import JobManager

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "web" / "static"
HTTP_TITLES = {
    400: "Bad request",
    401: "Log in required",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Check your input",
    429: "Too many requests",
}


def create_app(settings: Settings) -> FastAPI:
    """The platform as an ASGI app, connected to its database."""
    database = Database(settings.database_url)
    database.create_schema()
    platform = Platform(
        settings=settings,
        db=database,
        codec=SessionCodec(resolve_secret_key(settings, database)),
        hub=Hub(),
    )
    platform.jobs = JobManager(platform)
    platform.simulations = SimulationManager(platform)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        loop = asyncio.get_running_loop()
        platform.hub.bind(loop)
        platform.simulations.bind(loop)
        resumed = await asyncio.to_thread(platform.jobs.resume_all)
        if resumed:
            log.warning("resumed %d unfinished job(s)", resumed)
        platform.simulations.resume_all()
        yield
        await platform.simulations.shutdown()
        await asyncio.to_thread(platform.jobs.shutdown)
        database.dispose()

    app = FastAPI(
        title="Synthetic Data Studio",
        version="1.0.0",
        description="Template-driven synthetic data generation and a live character observatory.",
        lifespan=lifespan,
    )
    app.state.platform = platform
    app.add_middleware(SessionMiddleware, codec=platform.codec)
    if settings.fault_injection:
        log.warning("fault injection is ON (APP_FAULT_INJECTION=1): never use this in production")
        app.add_middleware(faults.DelayMiddleware)
        app.include_router(faults.router)
    # Added last, so outermost: its figure holds everything the platform did, delays included.
    app.add_middleware(ServerTimingMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        """200 once the platform is ready."""
        return {"status": "ok"}

    app.include_router(api.router)
    app.include_router(ws.router)
    app.include_router(web_router)
    _install_error_handlers(app)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    # Sync handlers run in the thread pool, where the HTML error page may read the user.
    @app.exception_handler(AppError)
    def app_error(request: Request, error: AppError):
        if _is_api(request):
            return JSONResponse(error.body(), status_code=error.status, headers=error.headers)
        response = render_error_page(
            request,
            status_code=error.status,
            title=HTTP_TITLES.get(error.status, "Error"),
            message=error.message,
        )
        response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError):
        if not _is_api(request):
            # Only a malformed path or query reaches here for pages (forms default every field).
            return render_error_page(
                request, status_code=404, title="Page not found", message="There is no such page."
            )
        if any(item.get("loc", ("",))[0] == "path" for item in error.errors()):
            # "/jobs/abc" names no job, exactly like an id that does not exist.
            body = {"error": {"code": "not_found", "message": "Not found."}}
            return JSONResponse(body, status_code=404)
        fields = {}
        for item in error.errors():
            location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query")]
            field = ".".join(location) or "body"
            if item.get("type") == "missing":
                fields[field] = "This field is required."
            elif item.get("type") == "json_invalid":
                fields["body"] = "The request body is not valid JSON."
            else:
                fields[field] = str(item.get("msg", "Invalid value.")).removeprefix("Value error, ")
        body = {
            "error": {
                "code": "validation_error",
                "message": next(iter(fields.values()), "The request is not valid."),
                "fields": fields,
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(LoginRequired)
    def login_required(_request: Request, error: LoginRequired):
        return login_redirect(error.next_path)

    @app.exception_handler(FormExpired)
    def form_expired(request: Request, _error: FormExpired):
        return render_error_page(
            request,
            status_code=403,
            title="Form expired",
            message="The form expired. Reload the page and try again.",
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException):
        codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        message = "Not found." if error.status_code == 404 else str(error.detail)
        if _is_api(request):
            code = codes.get(error.status_code, "http_error")
            return JSONResponse(
                {"error": {"code": code, "message": message}},
                status_code=error.status_code,
                headers=getattr(error, "headers", None),
            )
        return render_error_page(
            request,
            status_code=error.status_code,
            title=HTTP_TITLES.get(error.status_code, "Error"),
            message="There is no such page." if error.status_code == 404 else message,
        )

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _is_api(request):
            body = {"error": {"code": "internal", "message": "Something went wrong on our side."}}
            return JSONResponse(body, status_code=500)
        return render_error_page(
            request,
            status_code=500,
            title="Something went wrong",
            message="Something went wrong on our side. Try again in a moment.",
        )
