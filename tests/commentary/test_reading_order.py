"""Every comment of a work in reading order: the page and the API, their filters, and the
group canary."""

import pytest
from django.urls import reverse

from tests.commentary.builders import bulk_roots, client_for, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


def page(user, work, **params):
    return client_for(user).get(reverse("search:work-comments", kwargs={"slug": work.slug}), params)


def api(user, work, **params):
    return client_for(user).get(reverse("api:work-comments", kwargs={"slug": work.slug}), params)


def test_it_lists_comments_in_the_order_of_the_text_then_oldest_first(work, alice, bob):
    later_paragraph = post(alice, work, "p6", "On Lenin.")
    first = post(bob, work, "p3", "First on the aim.")
    second = post(alice, work, "p3", "Second on the aim.", tags=["question"])
    answer = api(None, work).json()
    assert [c["id"] for c in answer["results"]] == [first.pk, second.pk, later_paragraph.pk]
    assert [c["position"] for c in answer["results"]] == [3, 3, 6]
    assert answer["results"][1]["tags"] == ["question"]
    body = page(None, work).content.decode()
    assert (
        body.index("First on the aim.") < body.index("Second on the aim.") < body.index("On Lenin.")
    )
    assert "¶ 1" in body and "¶ 3" in body


def test_a_tag_filters_the_list_and_each_tag_links_to_it(work, alice):
    post(alice, work, "p3", "A question.", tags=["question"])
    post(alice, work, "p6", "A source.", tags=["source"])
    assert [c["body"] for c in api(None, work, tag="Question").json()["results"]] == ["A question."]
    body = page(None, work, tag="source").content.decode()
    assert "A source." in body and "A question." not in body
    assert f'href="/works/{work.slug}/comments/?tag=source"' in body


def test_filters_by_author_and_date(work, alice, bob):
    post(alice, work, "p3", "By alice.")
    post(bob, work, "p3", "By bob.")
    assert [c["body"] for c in api(None, work, author="bob").json()["results"]] == ["By bob."]
    assert api(None, work, created_after="2999-01-01").json()["count"] == 0
    assert api(None, work, author="nobody-here").status_code == 400
    assert api(None, work, unknown="x").status_code == 400


def test_status_is_for_moderators_only(work, alice, bob):
    held = set_status(post(alice, work, "p3", "Held back."), "pending")
    assert api(bob, work, status="pending").status_code == 400
    listed = api(make_moderator(), work, status="pending").json()
    assert [c["id"] for c in listed["results"]] == [held.pk]
    assert "Held back." not in page(bob, work).content.decode()


def test_it_pages_fifty_at_a_time(work, alice):
    bulk_roots(alice, work, 60)
    first = api(None, work).json()
    assert (first["count"], len(first["results"])) == (60, 50)
    assert len(client_for().get(first["next"]).json()["results"]) == 10
    assert "Page 1 of 2" in page(None, work).content.decode()


def test_the_group_canary_stays_in_the_group(work, alice):
    group, olga, gus = make_seminar(work)
    group_post(gus, work, group)
    for reader in (None, alice, make_moderator()):
        assert api(reader, work).json()["count"] == 0
        assert api(reader, work, group=group.slug).json()["count"] == 0
        assert CANARY not in page(reader, work).content.decode()
    assert api(olga, work).json()["count"] == 1
    assert CANARY in page(gus, work).content.decode()


def test_an_unknown_work_is_a_404(db):
    assert client_for().get("/works/nothing/comments/").status_code == 404
    assert client_for().get("/api/v1/works/nothing/comments/").status_code == 404


def test_an_author_tags_a_comment_from_the_page_form_and_changes_them_on_editing(work, alice):
    client = client_for(alice)
    response = client.post(
        f"/works/{work.slug}/p/p3/comments/",
        {"body": "Tagged on the page.", "tags": "Question, source"},
    )
    assert response.status_code in (200, 302, 303)
    listed = api(None, work, tag="question").json()["results"]
    assert [c["tags"] for c in listed] == [["question", "source"]]
    comment_id = listed[0]["id"]
    form = client.get(f"/comments/{comment_id}/edit/").content.decode()
    assert 'value="question source"' in form
    client.post(
        f"/comments/{comment_id}/edit/", {"body": "Tagged on the page.", "tags": "objection"}
    )
    assert api(None, work, tag="objection").json()["count"] == 1
    refused = client.post(f"/comments/{comment_id}/edit/", {"body": "x", "tags": "<b>"})
    assert "is not a tag" in refused.content.decode()


def test_the_home_page_shows_recent_public_activity_and_never_a_group_comment(work, alice):
    group, olga, gus = make_seminar(work)
    group_post(gus, work, group)
    held = set_status(post(alice, work, "p3", "Held words."), "pending")
    post(alice, work, "p6", "Public words on Lenin.")
    for reader in (None, alice, gus, make_moderator()):
        body = client_for(reader).get("/").content.decode()
        assert "Public words on Lenin." in body
        assert "alice on October 1917 Revolution: A Century Later, ¶ 3" in body
        assert CANARY not in body
        assert "Held words." not in body
    assert f"/comments/{held.pk}/" not in client_for(alice).get("/").content.decode()
    assert "version 1" in client_for().get("/").content.decode()


def test_a_profile_filters_its_comments_and_never_shows_the_canary(work, alice):
    group, olga, gus = make_seminar(work)
    group_post(gus, work, group)
    post(gus, work, "p3", "Gus in public, a question.", tags=["question"])
    post(gus, work, "p6", "Gus in public, a source.", tags=["source"])

    def profile(reader, **params):
        return client_for(reader).get("/users/gus/", params).content.decode()

    for reader in (None, alice, make_moderator()):
        assert CANARY not in profile(reader)
        assert CANARY not in profile(reader, group=group.slug)
        assert "No comment you may read matches." in profile(reader, group=group.slug)
    assert CANARY in profile(olga, group=group.slug)
    tagged = profile(None, tag="question")
    assert "Gus in public, a question." in tagged and "a source." not in tagged
    assert "a question." not in profile(None, created_after="2999-01-01")
    assert "a source." in profile(None, work=work.slug)


def test_a_group_owner_suggests_tags_and_its_members_are_offered_them_first(work):
    from commentary.groups.services import group_update

    group, olga, gus = make_seminar(work)
    group_update(group=group, by=olga, suggested_tags="Question, objection source")
    group.refresh_from_db()
    assert group.suggested_tags == "question objection source"
    form = client_for(gus).get(f"/works/{work.slug}/?group={group.slug}&discussion=p3")
    assert "Suggested in Tuesday seminar: question objection source." in form.content.decode()
    public = client_for(gus).get(f"/works/{work.slug}/?discussion=p3").content.decode()
    assert "Suggested in" not in public


def test_suggested_tags_must_be_tags(work):
    from commentary.errors import CommentError
    from commentary.groups.services import group_update

    group, olga, gus = make_seminar(work)
    with pytest.raises(CommentError):
        group_update(group=group, by=olga, suggested_tags="<script>")


@pytest.mark.parametrize("name", ["author", "group", "tag"])
def test_the_api_refuses_an_empty_filter_with_a_400_naming_it(work, name):
    response = client_for().get(f"/api/v1/works/{work.slug}/comments/?{name}=")
    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["This filter cannot be empty."]}
