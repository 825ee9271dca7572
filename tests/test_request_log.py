"""One JSON line per request, with an id the response names and the background tasks the
request enqueues carry."""

import json
import logging

import pytest

from config.request_log import HEADER, JsonFormatter, RequestIdFilter, request_id_bound
from tests.commentary.builders import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="scholia.requests")
    return caplog


def logged(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "scholia.requests"]


def test_each_request_is_logged_once_with_the_id_its_response_names(client, request_log):
    make_work()

    response = client.get("/works/october-1917/")

    (record,) = logged(request_log)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response[HEADER]
    assert len(response[HEADER]) == 32
    assert line["method"] == "GET"
    assert line["path"] == "/works/october-1917/"
    assert line["status"] == 200
    assert line["bytes"] == len(response.content)
    assert line["duration_ms"] > 0
    assert line["user_id"] is None
    assert line["level"] == "info"


def test_a_signed_in_member_is_logged_by_id_never_by_name(client, request_log):
    make_work()
    alice = make_user("alice", "Alice Liddell")
    client.force_login(alice)

    client.get("/works/october-1917/")

    (record,) = logged(request_log)
    line = JsonFormatter().format(record)
    assert json.loads(line)["user_id"] == alice.pk
    assert "alice" not in line.lower()


def test_the_proxys_request_id_is_kept_and_anything_else_replaced(client, request_log):
    kept = client.get("/healthz", headers={"x-request-id": "haproxy-0a1b2c3d4e"})
    replaced = client.get("/healthz", headers={"x-request-id": "<script>"})

    assert kept[HEADER] == "haproxy-0a1b2c3d4e"
    assert replaced[HEADER] != "<script>"
    assert len(replaced[HEADER]) == 32
    # The balancer's checks are not logged.
    assert logged(request_log) == []


def test_a_404_is_logged_with_its_status(client, request_log):
    response = client.get("/works/no-such-work/")

    (record,) = logged(request_log)
    assert record.fields["status"] == 404 == response.status_code


def test_every_log_line_names_its_request():
    record = logging.LogRecord("edition", logging.WARNING, __file__, 1, "slow", None, None)
    with request_id_bound("abc123def456"):
        RequestIdFilter().filter(record)

    assert json.loads(JsonFormatter().format(record))["request_id"] == "abc123def456"
