"""The one error a channel raises when a delivery fails, with a reason people can read."""

from __future__ import annotations

from eduplan.errors import EduplanError


class DeliveryError(EduplanError):
    """A reminder could not be delivered on a channel; the message says why, in Chinese."""
