"""Load a URL for a bounded time and report requests/s and latency percentiles.

wrk (Debian: `apt-get install wrk`) is the load tool: it costs the machine far less CPU
than any Python client, so the server gets the cores. A threaded Python client with
keep-alive connections is there only when asked for (``bench --python-client``): on a
machine of two cores it takes about half of them from the server, which halves the bare
view's rate and flatters every ratio to it.
"""

import http.client
import json
import re
import shutil
import subprocess
import tempfile
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
    requests: int = 0  # answered in the time: what the percentiles are taken from


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


WHY_NOT_PYTHON = (
    "The Python load client runs on the same cores as the server: on this 2-core machine it "
    "takes about half of them, halves the bare view's rate and so flatters every ratio to "
    "it (the signed-in reading page read 9% of bare with it, under 5% with wrk)."
)


def wrk_installed() -> bool:
    return shutil.which("wrk") is not None


# A POST with a JSON body whose text differs at each request (wrk's Lua).
_POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local serial = 0
request = function()
  serial = serial + 1
  local body = string.gsub(BODY, "{serial}", tostring(serial) .. "-" .. tostring(math.random(1e9)))
  return wrk.format(nil, nil, nil, body)
end
"""


def _with_wrk(
    url: str, seconds: float, connections: int, headers: dict, body: dict | None, timeout: float
) -> Result:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}"]
    command += [f"-d{max(1, round(seconds))}s", f"--timeout={timeout:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if body is not None:
            script.write(f"BODY = {json.dumps(json.dumps(body))}\n{_POST_SCRIPT}")
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + timeout + 30,
        ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Result:
    """What wrk printed with ``--latency``: requests/s, p50, p99 and the errors (answers
    other than 2xx or 3xx, and requests that timed out)."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failed = re.search(r"Socket errors:.*?timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (int(failed.group(1)) if failed else 0)
    answered = re.search(r"(\d+) requests in", output)
    return Result(rate, p50, p99, errors, "wrk", int(answered.group(1)) if answered else 0)


def _with_python(
    url: str, seconds: float, connections: int, headers: dict, body: dict | None, timeout: float
) -> Result:
    parts = urlsplit(url)
    wait = max(30.0, timeout)  # this client has always waited 30 s for an answer
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=wait)
        mine: list[float] = []
        serial = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            serial += 1
            try:
                if body is None:
                    connection.request("GET", path, headers=headers)
                else:
                    sent = json.dumps(body).replace("{serial}", f"{id(mine)}-{serial}")
                    connection.request(
                        "POST",
                        path,
                        body=sent,
                        headers={**headers, "Content-Type": "application/json"},
                    )
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=wait)
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

    return Result(
        len(latencies) / elapsed, pick(0.50), pick(0.99), errors[0], "python", len(latencies)
    )


def measure(
    url: str,
    *,
    seconds: float,
    connections: int,
    headers: dict | None = None,
    body: dict | None = None,
    python_client: bool = False,
    timeout: float = 2.0,
) -> Result:
    """Load ``url`` with wrk (with the Python client if ``python_client``): a GET, or with
    ``body`` a POST of it as JSON, where "{serial}" in its strings becomes a number of its
    own at each request. A request unanswered after ``timeout`` seconds counts as an error
    (wrk's default, 2 s, unless a page is known to take longer)."""
    headers = headers or {}
    if python_client:
        return _with_python(url, seconds, connections, headers, body, timeout)
    return _with_wrk(url, seconds, connections, headers, body, timeout)
