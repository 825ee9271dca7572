"""A reading group's discussion stays inside it, on every page that shows comments.

The canary is a comment a member wrote in a private group, with a reply by another member.
Three outsiders look at every surface: an anonymous reader, a signed-in non-member, and a
site moderator outside the group. Each must see exactly the page they saw before the group
wrote anything: neither the words nor a changed count. A member removed from the group
loses access at once.
"""

import re

import pytest
from django.core.cache import cache

from commentary.groups.services import member_remove
from commentary.services import comment_create
from tests.commentary.builders import client_for, htmx_headers, make_user, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

REPLY = "A reply that stays in the seminar."
# Tokens differ on every response; nothing else may.
CSRF = re.compile(r'(name="csrfmiddlewaretoken"|csrf[-_]token[^>]*?) (value|content)="[^"]*"')


def surfaces(client, comment_ids: list[int], group: str = "tuesday-seminar") -> dict[str, str]:
    """Every page that shows comments or their counts, as ``client`` sees it, in the
    public discussion and in the layer of ``group`` (a slug)."""
    pages = {
        "reading page": "/works/october-1917/",
        "reading page on p3": "/works/october-1917/?discussion=p3",
        "paragraph page": "/works/october-1917/p/p3/",
        "reading page in the group": f"/works/october-1917/?group={group}",
        "reading page in the group on p3": f"/works/october-1917/?group={group}&discussion=p3",
        "version page in the group": f"/works/october-1917/v/1/?group={group}",
        "paragraph page in the group": f"/works/october-1917/p/p3/?group={group}",
        "author's profile": "/users/gus/",
        "replier's profile": "/users/una/",
    }
    for number, pk in enumerate(comment_ids):
        pages[f"permalink {number}"] = f"/comments/{pk}/"
        pages[f"history {number}"] = f"/comments/{pk}/history/"
    seen = {}
    for name, url in pages.items():
        cache.clear()
        response = client.get(url)
        html = CSRF.sub("", response.content.decode())
        # A page about a comment names its address; only what it says of it may differ.
        for pk in comment_ids:
            html = html.replace(f"/comments/{pk}/", "/comments/N/")
        seen[name] = (response.status_code, html)
    for name, query in (("discussion", ""), ("discussion in the group", f"?group={group}")):
        cache.clear()
        discussion = client.get(
            f"/works/october-1917/p/p3/discussion/{query}", headers=htmx_headers()
        )
        seen[name] = (discussion.status_code, CSRF.sub("", discussion.content.decode()))
    return seen


@pytest.fixture
def seminar(work):
    group, olga, gus = make_seminar(work)
    una = make_user("una", "Una")
    join(group, una)
    post(make_user("alice"), work, body="The public discussion.")
    return group, olga, gus, una


def outsiders():
    return {"anonymous": None, "non-member": make_user("nina"), "site moderator": make_moderator()}


def test_outsiders_see_every_page_as_if_the_group_had_written_nothing(work, seminar):
    group, _olga, gus, una = seminar
    people = outsiders()
    missing = [10**9, 10**9 + 1]
    before = {name: surfaces(client_for(user), missing) for name, user in people.items()}

    canary = group_post(gus, work, group)
    reply = comment_create(author=una, parent=canary, body=REPLY)

    for name, user in people.items():
        after = surfaces(client_for(user), [canary.pk, reply.pk])
        # The group's comments answer exactly as comments that do not exist.
        assert list(after.values()) == list(before[name].values()), name
        for surface, (_status, html) in after.items():
            assert CANARY not in html and REPLY not in html, (name, surface)


def test_members_see_the_groups_comments_on_those_pages(work, seminar):
    group, olga, gus, una = seminar
    canary = group_post(gus, work, group)
    comment_create(author=una, parent=canary, body=REPLY)

    for member in (olga, gus, una):
        seen = surfaces(client_for(member), [canary.pk])
        assert seen["permalink 0"][0] == 200
        surfaces_in_layer = (
            "paragraph page in the group",
            "reading page in the group on p3",
            "discussion in the group",
        )
        for surface in ("permalink 0", "author's profile", *surfaces_in_layer):
            assert CANARY in seen[surface][1], (member, surface)
        # The public discussion is the public one, for members too.
        for surface in ("paragraph page", "reading page on p3", "discussion"):
            assert CANARY not in seen[surface][1], (member, surface)
        assert REPLY in seen["replier's profile"][1], member


def test_a_reply_to_a_group_comment_from_outside_answers_as_one_to_nothing(work, seminar):
    group, _olga, gus, _una = seminar
    canary = group_post(gus, work, group)
    nina = client_for(make_user("nina"))

    to_canary = nina.post(f"/comments/{canary.pk}/reply/", {"body": "Let me in."})
    to_nothing = nina.post(f"/comments/{10**9}/reply/", {"body": "Let me in."})

    assert to_canary.status_code == to_nothing.status_code == 404
    assert CSRF.sub("", to_canary.content.decode()) == CSRF.sub("", to_nothing.content.decode())


def test_a_removed_member_loses_every_page_at_once(work, seminar):
    group, olga, gus, una = seminar
    canary = group_post(gus, work, group)
    client = client_for(una)
    assert CANARY in surfaces(client, [canary.pk])["paragraph page in the group"][1]

    member_remove(group=group, by=olga, user=una)

    seen = surfaces(client, [canary.pk])
    assert seen["permalink 0"][0] == 404
    # The group's layer is gone with the membership: it answers as one that never was.
    unknown = surfaces(client, [canary.pk], group="no-such-group")
    for surface in [name for name in seen if "in the group" in name]:
        assert seen[surface][0] == 404, surface
        assert seen[surface] == unknown[surface], surface
    for surface, (_status, html) in seen.items():
        assert CANARY not in html, surface


def group_surfaces(client, slug: str) -> dict[str, tuple[int, str]]:
    """The group's own pages and API answers, as ``client`` sees them."""
    addresses = {
        "group page": f"/groups/{slug}/",
        "settings": f"/groups/{slug}/settings/",
        "comments list": f"/groups/{slug}/comments/",
        "participation": f"/groups/{slug}/participation/",
        "participation csv": f"/groups/{slug}/participation.csv",
        "api detail": f"/api/v1/groups/{slug}/",
        "api participation": f"/api/v1/groups/{slug}/participation/",
    }
    seen = {}
    for name, address in addresses.items():
        response = client.get(address)
        seen[name] = (response.status_code, CSRF.sub("", response.content.decode()))
    return seen


def test_outsiders_find_nothing_of_the_group_on_its_own_pages_and_api(work, seminar):
    group, _olga, gus, una = seminar
    canary = group_post(gus, work, group)
    comment_create(author=una, parent=canary, body=REPLY)

    for name, user in outsiders().items():
        client = client_for(user)
        seen = group_surfaces(client, group.slug)
        missing = group_surfaces(client, "no-such-group")
        for surface, (status, html) in seen.items():
            assert status in (302, 401, 404), (name, surface, status)
            assert (status, html.replace(group.slug, "no-such-group")) == missing[surface], (
                name,
                surface,
            )
            for secret in (CANARY, REPLY, "Tuesday seminar", "Gus", "Una"):
                assert secret not in html, (name, surface, secret)


def test_a_discoverable_group_still_shows_outsiders_no_comment_member_or_count(work, seminar):
    from commentary.groups.services import group_update

    group, olga, gus, una = seminar
    group_update(group=group, by=olga, discoverable=True)
    group_post(gus, work, group)

    for name, user in outsiders().items():
        seen = group_surfaces(client_for(user), group.slug)
        assert seen["group page"][0] == 200 and seen["api detail"][0] == 200, name
        for surface, (_status, html) in seen.items():
            for secret in (CANARY, "Gus", "Una", "Olga", "3 members", group.invite_code):
                assert secret not in html, (name, surface, secret)


def test_members_and_leaders_see_the_canary_on_the_groups_pages(work, seminar):
    group, olga, gus, una = seminar
    group_post(gus, work, group)

    member = group_surfaces(client_for(una), group.slug)
    leader = group_surfaces(client_for(olga), group.slug)

    assert CANARY in member["group page"][1]
    assert member["comments list"][0] == member["participation"][0] == 404
    assert CANARY in leader["comments list"][1]
    assert "gus" in leader["participation csv"][1]


def test_a_removed_member_loses_the_groups_pages_at_once(work, seminar):
    group, olga, gus, una = seminar
    group_post(gus, work, group)
    client = client_for(una)
    assert CANARY in group_surfaces(client, group.slug)["group page"][1]

    member_remove(group=group, by=olga, user=una)

    for surface, (status, html) in group_surfaces(client, group.slug).items():
        assert status == 404, surface
        assert CANARY not in html, surface
