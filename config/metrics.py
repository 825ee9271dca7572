"""What django-prometheus does not count by itself: the page cache's hits and misses, and
how many background tasks wait for the worker. Loaded only with ``SCHOLIA_METRICS`` on.

The request counts and latencies, and the database's, are django-prometheus's own. With
several gunicorn workers per server, set ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's
multi-process mode) so one scrape adds up every worker.
"""

from collections.abc import Callable, Iterator

from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

page_cache_requests = Counter(
    "scholia_page_cache_requests_total",
    "Pages asked of the whole-page cache, by result (hit, miss).",
    ["result"],
)


class TaskQueueCollector(Collector):
    """Asks the database, at each scrape, how many tasks are ready and not yet taken."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        depth = GaugeMetricFamily(
            "scholia_task_queue_depth",
            "Background tasks waiting for a worker, by queue.",
            labels=["queue"],
        )
        try:
            counted = dict(
                DBTaskResult.objects.ready()
                .order_by()
                .values_list("queue_name")
                .annotate(count=Count("pk"))
            )
        except DatabaseError:
            return
        for queue, count in sorted(counted.items()) or [("default", 0)]:
            depth.add_metric([queue], count)
        yield depth


_collector = TaskQueueCollector()
REGISTRY.register(_collector)


class PageCacheMetricsMiddleware:
    """Counts each page the page cache answered (``X-Page-Cache: hit``) or made (miss)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        result = response.get("X-Page-Cache")
        if result in {"hit", "miss"}:
            page_cache_requests.labels(result=result).inc()
        return response
