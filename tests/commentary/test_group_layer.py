"""Reading "with" a group: the layer of the discussion a member chooses with ``?group=``.

olga leads the Tuesday seminar, gus is in it, nina is not; alice writes in public. The
layer shows the group's threads apart from the public ones, counts them apart in the
margin, posts to the group unless the reader chooses public, and in a "post first" group
keeps the others' readings of a paragraph until the member has written there.
"""

import json
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from tests.commentary.builders import client_for, htmx_headers, make_user, make_work, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
PUBLIC = "Words for everybody."
CSRF = re.compile(r'(name="csrfmiddlewaretoken"|csrf[-_]token[^>]*?) (value|content)="[^"]*"')


@pytest.fixture
def seminar(work):
    group, olga, gus = make_seminar(work)
    post(make_user("alice"), work, body=PUBLIC)
    return group, olga, gus


def layered(group, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in {"group": group.slug, **params}.items())
    return f"{READING}?{query}"


def toggle(html: str, key: str = "p3") -> str:
    return re.search(rf'<a class="comment-toggle[^>]*data-discussion-toggle="{key}".*?</a>', html)[
        0
    ]


def section(html: str, start: str) -> str:
    """The <section> that opens with ``start`` (an id or class fragment)."""
    at = html.index(start)
    return html[at : html.index("</section>", at)]


def discussion(client, group=None, key: str = "p3"):
    query = f"?group={group.slug}" if group else ""
    return client.get(
        f"/works/october-1917/p/{key}/discussion/{query}", headers=htmx_headers(READING)
    )


# The switch


def test_it_shows_a_member_the_switch_with_the_public_discussion_current(seminar):
    group, _olga, gus = seminar
    html = client_for(gus).get(READING).content.decode()

    switch = re.search(r'<nav class="layer-switch".*?</nav>', html, re.S)[0]
    assert 'aria-current="page">Public</a>' in switch
    assert f'href="{READING}?group={group.slug}"' in switch
    assert ">Tuesday seminar</a>" in switch


def test_it_marks_the_group_current_in_its_layer_and_keeps_the_open_discussion(seminar):
    group, _olga, gus = seminar
    html = client_for(gus).get(layered(group, discussion="p3")).content.decode()

    switch = re.search(r'<nav class="layer-switch".*?</nav>', html, re.S)[0]
    assert (
        f'href="{READING}?group={group.slug}&amp;discussion=p3#p3" data-layer-link '
        'aria-current="page">Tuesday seminar' in switch
    )
    assert f'href="{READING}?discussion=p3#p3" data-layer-link>Public' in switch


def test_it_links_back_to_the_groups_page_from_its_layer_only(seminar):
    group, _olga, gus = seminar
    client = client_for(gus)
    back = f'<a class="layer-switch-about" href="/groups/{group.slug}/">'

    in_layer = client.get(layered(group)).content.decode()
    switch = re.search(r'<nav class="layer-switch".*?</nav>', in_layer, re.S)[0]
    assert back in switch and "The group's page</a>" in switch
    assert back not in client.get(READING).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "nina"])
def test_it_shows_no_switch_to_readers_in_no_group(seminar, reader):
    user = make_user("nina") if reader == "nina" else None
    assert b"layer-switch" not in client_for(user).get(READING).content


def test_a_member_of_several_groups_chooses_which_layer_to_read(seminar, work):
    group, _olga, gus = seminar
    club = group_create(owner=gus, name="Book club", works=[work.slug])
    group_post(gus, work, group, body="For the seminar.")
    group_post(gus, work, club, body="For the club.")
    client = client_for(gus)

    switch = re.search(
        r'<nav class="layer-switch".*?</nav>', client.get(READING).content.decode(), re.S
    )[0]
    in_club = discussion(client, club).content.decode()

    assert switch.index("Public") < switch.index("Book club") < switch.index("Tuesday seminar")
    assert "For the club." in in_club and "For the seminar." not in in_club


def test_it_offers_only_the_groups_that_read_this_work(seminar):
    _group, _olga, gus = seminar
    make_work(slug="other-work", title="Another work")
    group_create(owner=gus, name="Other readers", works=["other-work"])

    html = client_for(gus).get(READING).content.decode()

    assert "Other readers" not in html


# What a reader may not use answers as what does not exist


@pytest.mark.parametrize(
    ("reader", "slug"),
    [
        ("anonymous", "tuesday-seminar"),
        ("nina", "tuesday-seminar"),
        ("gus", "other-readers"),
    ],
    ids=["anonymous", "non-member", "group-not-reading-this-work"],
)
@pytest.mark.parametrize(
    "url",
    [
        "/works/october-1917/?group={}",
        "/works/october-1917/v/1/?group={}",
        "/works/october-1917/?group={}&discussion=p3",
        "/works/october-1917/p/p3/?group={}",
    ],
)
def test_it_answers_a_group_the_reader_may_not_use_as_an_unknown_one(seminar, reader, slug, url):
    _group, _olga, gus = seminar
    make_work(slug="other-work", title="Another work")
    group_create(owner=gus, name="Other readers", works=["other-work"])
    people = {"anonymous": None, "nina": make_user("nina"), "gus": gus}
    client = client_for(people[reader])

    refused = client.get(url.format(slug))
    unknown = client.get(url.format("no-such-group"))

    assert refused.status_code == unknown.status_code == 404
    # The page names the address asked for (to sign in and come back); nothing else differs.
    seen = [
        CSRF.sub("", response.content.decode()).replace(asked, "SLUG")
        for response, asked in ((refused, slug), (unknown, "no-such-group"))
    ]
    assert seen[0] == seen[1]


def test_it_answers_404_in_the_panel_and_the_forms_for_a_group_not_the_readers(seminar, work):
    group, _olga, gus = seminar
    nina = client_for(make_user("nina"))
    canary = group_post(gus, work, group)
    public = Comment.objects.get(body=PUBLIC)

    assert discussion(nina, group).status_code == 404
    created = nina.post(
        f"/works/october-1917/p/p3/comments/?group={group.slug}",
        {"body": "Let me in.", "post_to": "group"},
    )
    assert created.status_code == 404
    assert nina.get(f"/comments/{public.pk}/reply/?group={group.slug}").status_code == 404
    assert Comment.objects.filter(body="Let me in.").count() == 0
    assert canary.pk


# The margin


def test_it_counts_the_public_and_the_groups_comments_apart_in_the_layer(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)
    group_post(gus, work, group, body="A second thought.")

    html = client_for(gus).get(layered(group)).content.decode()

    control = toggle(html)
    assert 'data-count="1" data-layer-count="2"' in control
    assert '<span class="comment-toggle-label" aria-hidden="true">1</span>' in control
    assert ">2 in group</span>" in control
    assert "1 public comment, 2 in Tuesday seminar</span>" in control
    assert f'href="{READING}?group={group.slug}&amp;discussion=p3#p3"' in control
    assert f'data-hx-get="/works/october-1917/p/p3/discussion/?group={group.slug}"' in control


def test_it_counts_only_the_public_discussion_without_a_layer_for_members_too(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)

    control = toggle(client_for(gus).get(READING).content.decode())

    assert 'data-count="1"' in control and "data-layer-count" not in control
    assert ">1 comment</span>" in control


def test_it_keeps_the_layer_on_a_versions_links(seminar):
    group, _olga, gus = seminar
    html = client_for(gus).get(f"/works/october-1917/v/1/?group={group.slug}").content.decode()

    assert f'href="/works/october-1917/v/1/?group={group.slug}"' in html
    # Version 1 is the current one: its discussions open on the work's reading page.
    assert f'href="{READING}?group={group.slug}&amp;discussion=p3#p3"' in html


# The panel


def test_it_shows_the_groups_threads_labelled_and_apart_from_the_public_ones(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)

    html = discussion(client_for(gus), group).content.decode()

    in_group = section(html, 'id="group-discussion-p3"')
    in_public = section(html, 'class="discussion-layer discussion-layer-public"')
    assert '<h3 class="discussion-layer-title" id="group-title-p3">Tuesday seminar</h3>' in in_group
    assert CANARY in in_group and PUBLIC not in in_group
    assert PUBLIC in in_public and CANARY not in in_public
    assert f'href="/works/october-1917/?group={group.slug}#p3"' in html  # Close keeps it


def test_it_shows_members_only_the_public_threads_outside_the_layer(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)

    html = discussion(client_for(gus)).content.decode()

    assert PUBLIC in html and CANARY not in html
    # The form says where else they could write.
    assert "You are writing in the public discussion." in html
    assert f"?group={group.slug}&amp;discussion=p3#p3" in html


def test_it_offers_the_group_checked_and_the_public_as_a_labelled_choice(seminar):
    group, _olga, gus = seminar
    html = discussion(client_for(gus), group).content.decode()

    choice = re.search(r'<fieldset class="field post-to.*?</fieldset>', html, re.S)[0]
    assert "<legend>Post to</legend>" in choice
    radio = r'<label[^>]*><input type="radio" name="post_to" value='
    assert re.search(rf'{radio}"group" checked', choice)
    assert re.search(rf'{radio}"public">', choice)
    assert f'action="/works/october-1917/p/p3/comments/?group={group.slug}"' in html


# Posting in a layer


def create(client, group, **data):
    return client.post(
        f"/works/october-1917/p/p3/comments/?group={group.slug}",
        {"body": "Posted from the layer.", **data},
        headers=htmx_headers(f"{READING}?group={group.slug}&discussion=p3"),
    )


def test_it_posts_to_the_group_by_default_and_to_the_public_when_chosen(seminar):
    group, _olga, gus = seminar
    client = client_for(gus)

    create(client, group, post_to="group", body="To the group.")
    create(client, group, post_to="public", body="To everybody.")

    assert Comment.objects.get(body="To the group.").group == group
    assert Comment.objects.get(body="To everybody.").group is None


@pytest.mark.parametrize("choice", [None, "", "elsewhere"])
def test_it_refuses_a_missing_or_unknown_choice_with_a_clear_error(seminar, choice):
    group, _olga, gus = seminar
    data = {} if choice is None else {"post_to": choice}

    response = create(client_for(gus), group, **data)

    assert response.status_code == 400
    assert "Choose where to post: the group or the public discussion." in response.content.decode()
    assert not Comment.objects.filter(body="Posted from the layer.").exists()


def test_it_renders_the_groups_section_again_and_counts_both_after_posting(seminar):
    group, _olga, gus = seminar

    response = create(client_for(gus), group, post_to="group")

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#group-discussion-p3"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert "Posted from the layer." in section(html, 'id="group-discussion-p3"')
    assert 'data-hx-swap-oob="true"' in html and 'value="group" checked' in html
    changed = json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]
    assert changed["count"] == 1 and changed["countLabel"] == "1"
    assert changed["layerCount"] == 1 and changed["layerLabel"] == "1 in group"
    assert changed["countName"] == "1 public comment, 1 in Tuesday seminar"


def test_it_appends_a_public_comment_posted_from_the_layer_to_the_public_threads(seminar):
    group, _olga, gus = seminar

    response = create(client_for(gus), group, post_to="public")

    assert response["HX-Retarget"] == "#threads-p3"
    changed = json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]
    assert (changed["count"], changed["layerCount"]) == (2, 0)


def test_it_brings_a_reader_without_javascript_back_to_the_layer_at_their_comment(seminar):
    group, _olga, gus = seminar
    client = client_for(gus)

    response = client.post(
        f"/works/october-1917/p/p3/comments/?group={group.slug}",
        {"body": "Without script.", "post_to": "group"},
    )

    comment = Comment.objects.get(body="Without script.")
    assert response.status_code == 302
    assert response["Location"] == f"{READING}?group={group.slug}&discussion=p3#c{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Without script." in section(page, 'id="group-discussion-p3"')


def test_a_refused_comment_without_javascript_leads_back_to_the_groups_layer(seminar):
    group, _olga, gus = seminar

    response = client_for(gus).post(
        f"/works/october-1917/p/p3/comments/?group={group.slug}",
        {"body": "   ", "post_to": "public"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="/works/october-1917/p/p3/?group={group.slug}#discussion">' in html
    assert 'value="public" checked' in html


def test_it_says_a_reply_stays_in_the_threads_group(seminar, work):
    group, _olga, gus = seminar
    canary = group_post(gus, work, group)
    public = Comment.objects.get(body=PUBLIC)
    client = client_for(gus)

    in_group = client.get(f"/comments/{canary.pk}/reply/?group={group.slug}").content.decode()
    in_public = client.get(f"/comments/{public.pk}/reply/?group={group.slug}").content.decode()

    assert ">Reply in Tuesday seminar</button>" in in_group
    assert f'action="/comments/{canary.pk}/reply/?group={group.slug}"' in in_group
    assert ">Post reply</button>" in in_public


def test_a_reply_in_the_layer_updates_the_groups_count(seminar, work):
    group, olga, gus = seminar
    canary = group_post(gus, work, group)

    response = client_for(olga).post(
        f"/comments/{canary.pk}/reply/?group={group.slug}",
        {"body": "The leader answers."},
        headers=htmx_headers(f"{READING}?group={group.slug}&discussion=p3"),
    )

    assert Comment.objects.get(body="The leader answers.").group == group
    changed = json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]
    assert changed["layerCount"] == 2


def test_deleting_in_the_layer_updates_the_groups_count(seminar, work):
    group, _olga, gus = seminar
    canary = group_post(gus, work, group)

    response = client_for(gus).post(
        f"/comments/{canary.pk}/delete/?group={group.slug}",
        headers=htmx_headers(f"{READING}?group={group.slug}&discussion=p3"),
    )

    changed = json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]
    assert (changed["count"], changed["layerCount"]) == (1, 0)
    assert changed["countName"] == "1 public comment, 0 in Tuesday seminar"


# Post first


@pytest.fixture
def post_first(work):
    group, olga, gus = make_seminar(work, post_first=True)
    una = make_user("una", "Una")
    join(group, una)
    group_post(gus, work, group)
    return group, olga, gus, una


def test_it_tells_a_member_how_many_readings_wait_for_their_own(post_first):
    group, _olga, _gus, una = post_first

    html = discussion(client_for(una), group).content.decode()

    in_group = section(html, 'id="group-discussion-p3"')
    assert "1 reading from the group appears here once you post your own." in in_group
    assert CANARY not in html


def test_it_says_so_before_anybody_wrote_on_the_paragraph(post_first):
    group, _olga, _gus, una = post_first

    html = discussion(client_for(una), group, key="p4").content.decode()

    assert "appear here once you post your own." in html


def test_it_shows_the_others_readings_once_the_member_posted_with_htmx(post_first):
    group, _olga, _gus, una = post_first

    response = create(client_for(una), group, post_to="group", body="My own reading.")

    html = response.content.decode()
    assert CANARY in html and "My own reading." in html
    assert "once you post your own" not in html
    changed = json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]
    assert changed["layerCount"] == 2


def test_it_shows_the_others_readings_once_the_member_posted_without_javascript(post_first):
    group, _olga, _gus, una = post_first
    client = client_for(una)

    response = client.post(
        f"/works/october-1917/p/p3/comments/?group={group.slug}",
        {"body": "My own reading.", "post_to": "group"},
    )

    page = client.get(response["Location"]).content.decode()
    assert CANARY in section(page, 'id="group-discussion-p3"')
    assert "once you post your own" not in page


def test_a_public_comment_opens_nothing_of_the_group(post_first):
    group, _olga, _gus, una = post_first

    create(client_for(una), group, post_to="public", body="In public.")

    assert CANARY not in discussion(client_for(una), group).content.decode()


def test_the_leader_always_sees_everything(post_first):
    group, olga, _gus, _una = post_first

    html = discussion(client_for(olga), group).content.decode()

    assert CANARY in html and "once you post your own" not in html


def test_the_switch_says_the_group_writes_first_to_members_not_to_its_leader(post_first):
    group, olga, _gus, una = post_first
    note = "Tuesday seminar writes first: you see the others' comments on a passage"

    assert note in client_for(una).get(layered(group)).content.decode()
    assert note not in client_for(olga).get(layered(group)).content.decode()
    assert note not in client_for(una).get(READING).content.decode()


def test_the_margin_counts_what_the_member_may_see(post_first):
    group, olga, _gus, una = post_first

    before = toggle(client_for(una).get(layered(group)).content.decode())
    leader = toggle(client_for(olga).get(layered(group)).content.decode())

    assert 'data-layer-count="0"' in before
    assert 'data-layer-count="1"' in leader


def test_the_panel_waits_for_what_the_margin_waits_for_a_site_moderator_in_the_group(post_first):
    """A site moderator who is a plain member reads the group's flagged comments already:
    neither the margin nor the panel says such a comment waits for their post."""
    group, _olga, gus, una = post_first
    canary = Comment.objects.get(group=group, author=gus)
    flag_create(comment=canary, user=una, reason="spam")
    mod = make_user("mod")
    mod.is_superuser = True
    mod.save()
    join(group, mod)

    html = discussion(client_for(mod), group).content.decode()
    margin = toggle(client_for(mod).get(layered(group)).content.decode())

    assert CANARY in section(html, 'id="group-discussion-p3"')
    assert "from the group appear" not in html  # the margin counts none waiting either
    assert "readings of this passage appear here once you post your own" in html
    assert 'data-layer-count="1"' in margin
    assert "once you post" not in margin


# The paragraph page and the permalink


def test_the_paragraph_page_reads_in_the_layer_with_its_own_switch(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)

    html = client_for(gus).get(f"/works/october-1917/p/p3/?group={group.slug}").content.decode()

    assert CANARY in section(html, 'id="group-discussion-p3"')
    switch = re.search(r'<nav class="layer-switch".*?</nav>', html, re.S)[0]
    assert f'href="/works/october-1917/p/p3/?group={group.slug}#discussion"' in switch


def test_the_permalink_of_a_group_comment_names_its_group(seminar, work):
    group, _olga, gus = seminar
    canary = group_post(gus, work, group)

    html = client_for(gus).get(f"/comments/{canary.pk}/").content.decode()

    assert "In Tuesday seminar: only its members see this thread." in html
    assert f"/works/october-1917/p/p3/?group={group.slug}#discussion" in html


def test_the_paragraph_page_in_the_layer_links_to_the_text_in_the_layer(seminar):
    group, _olga, gus = seminar

    html = client_for(gus).get(f"/works/october-1917/p/p3/?group={group.slug}").content.decode()

    assert f'href="{READING}?group={group.slug}#p3">Read it in context</a>' in html


def test_flagging_a_group_comment_without_javascript_leads_back_to_the_groups_layer(seminar, work):
    group, olga, gus = seminar
    canary = group_post(gus, work, group)

    response = client_for(olga).post(f"/comments/{canary.pk}/flag/", {"reason": "spam"})

    assert response["Location"] == f"{READING}?group={group.slug}&discussion=p3#p3"


# Caching


def stored_pages(pages) -> list:
    """The keys of the stored pages, in a local memory cache or in Redis."""
    if isinstance(pages, RedisCache):
        return pages._cache.get_client(None).keys(f"{pages.key_prefix}:*:page:*")
    return [key for key in pages._cache if ":page:" in key]


def test_a_layered_page_is_private_and_never_stored(seminar, work):
    group, _olga, gus = seminar
    group_post(gus, work, group)
    pages = caches["default"]
    pages.clear()

    response = client_for(gus).get(layered(group, discussion="p3"))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert not stored_pages(pages)
    client_for(None).get(READING)  # whereas the public page is stored, under such a key
    assert stored_pages(pages)


def test_an_anonymous_request_for_a_layer_is_never_stored(seminar):
    group, _olga, _gus = seminar
    client = client_for(None)

    first = client.get(layered(group))
    second = client.get(layered(group))

    assert first.status_code == second.status_code == 404
    assert "X-Page-Cache" not in second
