"""Followers of a work are told of its new version: what changed, and how many of their
comments are now on an earlier wording."""

from dataclasses import replace

import pytest

from commentary.notifications.follows import follow_create
from commentary.notifications.models import Kind, Notification
from edition.services import version_publish
from tests.commentary.builders import post
from tests.edition.builders import build_version, chapter_specs, para

pytestmark = pytest.mark.django_db(transaction=True)


def revise(work):
    specs = [replace(spec, key=f"p{number}") for number, spec in enumerate(chapter_specs(), 1)]
    specs[2] = para("The aim of this chapter is not to denigrate it.", key="p3")
    return build_version(work, specs, publish=False)


def test_followers_hear_of_a_new_version_and_their_earlier_comments(alice, bob, work):
    follow_create(user=bob, work=work)
    follow_create(user=alice, work=work)
    post(bob, work, "p3")
    post(bob, work, "p3", body="Another.")
    post(bob, work, "p4")
    Notification.objects.all().delete()
    draft = revise(work)

    version_publish(version=draft)

    note = Notification.objects.get(recipient=bob)
    assert (note.kind, note.version_id) == (Kind.VERSION, draft.pk)
    assert note.note == "¶ 1 changed; your 2 comments are labelled on an earlier wording."
    assert Notification.objects.get(recipient=alice).note == "¶ 1 changed."
