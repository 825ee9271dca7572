"""Every comment is also a W3C Web Annotation that passes the model's MUSTs."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.management import call_command

from commentary.annotations.iris import Origin
from commentary.annotations.mapping import RELATED, comment_annotation, utc
from commentary.models import Comment
from commentary.services import comment_create
from edition.models import Version, VersionParagraph
from tests.commentary.annotations.w3c import hand_failures, schema_failures
from tests.commentary.builders import FIRST, post
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db
ORIGIN = Origin("https://scholia.example")
CACHED = re.compile(r"/works/(?P<slug>[^/]+)/v/(?P<number>\d+)/#(?P<key>.+)$")


def wording_of(source: str, state: dict) -> str:
    """The wording a target's selectors count in: the version its state names."""
    found = CACHED.search(state["cached"])
    assert source.endswith(f"/works/{found['slug']}/p/{found['key']}/")
    version = Version.objects.get(work__slug=found["slug"], number=int(found["number"]))
    return VersionParagraph.objects.get(version=version, paragraph__key=found["key"]).revision.text


def annotation_of(comment: Comment) -> dict:
    return comment_annotation(ORIGIN, Comment.objects.select_related(*RELATED).get(pk=comment.pk))


def failures(comment: Comment) -> list[str]:
    annotation = annotation_of(comment)
    parent = annotation_of(comment.parent)["id"] if comment.parent_id else None
    return schema_failures(annotation) + hand_failures(
        annotation, text_of=wording_of, parent_iri=parent
    )


def test_it_writes_times_in_utc_with_a_z():
    moment = datetime(2026, 12, 6, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert utc(moment) == "2026-12-06T09:30:00Z"
    assert utc(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_it_maps_a_comment_with_a_quote(work, alice):
    comment = post(alice, work, body="*Denigrate* is strong.", quote={"exact": "denigrate"})
    annotation = annotation_of(comment)
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["id"] == (
        f"https://scholia.example/api/v1/works/{work.slug}/annotations/{comment.pk}/"
    )
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "commenting"
    assert annotation["creator"] == {
        "id": "https://scholia.example/users/alice/",
        "type": "Person",
        "name": "Alice Liddell",
    }
    assert annotation["body"]["value"] == "*Denigrate* is strong."
    assert annotation["body"]["format"] == "text/markdown"
    target = annotation["target"]
    assert target["source"] == f"https://scholia.example/works/{work.slug}/p/p3/"
    assert target["state"]["cached"].endswith(f"/works/{work.slug}/v/1/#p3")
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "denigrate"
    start = FIRST.index("denigrate")
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 9}
    assert failures(comment) == []


def test_positions_count_code_points_after_an_astral_character(alice):
    # A character outside the Basic Multilingual Plane before the quote: one code point,
    # two UTF-16 units. Positions count it once.
    text = "The letter \U0001d504 opens the gloss, and the gloss goes on."
    work = build_work(slug="astral")
    build_version(work, [para(text)])
    comment = post(alice, work, "p1", body="After the letter.", quote={"exact": "opens"})
    position = annotation_of(comment)["target"]["selector"][1]
    assert position["start"] == text.index("opens") == 13
    assert failures(comment) == []


def test_a_reply_targets_its_parent(work, alice, bob):
    root = post(alice, work, body="First.")
    reply = comment_create(author=bob, parent=root, body="Second.")
    annotation = annotation_of(reply)
    assert annotation["motivation"] == "replying"
    assert annotation["target"] == annotation_of(root)["id"]
    assert failures(reply) == []


def test_the_hand_checks_catch_what_the_schemas_miss(work, alice):
    comment = post(alice, work, body="Quoted.", quote={"exact": "denigrate"})
    annotation = annotation_of(comment)
    annotation["created"] = "2026-12-06T09:30:00+00:00"
    annotation["target"]["selector"][1]["start"] += 1
    found = hand_failures(annotation, text_of=wording_of)
    assert any("created" in failure for failure in found)
    assert any("positions select" in failure for failure in found)
    assert schema_failures(annotation) == []


def test_the_schemas_catch_a_relative_id_and_a_bad_date(work, alice):
    annotation = annotation_of(post(alice, work))
    annotation["id"] = "annotations/1"
    annotation["created"] = "yesterday"
    found = schema_failures(annotation)
    assert any("IdValidated" in failure for failure in found)
    assert any("CreatedValidated" in failure for failure in found)


def test_every_annotation_of_the_demo_passes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    comments = Comment.objects.live().select_related(*RELATED)
    assert comments.count() > 5
    for comment in comments:
        assert failures(comment) == [], comment.pk


def test_tags_are_further_bodies_with_the_tagging_purpose(work, alice):
    from commentary.tags import tags_joined

    comment = comment_create(
        author=alice,
        body="A question.",
        paragraph=post(alice, work).paragraph,
        tags="nep, question",
    )
    read = (
        Comment.objects.select_related(*RELATED)
        .annotate(tags_joined=tags_joined())
        .get(pk=comment.pk)
    )
    annotation = comment_annotation(ORIGIN, read)

    textual, *tagging = annotation["body"]
    assert textual["value"] == "A question." and textual["format"] == "text/markdown"
    assert tagging == [
        {"type": "TextualBody", "value": "nep", "purpose": "tagging"},
        {"type": "TextualBody", "value": "question", "purpose": "tagging"},
    ]
    assert schema_failures(annotation) == []
    assert hand_failures(annotation, text_of=wording_of, parent_iri=None) == []
