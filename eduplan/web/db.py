"""The database session of a request (one per request, committed by the route that writes)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    factory = request.app.state.sessions
    with factory() as session:
        yield session
