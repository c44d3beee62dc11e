"""Web benchmark (not a test): the classification endpoint under a fixed request rate.

    python benchmarks/web_benchmark.py [--rate 200] [--seconds 30] [--connections 16]

Starts the real server (``her2scope serve`` = uvicorn, one process) on 127.0.0.1 with a
temporary SQLite registry and an API token, then drives ``POST /api/v1/annotate/hgvs`` (one
HGVS expression per request, cycling through common ERBB2 spellings) with an **open-loop**
load generator written here in asyncio: request i is due at t0 + i/rate whatever happened to
the previous ones, over a pool of keep-alive HTTP/1.1 connections. Latency is measured from
the *scheduled* send time to the last byte of the response, so a stalled server is not hidden
(no coordinated omission). Prints p50/p90/p99/max, achieved rate, errors, and writes JSON to
benchmarks/out/web_benchmark.json. Target (issue 4): p99 < 20 ms at 200 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

EXPRESSIONS = ["NM_004448.4:c.2313_2324dup", "ERBB2 p.A775_G776insYVMA", "ERBB2 p.S310F", "p.L755S",
               "NM_004448.4:c.2524G>A", "ERBB2 p.G776delinsVC", "p.V842I", "NP_004439.2:p.(Tyr772_Ala775dup)"]
TARGET_P99_MS = 20.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path) -> tuple[subprocess.Popen, int, str]:
    from her2scope.registry import Registry, Role

    db = tmp / "registry.db"
    reg = Registry.open(f"sqlite:///{db}")
    reg.create_user("bench", "benchmark-password", Role.viewer)
    token = reg.issue_api_token("bench")
    reg.close()
    port = _free_port()
    env = {**os.environ, "HER2SCOPE_SECRET_KEY": "benchmark-" + "s" * 32}
    proc = subprocess.Popen([sys.executable, "-m", "her2scope", "serve", "--db", f"sqlite:///{db}",
                             "--port", str(port), "--log-level", "warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "server.log", "w"))
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc, port, token
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("server did not start: " + (tmp / "server.log").read_text()) from None
            time.sleep(0.2)


def _request(port: int, token: str, expr: str) -> bytes:
    body = json.dumps({"expressions": [expr]}).encode()
    return (f"POST /api/v1/annotate/hgvs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(l.split(":", 1)[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
    await reader.readexactly(length)
    return status


async def run_load(port: int, token: str, rate: float, seconds: float, connections: int) -> dict:
    requests = [_request(port, token, EXPRESSIONS[i % len(EXPRESSIONS)]) for i in range(len(EXPRESSIONS))]
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    n = int(rate * seconds)
    latencies: list[float] = []
    errors: list[str] = []
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.05

    async def one(i: int) -> None:
        due = t0 + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        reader, writer = await pool.get()   # waits (and the wait counts) if all connections are busy
        try:
            writer.write(requests[i % len(requests)])
            status = await _read_response(reader)
            latencies.append(loop.time() - due)
            if status != 200:
                errors.append(f"HTTP {status}")
            pool.put_nowait((reader, writer))
        except Exception as exc:  # noqa: BLE001 - counted; the connection is replaced
            errors.append(type(exc).__name__)
            writer.close()
            pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    wall = time.perf_counter() - start
    while not pool.empty():
        _, w = pool.get_nowait()
        w.close()
    lat = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, round(p / 100 * (len(lat) - 1)))]

    return {"requests": n, "completed": len(lat), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "target_rate_per_s": rate, "achieved_rate_per_s": round(len(lat) / wall, 1),
            "p50_ms": round(pct(50), 2), "p90_ms": round(pct(90), 2), "p99_ms": round(pct(99), 2),
            "max_ms": round(lat[-1], 2), "mean_ms": round(statistics.fmean(lat), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--warmup", type=float, default=15.0, help="seconds of warm-up load (not measured); "
                    "also lets the about-page figures finish building in the server")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="her2scope-webbench-") as tmp:
        proc, port, token = start_server(Path(tmp))
        try:
            asyncio.run(run_load(port, token, 50.0, args.warmup, 4))
            result = asyncio.run(run_load(port, token, args.rate, args.seconds, args.connections))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    result.update({"endpoint": "POST /api/v1/annotate/hgvs (1 expression)",
                   "tool": "benchmarks/web_benchmark.py: open-loop asyncio load generator, keep-alive HTTP/1.1",
                   "server": "her2scope serve (uvicorn, 1 process), SQLite registry, bearer token",
                   "machine": f"{platform.python_implementation()} {platform.python_version()}, "
                              f"{os.cpu_count()} CPUs, {platform.platform()}",
                   "target": f"p99 < {TARGET_P99_MS} ms at {args.rate:g} requests/s",
                   "pass": result["p99_ms"] < TARGET_P99_MS and result["errors"] == 0})
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "web_benchmark.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
