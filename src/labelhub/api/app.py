"""The ASGI application: routes under /api/v1, offline API docs at /api/docs, the web app at /."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from labelhub import __version__
from labelhub.api import problems
from labelhub.api.routes import assets, auth, datasets, documents, imports, jobs, projects, quarantine, tasks, tiles
from labelhub.api.routes import assist as assist_routes
from labelhub.api.routes import models as model_routes
from labelhub.api.routes import reports as report_routes
from labelhub.wiring import Platform

API = "/api/v1"
WEB_DIST = Path(str(files("labelhub"))) / "web_dist"
_NOT_BUILT = """<!doctype html><meta charset=utf-8><title>labelhub</title>
<body style="font:15px system-ui;background:#15171c;color:#e6e6e6;padding:3em">
<h1>labelhub is running</h1><p>The browser app has not been built in this installation.
Run <code>./scripts/setup</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>),
then reload. The API is at <a style="color:#7aa2ff" href="/api/docs">/api/docs</a>.</p></body>"""


def create_app(platform: Platform, *, run_worker: bool | None = None) -> FastAPI:
    start_worker = platform.settings.embedded_worker if run_worker is None else run_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if start_worker and not platform.queue.huey.immediate:
            platform.queue.start_consumer(platform.settings.worker_threads)
        yield
        platform.queue.stop_consumer()

    app = FastAPI(
        title="labelhub",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
        lifespan=lifespan,
        description="Self-hosted data labeling. Authenticate with a session cookie (browser) or "
        "'Authorization: Bearer <token>' (scripts). Errors are RFC 9457 problem details.",
    )
    app.state.platform = platform
    problems.install(app)
    api = APIRouter(prefix=API)
    for module in (auth, projects, assets, tasks, jobs, datasets, imports, tiles, documents, quarantine):
        api.include_router(module.router)
    for module in (model_routes, report_routes):
        api.include_router(module.router)
    api.include_router(assist_routes.router)

    @api.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(api)
    _mount_docs(app)
    _mount_web(app)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``labelhub serve --processes N``: each process builds its own platform from the
    ``LABELHUB_*`` environment (the parent already migrated the database)."""
    from labelhub.settings import Settings
    from labelhub.wiring import build

    return create_app(build(Settings(), migrate=False))


def _mount_docs(app: FastAPI) -> None:
    import swagger_ui_bundle

    app.mount("/api/docs/static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API}/openapi.json",
            title="labelhub API",
            swagger_js_url="/api/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/api/docs/static/swagger-ui.css",
            swagger_favicon_url="/api/docs/static/favicon-32x32.png",
        )


def _mount_web(app: FastAPI) -> None:
    index = WEB_DIST / "index.html"
    if (WEB_DIST / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=WEB_DIST / "assets"), name="web-assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    def spa(path: str, request: Request) -> Response:
        if path.startswith("api/"):
            return problems.problem(404, "Not found", f"No API route {request.url.path}.", request)
        candidate = (WEB_DIST / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(WEB_DIST.resolve()):
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(_NOT_BUILT)


__all__ = ["API", "create_app"]
