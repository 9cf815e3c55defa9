"""What every resource of the API shares: its error answers, id bounds, the CSRF check on
cookie-authenticated writes, and how an action is attributed."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, params
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from eduplan.supervise import progress
from eduplan.web.api.schemas import ErrorOut
from eduplan.web.auth import Viewer, deferred_viewer, require_viewer, required_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import end_reads, get_session

MAX_LIMIT = 5000

_ERRORS = {
    401: {"model": ErrorOut, "description": "未登录，或 API 令牌无效、已撤销"},
    403: {"model": ErrorOut, "description": "没有权限（或缺少 X-CSRF-Token）"},
    404: {"model": ErrorOut, "description": "找不到（或属于其他教育局）"},
}

MAX_ID = 2**31 - 1
"""The largest id the ledger's integer keys hold (PostgreSQL INTEGER): a larger one in a path or
filter is a 422 from validation, not a database overflow (500)."""
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="事项编号")]
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="计划编号")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="令牌编号")]


def _depending_on(signature: inspect.Signature, dependency: Callable[..., Any]) -> list[str]:
    """The parameters of ``signature`` whose default is ``Depends(dependency)``."""
    return [
        name
        for name, parameter in signature.parameters.items()
        if isinstance(parameter.default, params.Depends) and parameter.default.dependency is dependency
    ]


def _in_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A sync endpoint as an async one that runs it in one worker thread. FastAPI sends a sync
    endpoint to a thread and then its response model's serialisation to a thread again (a
    second hop, for a few microseconds of work); as a coroutine its result is serialised in the
    event loop. In the same thread, before the endpoint, its viewer is looked up (the token's
    query would otherwise cost a hop of its own): a ``Depends(require_viewer)`` parameter is
    given the request instead (FastAPI passes it without solving a dependency) and the viewer is
    found on the endpoint's own ``Depends(get_session)`` session — ``deferred_viewer`` where it
    has none. After it a read-only request's transaction is ended (``end_reads``), so closing the
    session needs no hop either. Name and marks (``short_writes``) are the endpoint's
    (``wraps``); its signature too, but for the viewer."""
    signature = inspect.signature(endpoint)
    deferred = _depending_on(signature, require_viewer)
    session_name = next(iter(_depending_on(signature, get_session)), None)

    def call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        for name in deferred:
            if session_name is None:
                kwargs[name] = kwargs[name].resolve()
            else:  # the request, passed in the viewer's place
                kwargs[name] = required_viewer(kwargs[name], kwargs[session_name])
        result = endpoint(*args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, Session):
                end_reads(value)
        return result

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(call, args, kwargs)

    if deferred:
        if session_name is None:
            shown = [
                parameter.replace(default=Depends(deferred_viewer)) if name in deferred else parameter
                for name, parameter in signature.parameters.items()
            ]
        else:  # keyword-only, last: a parameter without a default may not follow ones with
            keyword = inspect.Parameter.KEYWORD_ONLY
            shown = [p for name, p in signature.parameters.items() if name not in deferred]
            shown += [inspect.Parameter(name, keyword, annotation=Request) for name in deferred]
        run.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
    return run


class _ThreadedRoute(APIRoute):
    """An API route whose sync endpoint runs in one thread hop (``_in_thread``)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = _in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)


def api_router() -> APIRouter:
    """A router of the API: its prefix, tag and the 401 answer every route may give."""
    return APIRouter(
        prefix="/api/v1", tags=["API v1"], responses={401: _ERRORS[401]}, route_class=_ThreadedRoute
    )


WRITE = [Depends(check_csrf)]
"""Cookie-authenticated writes need the session's CSRF token in ``X-CSRF-Token``."""


def _actor(viewer: Viewer) -> str:
    return f"{viewer.username}（API 令牌）" if viewer.via_token else viewer.username


@contextmanager
def _status_rules():
    """A stale revision → 409; a change the status rules refuse (done without 销号) → 422."""
    try:
        yield
    except progress.RevisionConflict as exc:
        raise HTTPException(409, str(exc)) from None
    except progress.StatusError as exc:
        raise HTTPException(422, str(exc)) from None
