"""A signed-in reader and their roles are kept a few seconds by user id
(``commentary.accounts.token_users.session_user``), as a token's owner is: a burst of page
requests asks the database nothing about who is reading, and deactivating them, changing
their password, removing them from a group or making them a moderator takes effect at the
next request. Nobody is ever served another reader's entry.

alice holds a comment for the moderators; bob reads signed in too; gus is in olga's
Tuesday seminar, where olga wrote the canary.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.groups.services import member_remove
from commentary.models import Comment
from tests.commentary.builders import client_for, make_user, make_work, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db(transaction=True)

READING = "/works/october-1917/"
HTMX = {"HX-Request": "true"}
HELD = "Held back for the moderators."


@pytest.fixture
def work():
    return make_work()


def reads_of_the_reader(client, url: str = READING, times: int = 3) -> int:
    """How many of ``times`` requests read the reader and their roles from the database."""
    with CaptureQueriesContext(connection) as captured:
        for _ in range(times):
            assert client.get(url).status_code == 200
    return sum("scholia_granted" in query["sql"] for query in captured.captured_queries)


def signed_in_as(html: str, username: str) -> bool:
    return f">{username}</a>" in html


def test_a_burst_of_requests_reads_the_reader_once(work):
    client = client_for(make_user("alice"))

    assert reads_of_the_reader(client) <= 1
    assert reads_of_the_reader(client) == 0


def test_two_readers_never_get_each_others_entry(work):
    alices, bobs = client_for(make_user("alice")), client_for(make_user("bob"))
    for _ in range(3):
        alices_page, bobs_page = alices.get(READING).content.decode(), bobs.get(READING)
        assert signed_in_as(alices_page, "alice") and not signed_in_as(alices_page, "bob")
        bobs_page = bobs_page.content.decode()
        assert signed_in_as(bobs_page, "bob") and not signed_in_as(bobs_page, "alice")


def test_a_deactivated_reader_is_signed_out_at_the_next_request(work):
    alice = make_user("alice")
    client = client_for(alice)
    assert signed_in_as(client.get(READING).content.decode(), "alice")

    alice.is_active = False
    alice.save()

    assert not signed_in_as(client.get(READING).content.decode(), "alice")


def test_a_changed_password_signs_the_other_sessions_out_at_the_next_request(work):
    alice = make_user("alice")
    client = client_for(alice)
    assert signed_in_as(client.get(READING).content.decode(), "alice")

    alice.set_password("another long passphrase")
    alice.save()

    assert not signed_in_as(client.get(READING).content.decode(), "alice")


def test_a_member_removed_from_a_group_loses_it_at_the_next_request(work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group)
    client = client_for(gus)
    layer = f"{READING}p/p3/discussion/?group={group.slug}"
    assert CANARY in client.get(layer, headers=HTMX).content.decode()

    member_remove(group=group, user=gus, by=olga)

    after = client.get(layer, headers=HTMX)
    assert after.status_code == 404 or CANARY not in after.content.decode()


def test_a_reader_made_a_moderator_sees_held_comments_at_the_next_request(work):
    set_status(post(make_user("alice"), work, body=HELD), Comment.Status.PENDING)
    bob = make_user("bob")
    client = client_for(bob)
    discussion = f"{READING}p/p3/discussion/"
    assert HELD not in client.get(discussion, headers=HTMX).content.decode()

    bob.user_permissions.add(Permission.objects.get(codename="moderate_comment"))

    assert HELD in client.get(discussion, headers=HTMX).content.decode()
