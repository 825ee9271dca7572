"""Prometheus metrics, behind SCHOLIA_METRICS: off, there is no /metrics; on, it counts
requests, their latency, the page cache's hits and the task queue's depth.

The setting shapes the middleware and the URLs when Django starts, so the metered site
runs in a process of its own, on a database of its own.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

METERED_SITE = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from django.test import Client
from tests.commentary.builders import make_work
make_work()
client = Client()
client.get("/works/october-1917/")
client.get("/works/october-1917/")
client.get("/healthz")
client.get("/healthz")
client.get("/no-such-page/")
print(client.get("/metrics").content.decode())
"""


def test_without_the_setting_there_is_no_metrics_page(client, db):
    assert client.get("/metrics").status_code == 404


def test_with_the_setting_metrics_count_requests_and_the_queue(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'metered.sqlite3'}",
        "SCHOLIA_METRICS": "true",
        "SCHOLIA_COUNTERS_DIR": str(tmp_path / "counters"),
    }
    environment.pop("REDIS_URL", None)
    environment.pop("REDIS_COUNTERS_URL", None)
    environment.pop("DATABASE_REPLICA_URL", None)
    finished = subprocess.run(
        [sys.executable, "-c", METERED_SITE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    metrics = finished.stdout

    assert 'django_http_responses_total_by_status_total{status="200"} 4.0' in metrics
    assert 'django_http_responses_total_by_status_total{status="404"} 1.0' in metrics
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in metrics
    assert 'scholia_task_queue_depth{queue="default"} 0.0' in metrics
    assert 'scholia_page_cache_requests_total{result="miss"} 1.0' in metrics
    assert 'scholia_page_cache_requests_total{result="hit"} 1.0' in metrics
