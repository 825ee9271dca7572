"""Every feed passes the W3C Feed Validator, read from ../shared/conformance/feedvalidator
(or SCHOLIA_CONFORMANCE_DIR); skipped with the reason when it is not there."""

import os
import sys
from pathlib import Path

import pytest

from commentary.notifications.follows import settings_update
from commentary.notifications.models import NotificationSettings
from tests.commentary.builders import client_for, post
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db(transaction=True)

CONFORMANCE = Path(
    os.environ.get("SCHOLIA_CONFORMANCE_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
)
VALIDATOR = CONFORMANCE / "feedvalidator" / "src"


def load_feedvalidator():
    """The validator's modules; skips the test (fails it in CI) when it is not there."""
    if not VALIDATOR.is_dir():
        reason = f"The W3C Feed Validator is not at {VALIDATOR}: see the README, Conformance."
        if os.environ.get("SCHOLIA_REQUIRE_CONFORMANCE"):
            pytest.fail(reason)
        pytest.skip(reason)
    sys.path.insert(0, str(VALIDATOR))
    import feedvalidator
    from feedvalidator import compatibility

    return feedvalidator, compatibility


@pytest.fixture(scope="module")
def feedvalidator():
    return load_feedvalidator()


def errors_of(validator, xml: str, address: str) -> list[str]:
    """The validator's errors; ``address`` is where the feed was fetched (its self link)."""
    feedvalidator, compatibility = validator
    events = feedvalidator.validateString(xml, firstOccurrenceOnly=1, base=address)["loggedEvents"]
    return [f"{type(event).__name__}: {event.params}" for event in compatibility.AA(events)]


def test_every_feed_validates(feedvalidator, alice, bob, work):
    group, olga, gus = make_seminar(work)
    first = post(alice, work, body="A *public* comment with <angle> & ampersand.")
    post(bob, work, parent=first, body="A reply, @alice.")
    group_post(olga, work, group)
    settings_update(user=gus, feed_token=NotificationSettings.new_feed_token())
    token = gus.notification_settings.feed_token

    for address in (
        "/works/october-1917/feed/",
        "/works/october-1917/p/p3/feed/",
        "/users/alice/feed/",
        f"/feeds/{token}/",
    ):
        response = client_for().get(address)
        assert response.status_code == 200, address
        errors = errors_of(feedvalidator, response.content.decode(), f"http://testserver{address}")
        assert errors == [], address
