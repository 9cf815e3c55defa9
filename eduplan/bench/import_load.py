"""``eduplan bench import-load``: other requests' latency while a million-cell XLSX is imported.

The real server (``loadtest.Server``, a fresh ledger) gets the workbook on ``POST /import``; the
reading runs in a limited child process (``eduplan.jobs``) while a signed-in client opens item
pages and an API client lists items, one request after another, until the job is finished (or
``seconds`` have passed). Printed: the upload's answer and its time, how the job ended and how
long it took, the other requests' p50/p95/max, and the server's memory before, at the end of the
job and after (a child that exits gives its memory back)."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from eduplan.bench.ledger import _FreshDatabase
from eduplan.bench.load import Server, _load_average, _nearest, _seed, _sign_in


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def bench_import_load(
    rows: int = 1000, columns: int = 1000, seconds: float = 300.0, url: str | None = None
) -> list[str]:
    """The lines printed; see the module's doc."""
    from eduplan.demo.bureau import DEMO_USERS
    from eduplan.jobs.samples import million_cell_xlsx

    workbook = million_cell_xlsx(rows, columns)
    password = next(p for name, p, *_ in DEMO_USERS if name == "admin")
    os.environ.setdefault("EDUPLAN_JOB_SECONDS", str(int(seconds)))
    latencies: list[float] = []
    statuses: Counter = Counter()
    with _FreshDatabase(url) as fresh, tempfile.TemporaryDirectory(prefix="eduplan-import-load-") as scratch:
        items, tokens, _first = _seed(fresh, 1)
        with Server(fresh, Path(scratch) / "server.log") as server:
            pid = server.process.pid
            with httpx.Client(base_url=server.base, timeout=60) as admin:
                _sign_in(admin, "admin", password)
                warm = [admin.get(f"/items/{items[0]}") for _ in range(5)]
                rss_before = _rss_mb(pid)
                page = admin.get("/import").text
                csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                done = threading.Event()

                def others() -> None:
                    api = httpx.Client(
                        base_url=server.base, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60
                    )
                    with api:
                        turn = 0
                        while not done.is_set():
                            start = time.perf_counter()
                            if turn % 2:
                                response = api.get("/api/v1/items", params={"limit": 20})
                            else:
                                response = admin.get(f"/items/{items[turn % len(items)]}")
                            latencies.append(time.perf_counter() - start)
                            statuses[response.status_code] += 1
                            turn += 1
                            time.sleep(0.05)

                meanwhile = threading.Thread(target=others, daemon=True)
                start = time.perf_counter()
                meanwhile.start()
                answer = admin.post(
                    "/import",
                    data={"csrf_token": csrf},
                    files={"file": ("百万单元格.xlsx", workbook, "application/octet-stream")},
                )
                answered = time.perf_counter() - start
                where = answer.headers.get("location", "")
                status, detail, rss_peak = "?", "", rss_before
                job = re.fullmatch(r"/import/jobs/(\d+)", where)
                deadline = start + seconds
                while job and time.perf_counter() < deadline:
                    state = admin.get(where, headers={"accept": "application/json"})
                    rss_peak = max(rss_peak or 0, _rss_mb(pid) or 0)
                    if state.status_code == 200 and state.json().get("status") in ("done", "failed"):
                        status, detail = state.json()["status"], state.json().get("detail") or ""
                        break
                    time.sleep(1)
                else:
                    if job:
                        status = f"still running at the {seconds:g} s cap"
                    elif re.fullmatch(r"/import/\d+", where):
                        status = "done"
                    else:
                        status = f"answer {answer.status_code}"
                took = time.perf_counter() - start
                done.set()
                meanwhile.join(60)
                time.sleep(1)
                rss_after = _rss_mb(pid)
    del warm
    codes = " · ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    load = _load_average()

    def mb(value: float | None) -> str:
        return f"{value:.0f} MB" if value is not None else "?"

    lines = [
        f"bench import-load: {rows * columns:,}-cell XLSX ({len(workbook) / 1e6:.1f} MB) uploaded,"
        f" answered {answer.status_code} in {answered:.2f} s → {where or '-'}",
        f"job {status} after {took:.1f} s{(' — ' + detail) if detail else ''}",
    ]
    if latencies:
        p50, p95 = (_nearest(latencies, share) * 1000 for share in (0.5, 0.95))
        lines.append(
            f"other requests meanwhile: {len(latencies)} ({codes})"
            f" · p50 {p50:.0f} ms · p95 {p95:.0f} ms · max {max(latencies) * 1000:.0f} ms"
        )
    lines += [
        f"server memory: before {mb(rss_before)} · during (max seen) {mb(rss_peak)} · after {mb(rss_after)}",
        f"load average {' / '.join(f'{v:.2f}' for v in load) if load else 'unknown'} · {os.cpu_count()} CPUs",
    ]
    return lines
