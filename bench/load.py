"""Load a URL for a bounded time and report requests/s and latency percentiles.

Uses wrk when it is installed (Debian: `apt-get install wrk`): it costs the machine far less
CPU than any Python client, so the server gets the cores. Without it, a threaded Python
client with keep-alive connections does the same job less precisely.
"""

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _with_wrk(url: str, seconds: float, connections: int, headers: dict) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failed = re.search(r"Socket errors:.*?timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (int(failed.group(1)) if failed else 0)
    return Result(rate, p50, p99, errors, "wrk")


def _with_python(url: str, seconds: float, connections: int, headers: dict) -> Result:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return Result(0.0, 0.0, 0.0, errors[0], "python")

    def pick(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    return Result(len(latencies) / elapsed, pick(0.50), pick(0.99), errors[0], "python")


def measure(url: str, *, seconds: float, connections: int, headers: dict | None = None) -> Result:
    headers = headers or {}
    if shutil.which("wrk"):
        return _with_wrk(url, seconds, connections, headers)
    return _with_python(url, seconds, connections, headers)
