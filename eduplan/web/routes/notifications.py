"""通知: in-app notifications and each office's and school's reminder settings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
