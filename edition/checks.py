"""Deployment checks (run by ``manage.py check --deploy``): what a production setting left
unset or shared would expose."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


def _server(cache: dict) -> str | None:
    """The Redis server (host and port) a cache lives on; None for anything else."""
    if not cache["BACKEND"].endswith("RedisCache"):
        return None
    location = urlsplit(str(cache["LOCATION"]))
    return f"{location.hostname}:{location.port or 6379}"


@register(Tags.caches, deploy=True)
def counters_apart_from_pages(app_configs, **kwargs) -> list[Warning]:
    """Counters (cache generations, rate limits) must never be evicted to make room for
    pages. A logical database of the same Redis shares its memory and its eviction, so only
    another server keeps them apart."""
    server = _server(settings.CACHES["counters"])
    if server is None or server != _server(settings.CACHES["default"]):
        return []
    return [
        Warning(
            "Rate limits and cache generations share a Redis server with cached pages, so "
            "filling the page cache can evict them.",
            hint="Set REDIS_COUNTERS_URL to a Redis of its own, run with "
            "maxmemory-policy noeviction.",
            id="scholia.W001",
        )
    ]


@register(Tags.security, deploy=True)
def site_url_set(app_configs, **kwargs) -> list[Warning]:
    """Without the site's own address, account mail links to whatever host a request named
    (a password reset link to an attacker's port, say)."""
    if settings.SCHOLIA_SITE_URL:
        return []
    return [
        Warning(
            "SCHOLIA_SITE_URL is not set: account mail, and the mail telling authors of "
            "decisions, link to the host each request names.",
            hint="Set SCHOLIA_SITE_URL to the site's origin, e.g. https://scholia.example.org.",
            id="scholia.W002",
        )
    ]
