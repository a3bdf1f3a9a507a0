"""Load generation: `wrk` when installed, else a small asyncio keep-alive client.

Both return the same figures: rps, p50_ms, p99_ms, mean_ms, requests,
non_2xx, socket_errors, and busy_connections (rps x mean latency, by Little's
law the number of connections that had a request outstanding on average).

wrk leaves out of its latency figures the requests still unanswered when the
run ends: a connection stalled for the whole run (a request starved in a
queue) lowers busy_connections but not p99. The asyncio client waits for
every request it sent, so it does count them.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.parse
from typing import Any

from processes import run


def _to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_load(url: str, seconds: float, connections: int, headers: dict[str, str]) -> dict[str, Any]:
    cmd = [
        "wrk",
        "-t1",  # one thread leaves the other core to the one-worker server
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    _, output = run([*cmd, url], timeout=seconds + 60)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    mean = re.search(r"^\s+Latency\s+([\d.]+)(us|ms|s)\s", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not (rps and p99 and p50 and mean and total):
        raise RuntimeError(f"cannot read wrk output:\n{output}")
    mean_ms = _to_ms(*mean.groups())
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _to_ms(*p50.groups()),
        "p99_ms": _to_ms(*p99.groups()),
        "mean_ms": mean_ms,
        "busy_connections": float(rps.group(1)) * mean_ms / 1000,
        "requests": int(total.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


async def _python_load(
    url: str, seconds: float, connections: int, headers: dict[str, str]
) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"GET {parts.path or '/'} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    counts = {"non_2xx": 0, "socket_errors": 0}
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            counts["socket_errors"] += 1
            return
        try:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                writer.write(request)
                status_line = await reader.readline()
                if not status_line:
                    counts["socket_errors"] += 1
                    return
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter() - sent)
                if not 200 <= int(status_line.split()[1]) < 400:
                    counts["non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError):
            counts["socket_errors"] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    rps = len(latencies) / elapsed
    mean_ms = sum(latencies) / len(latencies) * 1000 if latencies else float("nan")
    return {
        "rps": rps,
        "p50_ms": pct(0.50) if latencies else float("nan"),
        "p99_ms": pct(0.99) if latencies else float("nan"),
        "mean_ms": mean_ms,
        "busy_connections": rps * mean_ms / 1000,
        "requests": len(latencies),
        **counts,
    }


def python_load(
    url: str, seconds: float, connections: int, headers: dict[str, str]
) -> dict[str, Any]:
    return asyncio.run(_python_load(url, seconds, connections, headers))
