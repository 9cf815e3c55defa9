"""总结与计划: the half-year summary draft, next term's plan draft and the year-over-year comparison."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
