"""A profile links the member's public Atom feed; one's own profile links one's private
feed (or the settings page that makes one), which nobody else's view of it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.notifications.follows import settings_update
from commentary.notifications.models import NotificationSettings
from tests.commentary.builders import client_for, post

pytestmark = pytest.mark.django_db


def profile(viewer, username: str = "alice") -> str:
    response = client_for(viewer).get(f"/users/{username}/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_profile_links_the_members_public_feed(alice, bob, work):
    post(alice, work)
    for viewer in (None, bob, alice):
        html = profile(viewer)
        assert '<a class="feed-link" href="/users/alice/feed/">' in html
        assert 'rel="alternate" type="application/atom+xml" href="/users/alice/feed/"' in html
    feed = client_for().get("/users/alice/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")


def test_ones_own_profile_offers_to_make_a_private_feed(alice):
    html = profile(alice)
    assert '<a href="/settings/notifications/#feed">Make your private feed</a>' in html


def test_ones_own_profile_links_ones_private_feed_and_nobody_elses_shows_it(alice, bob):
    token = NotificationSettings.new_feed_token()
    settings_update(user=alice, feed_token=token)

    html = profile(alice)
    assert f'<a class="feed-link" href="/feeds/{token}/">Your private feed</a>' in html
    assert client_for().get(f"/feeds/{token}/").status_code == 200
    for viewer in (None, bob):
        other = profile(viewer)
        assert token not in other
        assert "private feed" not in other
    # The settings page links it too.
    settings_page = client_for(alice).get("/settings/notifications/").content.decode()
    assert f'href="http://testserver/feeds/{token}/">Open your private feed</a>' in settings_page


def test_a_profile_reads_the_private_feed_once_on_ones_own_only(alice, bob):
    def settings_reads(viewer) -> int:
        with CaptureQueriesContext(connection) as captured:
            profile(viewer)
        table = NotificationSettings._meta.db_table
        return sum(f'FROM "{table}"' in query["sql"] for query in captured.captured_queries)

    assert settings_reads(alice) == 1
    assert settings_reads(bob) == 0
    assert settings_reads(None) == 0
