"""The comment list's first page for a signed-in reader (``commentary.api.merged_list``):
the public part kept once for everybody, the reader's own part merged in.

alice reads with a token. She is in the Tuesday seminar, which olga leads and gus reads;
she has held and hidden comments of her own, and held replies to bob's public comments.
bob writes in public; charlie writes held comments nobody else may see, and leads a
seminar of his own that alice is not in. The canary is gus's comment in alice's seminar;
charlie's seminar has a canary of its own.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.accounts.models import ApiToken
from commentary.accounts.tokens import token_create, token_revoke
from commentary.api.filters import ORDERINGS
from commentary.groups.services import member_remove
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate
from tests.api.comment_fixtures import COMMENTS, client_for
from tests.commentary.builders import make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, join, make_group, make_seminar

pytestmark = pytest.mark.django_db

OTHER_CANARY = "Canary words of charlie's seminar."
WORK = "october-1917"


def token_client(user, **token):
    _token, key = token_create(user=user, name="script", **token)
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def discussion(october, settings):
    """Public comments with alice's own and her seminar's interleaved among them, across
    two paragraphs, and a run of comments changed at the same instant (the cursor then
    counts an offset within it)."""
    settings.SCHOLIA_COMMENT_RATE = settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "1000/60"
    group, olga, gus = make_seminar(october)
    alice, bob, charlie = make_user("alice", "Alice"), make_user("bob"), make_user("charlie")
    join(group, alice)
    other = make_group(charlie, october)
    group_post(charlie, october, other, body=OTHER_CANARY)
    for i in range(18):
        public = post(bob, october, "p2" if i % 2 else "p3", f"Bob's comment {i}.")
        if i % 3 == 0:
            set_status(post(alice, october, "p3", f"Alice's held {i}."), Comment.Status.PENDING)
        if i % 4 == 1:
            author = gus if i % 8 == 1 else alice
            group_post(author, october, group, body=CANARY if author == gus else f"Seminar {i}.")
        if i % 5 == 2:
            reply = post(alice, october, body=f"Alice's held reply {i}.", parent=public)
            set_status(reply, Comment.Status.PENDING)
        if i % 7 == 3:
            post(charlie, october, body=f"Charlie's reply {i}.", parent=public)
        if i % 6 == 4:
            set_status(post(charlie, october, "p3", f"Charlie's held {i}."), Comment.Status.PENDING)
        if i == 11:
            set_status(post(alice, october, "p2", "Alice's hidden."), Comment.Status.HIDDEN)
    same_instant = list(Comment.objects.order_by("pk").values_list("pk", flat=True)[20:27])
    Comment.objects.filter(pk__in=same_instant).update(modified_at=timezone.now())
    return {
        "group": group,
        "olga": olga,
        "gus": gus,
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
    }


def walk(client, params: dict) -> list[bytes]:
    """Every page from the first by its next links, then back by the previous links."""
    response = client.get(COMMENTS, params)
    pages = []
    while True:
        assert response.status_code == 200, response.content
        pages.append(response.content)
        following = response.json()["next"]
        if following is None:
            break
        response = client.get(following)
    while (preceding := response.json()["previous"]) is not None:
        response = client.get(preceding)
        assert response.status_code == 200, response.content
        pages.append(response.content)
    return pages


def queries(client, params: dict | None = None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(COMMENTS, params or {})
    assert response.status_code == 200, response.content
    return len(captured), response


LISTS = [
    {},
    {"work": WORK},
    {"work": WORK, "ordering": "created"},
    {"work": WORK, "ordering": "-modified"},
    {"work": WORK, "ordering": "modified"},
    {"work": WORK, "ordering": "reading"},
    {"work": WORK, "version": "2"},
    {"work": WORK, "paragraph": "p3"},
    {"work": WORK, "group": "GROUP"},
    {"author": "alice"},
    {"author": "bob", "ordering": "created"},
]


def test_the_first_page_mixes_public_comments_with_what_only_the_reader_sees(discussion):
    shown = token_client(discussion["alice"]).get(COMMENTS).json()["results"]

    statuses = [(comment["status"], bool(comment["group"])) for comment in shown]
    assert {("published", False), ("pending", False), ("published", True)} <= set(statuses)
    # Interleaved, not one kind after the other.
    assert len([1 for a, b in zip(statuses, statuses[1:], strict=False) if a != b]) > 10
    assert any(comment["reply_count"] for comment in shown if comment["group"] is None)


@pytest.mark.parametrize("params", LISTS)
@pytest.mark.parametrize("page_size", [4, 50])
def test_it_lists_for_a_reader_exactly_what_the_uncached_list_does(
    discussion, settings, params, page_size
):
    alice = token_client(discussion["alice"])
    params = {
        name: discussion["group"].slug if value == "GROUP" else value
        for name, value in params.items()
    }
    params["page_size"] = page_size

    merged = [walk(alice, params), walk(alice, params)]  # kept, then from what was kept
    settings.SCHOLIA_PAGE_CACHE = False
    uncached = walk(alice, params)

    assert merged[0] == merged[1] == uncached
    assert page_size == 50 or len(uncached) > 2


@pytest.mark.parametrize(
    ("reader", "params"),
    [
        (None, {"work": WORK}),
        ("alice", {"work": WORK}),  # her held comments and replies among the public ones
        ("gus", {"work": WORK, "group": "GROUP"}),  # a member's group layer
    ],
)
def test_a_readers_kept_page_is_byte_for_byte_the_uncached_lists(
    discussion, settings, reader, params
):
    params = {name: discussion["group"].slug if v == "GROUP" else v for name, v in params.items()}
    token_client(discussion["bob"]).get(COMMENTS, params)  # the public part, kept by another
    client = client_for() if reader is None else token_client(discussion[reader])

    made, kept = client.get(COMMENTS, params), client.get(COMMENTS, params)
    settings.SCHOLIA_PAGE_CACHE = False
    uncached = client.get(COMMENTS, params)

    assert made.content == kept.content == uncached.content
    assert made["Content-Type"] == kept["Content-Type"] == uncached["Content-Type"]


def test_a_readers_kept_page_is_never_another_readers(discussion):
    alice = token_client(discussion["alice"])
    for _ in range(2):  # made and kept, then served as kept
        assert "Alice's held" in alice.get(COMMENTS).content.decode()

    for reader in ("bob", "charlie", "gus"):
        for _ in range(2):
            listed = token_client(discussion[reader]).get(COMMENTS).content.decode()
            assert "Alice's held" not in listed
            assert (CANARY in listed) == (reader == "gus")


def test_a_public_comments_reply_count_counts_the_readers_held_replies_for_them_only(
    discussion, settings
):
    alice, bob = token_client(discussion["alice"]), token_client(discussion["bob"])
    replied = Comment.objects.filter(body__startswith="Alice's held reply").first().parent_id

    def count(client) -> int:
        shown = client.get(COMMENTS, {"page_size": 200}).json()["results"]
        return next(comment["reply_count"] for comment in shown if comment["id"] == replied)

    assert (count(alice), count(bob)) == (1, 0)
    assert (count(alice), count(bob)) == (1, 0)  # from what was kept


def test_a_token_list_page_costs_no_query_once_kept(discussion):
    alice = token_client(discussion["alice"])

    # The token with its user, their roles and its use noted; the public part; alice's
    # part, and her replies beyond the public ones to its comments. Then nothing.
    assert [queries(alice)[0], queries(alice)[0]] == [6, 0]
    # With the token kept: the public part (none: a group's comments are never public),
    # alice's part. Then nothing.
    group = {"work": WORK, "group": discussion["group"].slug}
    assert [queries(alice, group)[0], queries(alice, group)[0]] == [2, 0]


def test_another_reader_is_served_the_public_part_another_kept(discussion):
    bob, alice = token_client(discussion["bob"]), token_client(discussion["alice"])
    queries(bob)

    # alice's token with its user and roles and its use noted, then her own part and her
    # replies: the public part was kept for bob.
    assert queries(alice)[0] == 5


def test_a_non_member_never_gets_a_group_comment_through_the_merged_list(discussion):
    group = {"work": WORK, "group": discussion["group"].slug}
    for client in (token_client(discussion["gus"]), token_client(discussion["alice"])):
        assert CANARY in client.get(COMMENTS).content.decode()
        assert CANARY in client.get(COMMENTS, group).content.decode()

    for outsider in (token_client(discussion["bob"]), token_client(discussion["charlie"])):
        for params in ({}, group, {"work": WORK, "page_size": 200}):
            for _ in range(2):
                assert CANARY not in outsider.get(COMMENTS, params).content.decode()
    assert CANARY not in client_for().get(COMMENTS).content.decode()


def test_nobody_else_gets_a_readers_held_comment_through_the_merged_list(discussion):
    alice = token_client(discussion["alice"])
    assert "Alice's held" in alice.get(COMMENTS, {"page_size": 200}).content.decode()

    for reader in ("bob", "gus", "olga"):
        listed = token_client(discussion[reader]).get(COMMENTS, {"page_size": 200})
        assert "Alice's held" not in listed.content.decode()
        assert "Alice's hidden" not in listed.content.decode()


def test_a_member_removed_from_a_group_stops_seeing_it_at_the_next_request(discussion):
    alice, group = token_client(discussion["alice"]), discussion["group"]
    assert CANARY in alice.get(COMMENTS).content.decode()
    assert CANARY in alice.get(COMMENTS, {"work": WORK, "group": group.slug}).content.decode()

    member_remove(group=group, user=discussion["alice"], by=discussion["olga"])

    assert CANARY not in alice.get(COMMENTS).content.decode()
    after = alice.get(COMMENTS, {"work": WORK, "group": group.slug})
    assert after.status_code == 200
    assert CANARY not in after.content.decode()
    # Her own comments in the group stay hers to see.
    assert "Seminar" in after.content.decode()


def test_a_token_limited_to_no_group_gets_none_though_its_owner_was_kept_with_them(discussion):
    owner = token_client(discussion["alice"])
    assert CANARY in owner.get(COMMENTS).content.decode()

    limited = token_client(discussion["alice"], group_slugs=[])

    shown = limited.get(COMMENTS, {"page_size": 200}).content.decode()
    assert CANARY not in shown
    assert "Seminar" not in shown
    assert "Alice's held" in shown


def test_a_revoked_token_is_refused_at_the_next_request(discussion):
    token, key = token_create(user=discussion["alice"], name="script")
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(COMMENTS).status_code == 200

    token_revoke(token=token, by=discussion["alice"])

    assert client.get(COMMENTS).status_code == 401


def test_an_expired_token_is_refused_at_the_next_request(discussion, monkeypatch):
    token, key = token_create(
        user=discussion["alice"], name="script", expires_at=timezone.now() + timedelta(hours=1)
    )
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(COMMENTS).status_code == 200

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert client.get(COMMENTS).status_code == 401


def test_a_token_whose_read_scope_is_taken_away_is_refused_at_the_next_request(discussion):
    token, key = token_create(user=discussion["alice"], name="script")
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(COMMENTS).status_code == 200

    token.scopes = "write"
    token.save(update_fields=["scopes"])

    assert client.get(COMMENTS).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).scopes == "write"


def test_a_deactivated_readers_token_is_refused_at_the_next_request(discussion):
    client = token_client(discussion["alice"])
    assert client.get(COMMENTS).status_code == 200

    discussion["alice"].is_active = False
    discussion["alice"].save()

    assert client.get(COMMENTS).status_code == 401


def test_what_changes_shows_at_the_next_request(
    discussion, october, settings, django_capture_on_commit_callbacks
):
    alice, bob = token_client(discussion["alice"]), token_client(discussion["bob"])
    alice.get(COMMENTS)
    bob.get(COMMENTS)

    settings.SCHOLIA_NEW_MEMBER_HELD = 1000  # alice is new again: held
    with django_capture_on_commit_callbacks(execute=True):
        held = post(discussion["alice"], october, "p2", "Alice's newest, held.")
    assert held.status == Comment.Status.PENDING
    assert alice.get(COMMENTS).json()["results"][0]["body"] == "Alice's newest, held."
    assert "Alice's newest" not in bob.get(COMMENTS).content.decode()

    settings.SCHOLIA_NEW_MEMBER_HELD = 0
    with django_capture_on_commit_callbacks(execute=True):
        public = post(discussion["bob"], october, "p2", "Bob's newest.")
    assert alice.get(COMMENTS).json()["results"][0]["body"] == "Bob's newest."

    moderator = make_user("mona")
    moderator.is_superuser = True
    moderator.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=public, moderator=moderator, action="hide", reason="Spam.")
    assert "Bob's newest" not in alice.get(COMMENTS).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reply = post(discussion["alice"], october, body="A reply.", parent=held)
    listed = {comment["id"]: comment for comment in alice.get(COMMENTS).json()["results"]}
    assert listed[held.pk]["reply_count"] == 1
    assert listed[reply.pk]["body"] == "A reply."

    bobs = Comment.objects.filter(author=discussion["bob"], status="published").last()
    counts = {"alice": 0, "bob": 0}
    for name, client in (("alice", alice), ("bob", bob)):
        counts[name] = reply_count_of(client, bobs.pk)
    settings.SCHOLIA_NEW_MEMBER_HELD = 1000
    with django_capture_on_commit_callbacks(execute=True):
        post(discussion["alice"], october, body="Held reply.", parent=bobs)
    assert reply_count_of(alice, bobs.pk) == counts["alice"] + 1
    assert reply_count_of(bob, bobs.pk) == counts["bob"]


def reply_count_of(client, pk: int) -> int:
    shown = client.get(COMMENTS).json()["results"]
    return next(comment["reply_count"] for comment in shown if comment["id"] == pk)


def test_a_moderators_list_is_read_for_them_and_never_kept(discussion):
    mona = make_user("mona")
    mona.is_superuser = True
    mona.save()
    moderator = token_client(mona, scopes=["read", "moderate"])

    for _ in range(2):
        cost, response = queries(moderator, {"page_size": 200})
        assert "Charlie's held" in response.content.decode()
        assert cost > 0
    assert "Charlie's held" not in token_client(discussion["bob"]).get(COMMENTS).content.decode()


def test_a_made_up_name_is_refused_and_a_made_up_group_keeps_nothing(discussion, settings):
    alice = token_client(discussion["alice"])
    alice.get(COMMENTS)  # the token kept

    refused = alice.get(COMMENTS, {"work": "no-such-work"})
    assert refused.status_code == 400
    assert [queries(alice, {"group": "no-such-group"})[0] for _ in range(2)] == [2, 2]
    settings.SCHOLIA_PAGE_CACHE = False
    assert alice.get(COMMENTS, {"work": "no-such-work"}).content == refused.content


def test_every_order_of_the_list_runs_one_way():
    # The merge sorts the two parts by all of an order's fields in one direction.
    for fields in ORDERINGS.values():
        assert len({field.startswith("-") for field in fields}) == 1, fields
