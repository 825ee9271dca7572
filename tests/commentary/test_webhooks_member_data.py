"""A member's webhook endpoints are part of their data: listed in their download (never
the secret), deleted with their account, after which nothing is sent to them."""

import pytest

from commentary.accounts.deletion import account_delete
from commentary.accounts.export import member_data
from commentary.webhooks.models import WebhookEndpoint
from commentary.webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db


def test_the_download_lists_endpoints_without_secrets(alice):
    endpoint = endpoint_create(
        owner=alice, target_url="https://hooks.example.org/in", events=["comment.created"]
    )
    data = member_data(alice)
    assert data["webhooks"] == [
        {
            "target_url": "https://hooks.example.org/in",
            "description": "",
            "events": ["comment.created"],
            "created": endpoint.created_at.isoformat(),
            "enabled": True,
        }
    ]
    assert endpoint.secret not in str(data)


def test_deleting_the_account_deletes_its_endpoints(alice, bob):
    endpoint_create(owner=alice, target_url="https://a.example.org/", events=["comment.created"])
    endpoint_create(owner=bob, target_url="https://b.example.org/", events=["comment.created"])
    account_delete(user=alice, keep_comments=False)
    assert list(WebhookEndpoint.objects.values_list("owner__username", flat=True)) == ["bob"]
