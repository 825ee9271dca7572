"""``GET /api/v1/comments/?work=…&ordering=reading``: every comment the client may read on a
work in the order of the text, paged by a cursor that holds each row's place; any other
ordering is a 400; ``/api/v1/works/<slug>/comments/`` answers as before."""

import pytest

from tests.commentary.builders import bulk_roots, client_for, make_user, make_work, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

LIST = "/api/v1/comments/"


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")


def read_all(client, query: str) -> list[dict]:
    """Every page, following ``next``."""
    results, url = [], f"{LIST}?{query}"
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.json()
        results += page.json()["results"]
        url = page.json()["next"]
    return results


def test_it_lists_a_works_comments_in_the_order_of_the_text(work, alice, bob):
    p5 = post(alice, work, "p5", body="On p5, first written.")
    p3 = post(bob, work, "p3", body="On p3.")
    reply = post(alice, work, parent=p3, body="A reply on p3.")
    late_on_p1 = post(bob, work, "p1", body="On p1, written last.")

    results = read_all(client_for(), "work=october-1917&ordering=reading")

    assert [item["id"] for item in results] == [late_on_p1.pk, p3.pk, reply.pk, p5.pk]
    assert [item["position"] for item in results] == sorted(item["position"] for item in results)
    # Newest first without it, as before.
    newest = client_for().get(f"{LIST}?work=october-1917").json()["results"]
    assert [item["id"] for item in newest] == [late_on_p1.pk, reply.pk, p3.pk, p5.pk]


def test_its_pages_follow_one_another_both_ways_without_repeating(work, alice):
    made = [post(alice, work, key, body=f"{key} {n}") for n in range(3) for key in ("p4", "p2")]
    expected = sorted(made, key=lambda comment: (comment.paragraph.key, comment.pk))
    client = client_for()

    pages = []
    url = f"{LIST}?work=october-1917&ordering=reading&page_size=2"
    while url:
        page = client.get(url).json()
        pages.append(page)
        url = page["next"]
    assert [item["id"] for page in pages for item in page["results"]] == [
        comment.pk for comment in expected
    ]
    assert pages[0]["previous"] is None and len(pages) == 3
    # Back from the last page: the middle one again.
    back = client.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    assert client.get(back["previous"]).json()["results"] == pages[0]["results"]


def test_it_combines_with_the_filters_and_the_visibility_rule(work, alice, bob):
    group, olga, gus = make_seminar(work)
    post(alice, work, "p2", body="Public.", tags="question")
    post(bob, work, "p2", body="Public, untagged.")
    group_post(olga, work, group, "p1")

    outsider = read_all(client_for(bob), "work=october-1917&ordering=reading")
    assert CANARY not in str(outsider) and len(outsider) == 2
    assert read_all(client_for(), "work=october-1917&ordering=reading&group=" + group.slug) == []
    member = read_all(client_for(gus), "work=october-1917&ordering=reading")
    assert member[0]["body"] == CANARY and len(member) == 3
    tagged = read_all(client_for(), "work=october-1917&ordering=reading&tag=question")
    assert [item["body"] for item in tagged] == ["Public."]


@pytest.mark.parametrize(
    "query, field",
    [
        ("work=october-1917&ordering=newest", "ordering"),
        ("work=october-1917&ordering=", "ordering"),
        ("work=october-1917&ordering=READING", "ordering"),
        ("ordering=reading", "ordering"),
        ("work=october-1917&ordering=reading&cursor=bm9wZQ", "cursor"),
        ("work=october-1917&ordering=reading&cursor=cD0xfDIwMjZ8Mw%3D%3D", "cursor"),
    ],
)
def test_a_bad_ordering_or_cursor_is_a_400_naming_it(work, alice, query, field):
    post(alice, work)
    response = client_for().get(f"{LIST}?{query}")
    assert response.status_code == 400, response.json()
    assert field in str(response.json())


def test_the_works_own_reading_order_list_still_answers(work, alice, bob):
    first = post(bob, work, "p4")
    second = post(alice, work, "p2")
    response = client_for().get("/api/v1/works/october-1917/comments/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [second.pk, first.pk]


def test_a_page_in_reading_order_costs_a_fixed_number_of_queries(
    work, alice, django_assert_max_num_queries
):
    for key in ("p1", "p2", "p3", "p4", "p5"):
        bulk_roots(alice, work, 6, key=key)
    client = client_for(alice)
    client.get(f"{LIST}?work=october-1917&ordering=reading")
    with django_assert_max_num_queries(6):
        assert client.get(f"{LIST}?work=october-1917&ordering=reading").status_code == 200
