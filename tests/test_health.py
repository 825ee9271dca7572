"""``/healthz`` says the process answers; ``/readyz`` says whether it can serve, and what
each of its checks found; a database that cannot be reached answers 503 with Retry-After."""

import pytest
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder
from rest_framework.test import APIClient

from config import health
from config.unavailable import server_error
from tests.commentary.builders import make_user, make_work
from tests.redis_servers import caches_on_own_servers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _migrations_checked_again():
    health.forget_migrations_applied()
    yield
    health.forget_migrations_applied()


def test_healthz_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_ready_with_the_database_migrated(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["primary"] == "ok"
    assert body["checks"]["migrations"] == "ok"
    # Without REDIS_URL the caches are in process memory: no Redis to ask.
    assert body["checks"]["redis_pages"] in {"ok", "not used"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_unavailable_while_a_migration_is_pending(client):
    MigrationRecorder.Migration.objects.filter(app="commentary").order_by("-id").first().delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


def test_readyz_is_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["primary"] == "down"
    assert body["checks"]["migrations"] == "unknown"


def test_readyz_reports_each_redis_and_stays_ready_without_them(client):
    with caches_on_own_servers() as (pages, counters):
        assert client.get("/readyz").json()["checks"]["redis_pages"] == "ok"

        pages.stop()
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["checks"]["redis_pages"] == "down"
        assert response.json()["checks"]["redis_counters"] == "ok"

        counters.stop()
        response = client.get("/readyz")
        # The site serves uncached without them: the balancer keeps the server.
        assert response.status_code == 200
        assert response.json()["checks"]["redis_counters"] == "down"


def test_a_write_that_cannot_reach_the_database_answers_503_with_retry_after(monkeypatch):
    work = make_work()
    alice = make_user("alice")
    client = APIClient()
    client.force_authenticate(alice)

    def unreachable(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("commentary.api.views.comment_create", unreachable)
    response = client.post(
        "/api/v1/comments/", {"work": work.slug, "paragraph": "p3", "body": "Hi."}, format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"


def test_a_page_that_cannot_reach_the_database_answers_503_with_retry_after(client, monkeypatch):
    make_work()

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response = client.get("/works/october-1917/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Briefly unavailable" in response.content.decode()


def test_a_middleware_that_cannot_reach_the_database_answers_503_too(rf):
    request = rf.post("/works/october-1917/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_any_other_error_is_still_a_500(rf):
    request = rf.get("/works/october-1917/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
