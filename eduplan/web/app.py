"""The FastAPI application: server-rendered pages, the JSON API under /api/v1, feeds."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.errors import EduplanError
from eduplan.ledger.db import connect, normalise_url, sessions
from eduplan.ledger.models import AppSetting
from eduplan.settings import WebSettings
from eduplan.settings import database_url as default_database_url
from eduplan.web import heap
from eduplan.web.head import HeadAsGet
from eduplan.web.headers import SecurityHeaders
from eduplan.web.limits import Admission, BodyLimit, WebLimits
from eduplan.web.security import new_token
from eduplan.web.sessions import ServerSessions

STATIC = Path(__file__).with_name("static")
SPARE_THREADS = 8
"""Worker threads beyond the admitted requests: static files (never queued) read in threads."""
SPARE_CONNECTIONS = 2
"""Pooled connections beyond the admitted requests (the first request's secret key, a stream)."""


def _secret_key(factory) -> str:
    """EDUPLAN_SECRET_KEY, else a key made once and kept in the database (sessions survive a restart)."""
    configured = os.environ.get("EDUPLAN_SECRET_KEY", "").strip()
    if configured:
        return configured
    with factory.begin() as session:
        session: Session
        row = session.get(AppSetting, "secret_key")
        if row is None:
            row = AppSetting(key="secret_key", value=new_token())
            session.add(row)
        return row.value


ERROR_MESSAGES = {
    403: "没有权限：你的账号不能查看或办理这一页的内容。",
    404: "找不到这个页面：地址可能输错了，或者它已被删除。",
    405: "这个地址不能这样访问，请从页面上的链接或按钮进入。",
    500: "服务器出错了，这次操作没有完成。请稍后再试；如果一再出现，请告诉系统管理员。",
}
"""What a person reads on an error page whose error came without a Chinese message of its own."""


def _page_message(status: int, detail: object) -> str:
    """The error's own message when it is one written for people, else the page's standard one
    (Starlette's English phrases such as "Not Found" are not)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    if isinstance(detail, str) and detail.strip() and detail != phrase:
        return detail
    return ERROR_MESSAGES.get(status, "请求没有完成，请返回后重试。")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/feeds/")) or "application/json" in request.headers.get(
        "accept", ""
    )


def create_app(database_url: str | None = None, settings: WebSettings | None = None) -> FastAPI:
    """The app on the ledger at ``database_url`` (default: EDUPLAN_DATABASE_URL or ./eduplan.db),
    with ``settings`` (default: from the environment, ``WebSettings.from_env``)."""
    from eduplan.web.routes import ROUTERS

    settings = settings or WebSettings.from_env()
    on_sqlite = normalise_url(database_url or default_database_url()).startswith("sqlite")
    limits = WebLimits.from_env(postgresql=not on_sqlite)
    engine = connect(
        database_url, pool_size=limits.active + SPARE_CONNECTIONS, pool_timeout=limits.write_seconds
    )
    factory = sessions(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many worker threads as admitted requests (plus static files): a running request
        # always finds a thread, and every thread finds a pooled connection.
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = limits.active + SPARE_THREADS
        from eduplan.web import jobs

        jobs.start(_app)  # readings a stopped server left pending
        settled = heap.settle()  # last: what startup built is left out of every collection
        try:
            yield
        finally:
            heap.restore(settled)
        jobs.stop(_app)
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="eduplan",
        description="教育局工作台账 API：计划、事项、进度、指标。",
        version="1",
        docs_url=None,  # served below from the app's own copy of swagger-ui (no CDN)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.engine = engine
    app.state.sessions = factory
    app.state.web_settings = settings
    app.state.limits = limits
    # Outermost last: SecurityHeaders → Admission → ServerSessions → BodyLimit → the routes.
    app.add_middleware(BodyLimit, limits=limits)
    app.add_middleware(ServerSessions, secret_key=_secret_key(factory), settings=settings)
    app.add_middleware(Admission, limits=limits)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    if settings.forwarded_allow_ips:
        # Only the proxies the administrator named may say who the client is (X-Forwarded-For)
        # and that it came over HTTPS (X-Forwarded-Proto); the outermost layer, so everything
        # inside — the login limit, the session's address, the cookie's Secure flag — sees it.
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.forwarded_allow_ips))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        # The routers' routes themselves, not the routers: FastAPI (0.16x) keeps an included
        # router as one route that is matched by walking its own routes, twice per request, so
        # a request paid for every router before its own (a third of a 404's CPU). Each route
        # already has its router's prefix, tags and responses (they are applied as it is added).
        app.router.routes.extend(router.routes)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request):
        # swagger-ui started by a static script: the CSP allows no inline scripts.
        from eduplan.web.templating import TEMPLATES

        return TEMPLATES.TemplateResponse(request, "api_docs.html", {"openapi_url": app.openapi_url})

    # Starlette's own HTTPException (FastAPI's is a subclass): an unknown address or method is
    # raised by the router as the former, and gets the same Chinese page as the app's errors.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        from eduplan.web.templating import render

        message = _page_message(exc.status_code, exc.detail)
        return render(request, "error.html", {"status": exc.status_code, "message": message}, exc.status_code)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # A bug: the person gets a page in Chinese (the API a JSON body); the traceback still
        # goes to the server's log, as Starlette re-raises it after this response.
        if _wants_json(request):
            return JSONResponse({"detail": "服务器内部错误"}, status_code=500)
        try:
            from eduplan.web.templating import render

            return render(request, "error.html", {"status": 500, "message": ERROR_MESSAGES[500]}, 500)
        except Exception:  # the page itself failed: plain text, still in Chinese
            return PlainTextResponse(ERROR_MESSAGES[500], status_code=500)

    @app.exception_handler(EduplanError)
    async def eduplan_error(request: Request, exc: EduplanError):
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        from eduplan.web.templating import render

        return render(request, "error.html", {"status": 400, "message": str(exc)}, 400)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def id_out_of_range(request: Request, exc: Exception):
        # An id in a path or filter past what an integer column holds (SQLite raises OverflowError
        # before the query runs, PostgreSQL "integer out of range"): nothing can have that id.
        if isinstance(exc, DataError) and "out of range" not in str(exc.orig):
            raise exc
        message = "找不到：编号超出范围"
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=404)
        from eduplan.web.templating import render

        return render(request, "error.html", {"status": 404, "message": message}, 404)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            return JSONResponse({"detail": "请求参数不正确", "errors": jsonable_errors(exc)}, status_code=422)
        from eduplan.web.templating import render

        return render(request, "error.html", {"status": 422, "message": "请求参数不正确，请检查后重试"}, 422)

    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
