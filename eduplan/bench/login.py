"""Sign-in timing for a real account's wrong password against a name that does not exist
(``eduplan bench login``): with the dummy-hash check both take one argon2 verification, so the
time tells nothing about which usernames exist. A figure for people, never a timed test."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoginTiming:
    real: float
    """Median seconds of a wrong password for an existing account."""
    unknown: float
    """Median seconds of any password for a username that does not exist."""
    inactive: float
    """Median seconds of the right password for a deactivated account."""
    runs: int

    @property
    def spread(self) -> float:
        """The largest difference from the real account's time, as a fraction of it."""
        return max(abs(self.unknown - self.real), abs(self.inactive - self.real)) / self.real

    def line(self) -> str:
        return (
            f"login timing (median of {self.runs}): real user wrong password {self.real:.3f} s, "
            f"unknown user {self.unknown:.3f} s, inactive user {self.inactive:.3f} s, "
            f"largest difference {self.spread:.1%}"
        )


def bench_login(runs: int = 15) -> LoginTiming:
    """Time sign-ins on a fresh demo ledger with the real argon2 cost (each attempt from its own
    address, so the login limit never answers early)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import update

    from eduplan.demo.bureau import seed_demo
    from eduplan.ledger.db import connect, sessions
    from eduplan.ledger.models import User
    from eduplan.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = connect(url)
        with sessions(engine).begin() as session:
            seed_demo(session, corpus=None)
            session.execute(update(User).where(User.username == "guest").values(active=False))
        engine.dispose()
        app = create_app(url)
        cases = {"real": ("chengguan", "wrong-password"), "unknown": ("no-such-user", "wrong-password")}
        cases["inactive"] = ("guest", "guest-2026")
        times: dict[str, list[float]] = {key: [] for key in cases}
        for n in range(runs + 1):  # the first round warms up
            for key, (username, password) in cases.items():
                client = TestClient(app, client=(f"10.77.{n}.{len(times[key]) % 250 + 1}", 40000))
                token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
                started = time.perf_counter()
                response = client.post(
                    "/login",
                    data={"username": username, "password": password, "csrf_token": token},
                    follow_redirects=False,
                )
                elapsed = time.perf_counter() - started
                if response.status_code != 400:
                    raise RuntimeError(f"unexpected answer {response.status_code} for {key}")
                if n:
                    times[key].append(elapsed)
        app.state.engine.dispose()
    return LoginTiming(*(statistics.median(times[key]) for key in ("real", "unknown", "inactive")), runs=runs)
