"""Scoped, expiring API tokens limited to reading groups, through the API and the tokens page.

Personas: olga owns the seminar, gus is a member of it and of a second group, the book club;
mona moderates the site; nina is an outsider. The canary is gus's comment in the seminar;
the book club's canary is his comment there.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from commentary.accounts.models import ApiToken, key_hash
from commentary.accounts.tokens import token_create
from commentary.groups.services import group_create
from commentary.moderation.decisions import flag_create
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url
from tests.commentary.builders import make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"
BOOK_CLUB_CANARY = "Words only the book club may read."


def with_key(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def key_for(user, *scopes: str, **options) -> str:
    return token_create(user=user, name="script", scopes=scopes or ["read"], **options)[1]


def bodies(response) -> list[str]:
    return [comment["body"] for comment in response.json()["results"]]


@pytest.fixture
def two_groups(october):
    seminar, olga, gus = make_seminar(october)
    book_club = group_create(owner=make_user("bea"), name="Book club", works=[october.slug])
    join(book_club, gus)
    canary = group_post(gus, october, seminar)
    club_canary = group_post(gus, october, book_club, body=BOOK_CLUB_CANARY)
    public = post(gus, october, "p2", "A public comment.")
    return {
        "seminar": seminar,
        "book_club": book_club,
        "gus": gus,
        "olga": olga,
        "canary": canary,
        "club_canary": club_canary,
        "public": public,
    }


# Scopes -----------------------------------------------------------------------------------


def test_a_read_token_reads_but_may_not_write(october):
    alice = make_user("alice")
    client = with_key(key_for(alice, "read"))

    assert client.get(COMMENTS).status_code == 200
    response = client.post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Hi."}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="write"' in challenge


def test_a_write_token_writes(october):
    alice = make_user("alice")
    client = with_key(key_for(alice, "read", "write"))
    response = client.post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Hi."}, format="json"
    )
    assert response.status_code == 201


def test_a_write_only_token_may_not_read(october):
    client = with_key(key_for(make_user("alice"), "write"))
    response = client.get(COMMENTS)
    assert response.status_code == 403
    assert 'scope="read"' in response["WWW-Authenticate"]


def test_moderating_needs_the_moderate_scope(october):
    mona = make_moderator()
    comment = post(make_user("alice"), october, "p2", "Hold me.")
    decision = {"action": "hide", "reason": "Off topic."}

    without = with_key(key_for(mona, "read", "write"))
    refused = without.post(comment_url(comment.pk, "moderate/"), decision, format="json")
    queue = without.get("/api/v1/moderation/queue/")

    assert refused.status_code == queue.status_code == 403
    assert 'scope="moderate"' in refused["WWW-Authenticate"]
    assert (
        with_key(key_for(mona, "read", "moderate"))
        .post(comment_url(comment.pk, "moderate/"), decision, format="json")
        .status_code
        == 200
    )


def test_a_token_without_the_moderate_scope_reads_as_a_plain_reader(october):
    mona = make_moderator()
    held = set_status(post(make_user("alice"), october, "p2", "Held for review."), "pending")

    plain = with_key(key_for(mona, "read")).get(comment_url(held.pk))
    moderating = with_key(key_for(mona, "read", "moderate")).get(comment_url(held.pk))

    assert plain.status_code == 404
    assert moderating.status_code == 200


def test_changing_groups_needs_the_groups_manage_scope(october):
    olga = make_user("olga")
    founding = {"name": "Tuesday seminar", "works": ["october-1917"]}

    refused = with_key(key_for(olga, "read", "write")).post(
        "/api/v1/groups/", founding, format="json"
    )
    allowed = with_key(key_for(olga, "groups:manage")).post(
        "/api/v1/groups/", founding, format="json"
    )

    assert refused.status_code == 403
    assert 'scope="groups:manage"' in refused["WWW-Authenticate"]
    assert allowed.status_code == 201


def test_an_expired_token_answers_401(october):
    alice = make_user("alice")
    token, raw_key = token_create(
        user=alice, name="old", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = with_key(raw_key).get(COMMENTS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "expired" in response.json()["detail"]


def test_a_session_needs_no_scope(october):
    olga = make_user("olga")
    response = client_for(olga).post(
        "/api/v1/groups/", {"name": "Tuesday seminar", "works": ["october-1917"]}, format="json"
    )
    assert response.status_code == 201


# Limits to groups: the group canary -------------------------------------------------------


def test_a_token_limited_to_no_group_reads_only_the_public_discussion(two_groups):
    gus = two_groups["gus"]
    client = with_key(key_for(gus, "read", group_slugs=[]))

    listing = client.get(COMMENTS)

    assert bodies(listing) == ["A public comment."]
    for canary in (two_groups["canary"], two_groups["club_canary"]):
        assert client.get(comment_url(canary.pk)).status_code == 404
        assert client.get(comment_url(canary.pk, "thread/")).status_code == 404
    assert CANARY not in client.get("/api/v1/works/october-1917/annotations/").content.decode()
    assert client.get("/api/v1/groups/").json() == []


def test_a_token_limited_to_one_group_reveals_no_other(two_groups):
    gus = two_groups["gus"]
    client = with_key(key_for(gus, "read", group_slugs=[two_groups["seminar"].slug]))

    listing = client.get(COMMENTS)
    club = client.get(COMMENTS, {"group": two_groups["book_club"].slug})

    assert sorted(bodies(listing)) == sorted([CANARY, "A public comment."])
    assert BOOK_CLUB_CANARY not in listing.content.decode()
    assert club.status_code in (200, 400, 404)
    assert BOOK_CLUB_CANARY not in club.content.decode()
    assert client.get(comment_url(two_groups["club_canary"].pk)).status_code == 404
    assert [group["slug"] for group in client.get("/api/v1/groups/").json()] == [
        two_groups["seminar"].slug
    ]


def test_a_token_limited_to_groups_cannot_post_into_another(two_groups):
    gus = two_groups["gus"]
    client = with_key(key_for(gus, "read", "write", group_slugs=[two_groups["seminar"].slug]))
    comment = {"work": "october-1917", "paragraph": "p2", "body": "Hi."}

    into_club = client.post(
        COMMENTS, {**comment, "group": two_groups["book_club"].slug}, format="json"
    )
    into_seminar = client.post(
        COMMENTS, {**comment, "group": two_groups["seminar"].slug}, format="json"
    )

    assert into_club.status_code == 400
    assert into_seminar.status_code == 201


def test_a_moderators_token_limited_to_no_group_sees_no_flagged_group_comment(two_groups):
    mona = make_moderator()
    flag_create(comment=two_groups["canary"], user=two_groups["olga"], reason="spam")

    unlimited = with_key(key_for(mona, "read", "moderate"))
    limited = with_key(key_for(mona, "read", "moderate", group_slugs=[]))

    assert unlimited.get(comment_url(two_groups["canary"].pk)).status_code == 200
    assert limited.get(comment_url(two_groups["canary"].pk)).status_code == 404
    assert CANARY not in limited.get("/api/v1/moderation/queue/").content.decode()


# The tokens API ---------------------------------------------------------------------------


def test_it_creates_a_token_through_the_api_and_shows_the_key_once(two_groups):
    gus = two_groups["gus"]
    client = client_for(gus)
    expiry = (timezone.now() + timedelta(days=30)).replace(microsecond=0)

    response = client.post(
        TOKENS,
        {
            "name": "course mirror",
            "scopes": ["read", "write"],
            "expires_at": expiry.isoformat(),
            "groups": [two_groups["seminar"].slug],
        },
        format="json",
    )

    assert response.status_code == 201
    data = response.json()
    token = ApiToken.objects.get(pk=data["id"])
    assert data["key"].startswith(data["prefix"])
    assert token.key_hash == key_hash(data["key"])
    assert data["scopes"] == ["read", "write"]
    assert data["groups"] == [two_groups["seminar"].slug]
    assert response["Location"].endswith(f"{TOKENS}{token.pk}/")
    listed = client.get(TOKENS).json()
    assert [row["name"] for row in listed] == ["course mirror"]
    assert "key" not in listed[0]
    assert data["key"] not in client.get(f"{TOKENS}{token.pk}/").content.decode()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "scopes": ["admin"]}, "scopes.0"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "x", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "groups": ["no-such-group"]}, "groups"),
    ],
)
def test_it_refuses_a_bad_token_with_a_400_naming_the_field(two_groups, payload, field):
    response = client_for(two_groups["gus"]).post(TOKENS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_will_not_limit_a_token_to_a_group_its_owner_is_not_in(two_groups):
    nina = make_user("nina")
    response = client_for(nina).post(
        TOKENS, {"name": "x", "groups": [two_groups["seminar"].slug]}, format="json"
    )
    unknown = client_for(nina).post(TOKENS, {"name": "x", "groups": ["nothing"]}, format="json")
    assert response.status_code == unknown.status_code == 400
    assert response.json()["errors"]["groups"] != []


def test_a_token_makes_no_token_wider_than_itself(two_groups):
    gus = two_groups["gus"]
    soon = timezone.now() + timedelta(days=2)
    client = with_key(
        key_for(gus, "read", "write", expires_at=soon, group_slugs=[two_groups["seminar"].slug])
    )

    wider_scope = client.post(TOKENS, {"name": "x", "scopes": ["moderate"]}, format="json")
    other_group = client.post(
        TOKENS, {"name": "x", "groups": [two_groups["book_club"].slug]}, format="json"
    )
    every_group = client.post(TOKENS, {"name": "x"}, format="json")
    longer = client.post(
        TOKENS,
        {"name": "x", "groups": [], "expires_at": (soon + timedelta(days=1)).isoformat()},
        format="json",
    )
    narrower = client.post(TOKENS, {"name": "x", "groups": []}, format="json")

    assert wider_scope.status_code == 403
    assert 'scope="moderate"' in wider_scope["WWW-Authenticate"]
    assert other_group.status_code == every_group.status_code == longer.status_code == 400
    assert narrower.status_code == 201
    made = ApiToken.objects.get(pk=narrower.json()["id"])
    assert made.expires_at == ApiToken.objects.exclude(pk=made.pk).get().expires_at


def test_it_revokes_a_token_through_the_api(october):
    alice = make_user("alice")
    token, raw_key = token_create(user=alice, name="script", scopes=["read", "write"])
    client = with_key(raw_key)

    assert client.delete(f"{TOKENS}{token.pk}/").status_code == 204
    assert client.get(COMMENTS).status_code == 401


def test_another_members_token_is_a_404(october):
    token, _ = token_create(user=make_user("alice"), name="script")
    bob = client_for(make_user("bob"))
    assert bob.get(f"{TOKENS}{token.pk}/").status_code == 404
    assert bob.delete(f"{TOKENS}{token.pk}/").status_code == 404
    assert client_for().get(TOKENS).status_code == 401


# The tokens page and the password ---------------------------------------------------------


def test_the_tokens_page_creates_a_scoped_expiring_token_limited_to_a_group(client, two_groups):
    gus = two_groups["gus"]
    client.force_login(gus)
    page = client.get(reverse("people:token-list")).content.decode()
    assert "Book club" in page and "Tuesday seminar" in page

    response = client.post(
        reverse("people:token-list"),
        {
            "name": "seminar reader",
            "scopes": ["read"],
            "expires_in": "30",
            "limited_to_groups": "on",
            "groups": [two_groups["seminar"].slug],
        },
    )

    assert response["Location"] == reverse("people:token-created")
    token = ApiToken.objects.get()
    assert token.scope_list == ["read"]
    assert token.group_ids() == {two_groups["seminar"].pk}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    listing = client.get(reverse("people:token-list")).content.decode()
    assert "only in:" in listing


def test_the_tokens_page_refuses_a_token_without_a_scope(client, october):
    client.force_login(make_user("alice"))
    response = client.post(reverse("people:token-list"), {"name": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert not ApiToken.objects.exists()


def test_it_revokes_every_token_at_once(client, october):
    alice = make_user("alice")
    for name in ("one", "two"):
        token_create(user=alice, name=name)
    client.force_login(alice)
    client.post(reverse("people:token-revoke-all"))
    assert not ApiToken.objects.active().exists()


@pytest.mark.parametrize("revoke", [True, False])
def test_changing_ones_password_offers_to_revoke_every_token(client, october, revoke):
    alice = make_user("alice")
    alice.set_password("an-old-password-1")
    alice.save()
    token_create(user=alice, name="script")
    client.force_login(alice)
    form = client.get(reverse("account_change_password")).content.decode()
    assert "Also revoke all my API tokens" in form

    data = {
        "oldpassword": "an-old-password-1",
        "password1": "a-new-password-2",
        "password2": "a-new-password-2",
    }
    if revoke:
        data["revoke_tokens"] = "on"
    response = client.post(reverse("account_change_password"), data)

    assert response.status_code == 302
    assert ApiToken.objects.active().exists() is not revoke
