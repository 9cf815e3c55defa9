"""督办: the supervision dashboard (办结率, overdue by days late, weekly trend, targets against
actuals) and its Excel exports."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
