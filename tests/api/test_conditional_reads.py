"""ETag and Last-Modified on the edition's API and the annotation containers: a client whose
copy is current gets 304 without a row being read; any change to what it shows, or to what
its reader may read, gives it a new tag and a later date.

gus reads the seminar's discussion, nina is an outsider, olga leads the seminar.
"""

import pytest
from django.utils.http import http_date, parse_http_date
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.groups.services import group_leave
from config.api import conditional
from edition.models import Version
from edition.services import version_publish
from tests.api.comment_fixtures import post
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, join, make_seminar

pytestmark = pytest.mark.django_db

WORKS = "/api/v1/works/"
WORK = "/api/v1/works/october-1917/"
VERSIONS = "/api/v1/works/october-1917/versions/"
VERSION = "/api/v1/works/october-1917/versions/2/"
PARAGRAPH = "/api/v1/works/october-1917/paragraphs/p3/"
COMPARE = "/api/v1/works/october-1917/compare/1/2/"
COMMENTS = "/api/v1/comments/"
CONTAINER = "/api/v1/works/october-1917/annotations/"
CONTAINER_PAGE = "/api/v1/works/october-1917/annotations/?iris=1&page=0"
READS = [WORKS, WORK, VERSIONS, VERSION, PARAGRAPH, COMPARE, CONTAINER, CONTAINER_PAGE]
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'


class Clock:
    """The instant the conditional requests read, moved by the test."""

    def __init__(self, now: float = 2_000_000_000.25):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(conditional, "_clock", clock)
    return clock


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def group_container(group) -> str:
    return f"/api/v1/groups/{group.slug}/annotations/"


@pytest.mark.parametrize("url", READS)
def test_a_current_etag_answers_304_without_a_query(october, url, django_assert_num_queries):
    client = api_for()
    first = client.get(url)
    tag = first["ETag"]
    assert first.status_code == 200
    assert tag.startswith('"') and not tag.startswith("W/")

    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=f'"other", {tag}')
        head = client.head(url, HTTP_IF_NONE_MATCH=tag)

    assert (again.status_code, again.content, again["ETag"]) == (304, b"", tag)
    assert (head.status_code, head["ETag"]) == (304, tag)


@pytest.mark.parametrize("url", READS)
def test_if_modified_since_answers_304_once_the_date_is_given(
    october, url, clock, django_assert_num_queries
):
    client = api_for()
    fresh = client.get(url)
    # Within the second the representation became current, its date would lie ahead:
    # the current second is given, which answers no If-Modified-Since with 304 (another
    # representation could become current in that same second).
    assert fresh["Last-Modified"] == http_date(2_000_000_000)
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=fresh["Last-Modified"])
    assert again.status_code == 200

    clock.now += 1
    dated = client.get(url)
    assert dated["Last-Modified"] == http_date(2_000_000_001)
    assert dated["ETag"] == fresh["ETag"]

    with django_assert_num_queries(0):
        same = client.get(url, HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"])
        later = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(2_000_000_100))
    earlier = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(2_000_000_000))

    assert (same.status_code, same.content) == (304, b"")
    assert same["Last-Modified"] == dated["Last-Modified"]
    assert later.status_code == 304
    assert earlier.status_code == 200


def test_if_none_match_wins_over_if_modified_since(october, clock):
    client = api_for()
    client.get(WORK)
    clock.now += 1
    dated = client.get(WORK)

    response = client.get(
        WORK, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"]
    )

    assert response.status_code == 200


def test_a_wildcard_or_a_made_up_date_does_not_answer_for_a_missing_work(october):
    client = api_for()
    assert client.get("/api/v1/works/nothing/", HTTP_IF_NONE_MATCH="*").status_code == 404
    response = client.get("/api/v1/works/nothing/", HTTP_IF_MODIFIED_SINCE="yesterday")
    assert response.status_code == 404


def test_a_published_version_changes_every_tag_and_date_of_the_text(
    october, clock, django_capture_on_commit_callbacks
):
    client = api_for()
    before = {url: client.get(url) for url in (WORKS, WORK, VERSIONS, PARAGRAPH)}
    clock.now += 1
    dated = {url: client.get(url)["Last-Modified"] for url in before}
    draft = Version.objects.get(work=october, number=3)
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(version=draft)
    clock.now += 0.5

    for url, response in before.items():
        by_tag = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=dated[url])
        assert by_tag.status_code == by_date.status_code == 200, url
        assert by_tag["ETag"] != response["ETag"]
    assert client.get(WORK).json()["current_version"] == 3


def test_a_new_comment_changes_the_counts_tags(october, django_capture_on_commit_callbacks):
    client = api_for()
    tags = {url: client.get(url)["ETag"] for url in (VERSION, PARAGRAPH, CONTAINER)}
    with django_capture_on_commit_callbacks(execute=True):
        post(make_user("alice"), october, "p3", "A new comment.")

    for url, tag in tags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200, url
    paragraph = client.get(PARAGRAPH).json()
    assert paragraph["comment_count"] == 1


def test_staff_and_readers_have_their_own_tags(october):
    editor = make_user("edna")
    editor.is_staff = True
    editor.save()
    staff_tag = api_for(editor).get(VERSIONS)["ETag"]

    reader = api_for(make_user("rita")).get(VERSIONS, HTTP_IF_NONE_MATCH=staff_tag)

    assert reader.status_code == 200
    assert [version["number"] for version in reader.json()] == [1, 2]


def test_a_member_who_leaves_loses_the_group_at_once(october, clock):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)
    member = api_for(gus)
    container = member.get(group_container(group))
    assert CANARY in container.content.decode()
    clock.now += 1
    dated = member.get(group_container(group))["Last-Modified"]

    group_leave(group=group, user=gus)
    clock.now += 0.5

    gone = member.get(group_container(group), HTTP_IF_NONE_MATCH=container["ETag"])
    gone_by_date = member.get(group_container(group), HTTP_IF_MODIFIED_SINCE=dated)
    assert gone.status_code == gone_by_date.status_code == 404
    assert CANARY not in gone.content.decode()


def test_an_outsiders_tag_never_matches_a_members(october):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)
    member_tags = {url: api_for(gus).get(url)["ETag"] for url in (PARAGRAPH, CONTAINER)}
    nina = api_for(make_user("nina"))

    for url, tag in member_tags.items():
        response = nina.get(url, HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 200
        assert response["ETag"] != tag
        assert CANARY not in response.content.decode()
    outside = nina.get(group_container(group), HTTP_IF_NONE_MATCH="*")
    assert outside.status_code == 404


def test_the_containers_tag_depends_on_what_prefer_asks(october):
    client = api_for()
    full = client.get(CONTAINER)
    minimal = client.get(CONTAINER, HTTP_PREFER=MINIMAL, HTTP_IF_NONE_MATCH=full["ETag"])

    assert minimal.status_code == 200
    assert minimal["ETag"] != full["ETag"]
    assert isinstance(minimal.json()["first"], str)


def test_a_renamed_group_changes_its_containers_tag(october, django_capture_on_commit_callbacks):
    group, olga, _gus = make_seminar(october)
    leader = api_for(olga)
    tag = leader.get(group_container(group))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Wednesday seminar"
        group.save()

    response = leader.get(group_container(group), HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 200
    assert response.json()["label"].endswith("Wednesday seminar")


def test_a_member_with_a_token_gets_304_with_only_the_credentials_read(
    october, django_assert_max_num_queries
):
    group, _olga, gus = make_seminar(october)
    client = APIClient()
    key = token_create(user=gus, name="t", scopes=["read"])[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    tag = client.get(group_container(group))["ETag"]

    with django_assert_max_num_queries(2):
        response = client.get(group_container(group), HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 304


def test_a_state_that_comes_back_is_dated_from_its_return(october, clock):
    """gus reads as an outsider, joins and reads the seminar's comment, then leaves: his
    outsider's state is back, and must not be dated from before he joined."""
    group, olga, gus = make_seminar(october)
    group_post(olga, october, group)
    group_leave(group=group, user=gus)
    reader = APIClient()
    reader.force_login(gus)
    reader.get(COMMENTS)
    clock.now += 5
    outsider_date = reader.get(COMMENTS)["Last-Modified"]
    join(group, gus)
    clock.now += 5
    reader.get(COMMENTS)
    clock.now += 5
    member_copy = reader.get(COMMENTS)
    assert CANARY in member_copy.content.decode()
    assert parse_http_date(member_copy["Last-Modified"]) > parse_http_date(outsider_date)

    group_leave(group=group, user=gus)
    clock.now += 5
    answer = reader.get(COMMENTS, HTTP_IF_MODIFIED_SINCE=member_copy["Last-Modified"])

    assert answer.status_code == 200
    assert CANARY not in answer.content.decode()
