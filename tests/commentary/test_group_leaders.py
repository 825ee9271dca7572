"""The leader's view of a reading group: participation per member, its CSV, and all the
group's comments in reading order, filtered; for the owner and moderators only.

Personas: olga owns the seminar, gus is a member, mo moderates it; nina is outside.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.accounts.models import Profile
from commentary.groups.models import Membership
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.services import comment_create
from tests.commentary.builders import bulk_roots, client_for, make_user
from tests.commentary.group_people import group_post, make_seminar
from tests.edition.builders import build_version, heading, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(work):
    group, olga, gus = make_seminar(work)
    mo = make_user("mo", "Mo")
    Membership.objects.create(group=group, user=mo, role="moderator")
    return group, olga, gus, mo


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_only_leaders_open_the_leaders_pages(seminar):
    group, olga, gus, mo = seminar
    addresses = [f"/groups/{group.slug}/{page}" for page in ("participation/", "comments/")]
    addresses.append(f"/groups/{group.slug}/participation.csv")

    for address in addresses:
        assert client_for(olga).get(address).status_code == 200, address
        assert client_for(mo).get(address).status_code == 200, address
        assert client_for(gus).get(address).status_code == 404, address
        assert client_for(make_user(f"nina{len(address)}")).get(address).status_code == 404
        assert client_for().get(address).status_code in (302, 404)


def test_participation_counts_each_members_share(seminar, work):
    group, olga, gus, _mo = seminar
    question = group_post(olga, work, group, body="A question.")
    comment_create(author=gus, parent=question, body="An answer.")
    group_post(gus, work, group, key="p4", body="Another thought.")

    page = client_for(olga).get(f"/groups/{group.slug}/participation/")

    html = page.content.decode()
    assert page.status_code == 200
    gus_row = html[html.index(">Gus<") :].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in gus_row.split("</td>")[:-1]]
    # comments, replies given, replies received, paragraphs discussed
    assert cells[:4] == ["1", "1", "0", "2"]
    assert 'href="/groups/tuesday-seminar/participation.csv"' in html


def test_a_new_groups_participation_sends_its_owner_to_the_invitation(work):
    olga = make_user("olga")
    group = group_create(owner=olga, name="Thursday seminar", works=[work.slug])
    address = f"/groups/{group.slug}/participation/"

    html = client_for(olga).get(address).content.decode()

    assert "Nobody else is in the group yet." in html
    assert f'<a href="/groups/{group.slug}/settings/">settings</a>' in html


def test_participation_says_nothing_of_invitations_once_members_joined(seminar):
    group, olga, _gus, _mo = seminar
    html = client_for(olga).get(f"/groups/{group.slug}/participation/").content.decode()
    assert "Nobody else is in the group yet." not in html


def test_participation_sorts_by_a_column_biggest_first(seminar, work):
    group, olga, gus, _mo = seminar
    group_post(gus, work, group)
    group_post(gus, work, group, key="p4")

    html = client_for(olga).get(f"/groups/{group.slug}/participation/?sort=comments").content
    html = html.decode()

    # Ties by name.
    assert html.index(">Gus<") < html.index(">Mo<") < html.index(">Olga the Leader<")
    assert 'aria-sort="descending"' in html


def test_the_csv_lists_every_member_as_an_attachment(seminar, work):
    group, olga, gus, _mo = seminar
    group_post(gus, work, group)

    response = client_for(olga).get(f"/groups/{group.slug}/participation.csv")

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="tuesday-seminar-participation.csv"'
    )
    rows = {row["username"]: row for row in rows_of(response)}
    assert set(rows) == {"olga", "gus", "mo"}
    assert rows["gus"]["comments"] == "1" and rows["gus"]["paragraphs"] == "1"
    assert rows["gus"]["display_name"] == "Gus" and rows["olga"]["role"] == "owner"
    assert rows["olga"]["last_activity"] == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_csv_quotes_names_a_spreadsheet_would_run_as_formulas(seminar, start):
    group, olga, _gus, _mo = seminar
    name = f'{start}HYPERLINK("http://evil.example","x")'
    sly = make_user(f"{start}sly")
    Profile.objects.filter(user=sly).update(display_name=name)
    Membership.objects.create(group=group, user=sly)

    rows = rows_of(client_for(olga).get(f"/groups/{group.slug}/participation.csv"))

    row = next(row for row in rows if row["username"].endswith("sly"))
    assert row["username"] == f"'{start}sly"
    assert row["display_name"] == f"'{name}"


# All comments in reading order -------------------------------------------------------------


def listed(response) -> list[str]:
    """The comment bodies on the page, in order."""
    html = response.content.decode()
    return [
        part.split("</p>")[0].split("<p>")[-1]
        for part in html.split('class="group-comment-body">')[1:]
    ]


def test_comments_come_in_the_texts_order_then_oldest_first(seminar, work):
    group, olga, gus, _mo = seminar
    group_post(gus, work, group, key="p6", body="Late passage.")
    group_post(gus, work, group, key="p3", body="First on p3.")
    group_post(olga, work, group, key="p4", body="On p4.")
    group_post(olga, work, group, key="p3", body="Second on p3.")
    comment_create(author=make_user("pat"), paragraph=gus.comments.first().paragraph, body="Out")

    response = client_for(olga).get(f"/groups/{group.slug}/comments/")

    assert listed(response) == ["First on p3.", "Second on p3.", "On p4.", "Late passage."]
    assert "¶ 1" in response.content.decode()


def test_comments_filter_by_member_passages_dates_and_version(seminar, work):
    group, olga, gus, _mo = seminar
    on_p3 = group_post(gus, work, group, key="p3", body="Gus on p3.")
    group_post(olga, work, group, key="p4", body="Olga on p4.")
    group_post(gus, work, group, key="p6", body="Gus on p6.")
    Comment.objects.filter(pk=on_p3.pk).update(created_at=timezone.now() - timedelta(days=10))
    client = client_for(olga)
    address = f"/groups/{group.slug}/comments/"
    assert listed(client.get(address, {"member": "gus"})) == ["Gus on p3.", "Gus on p6."]
    assert listed(client.get(address, {"first": "p4"})) == ["Olga on p4.", "Gus on p6."]
    assert listed(client.get(address, {"first": "¶ 1", "last": "p4"})) == [
        "Gus on p3.",
        "Olga on p4.",
    ]
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert listed(client.get(address, {"since": since})) == ["Olga on p4.", "Gus on p6."]
    until = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert listed(client.get(address, {"until": until})) == ["Gus on p3."]
    assert len(listed(client.get(address, {"written_on": 1}))) == 3


def test_a_passage_that_does_not_exist_is_said_so(seminar, work):
    group, olga, gus, _mo = seminar
    group_post(gus, work, group)

    response = client_for(olga).get(f"/groups/{group.slug}/comments/", {"first": "¶ 999"})

    assert "No passage is called that in the current version." in response.content.decode()


def test_the_comments_list_costs_as_many_queries_with_many_comments(
    seminar, work, django_assert_max_num_queries
):
    group, olga, gus, mo = seminar
    group_post(gus, work, group)
    client = client_for(olga)
    address = f"/groups/{group.slug}/comments/?member=gus&first=p3"
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    few = len(few)  # now: the next request empties the log
    for key in ("p3", "p4", "p6"):
        Comment.objects.filter(pk__in=[c.pk for c in bulk_roots(gus, work, 300, key=key)]).update(
            group=group
        )
    for number in range(30):
        Membership.objects.create(group=group, user=make_user(f"member{number}"))
    client.get(address)  # as before the first measure: the reader read again, and kept

    assert few <= 11
    with django_assert_max_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200 and "Page 1 of 19" in response.content.decode()
    with django_assert_max_num_queries(8):
        client.get(f"/groups/{group.slug}/participation/")
    moderator = client_for(mo)
    with django_assert_max_num_queries(10):
        moderator.get(f"/groups/{group.slug}/")


def test_comments_follow_the_current_versions_order_and_filter_by_the_version_written_on(
    seminar, work
):
    group, olga, gus, _mo = seminar
    on_p3 = group_post(gus, work, group, key="p3", body="Gus on p3, v1.")
    group_post(gus, work, group, key="p4", body="Gus on p4, v1.")
    specs = [
        heading("Chapter One", key="p1"),
        heading("The October 1917 Revolution started off the transformation", key="p2"),
        para("Lenin, along with the Bolshevik leaders, shaped the history.", key="p6"),
        para(on_p3.revision.text, key="p3"),
    ]
    build_version(work, specs)
    work.refresh_from_db()
    group_post(olga, work, group, key="p6", body="Olga on p6, v2.")
    client = client_for(olga)
    address = f"/groups/{group.slug}/comments/"

    everything = client.get(address)
    on_v1 = client.get(address, {"written_on": 1})
    on_v2 = client.get(address, {"written_on": 2})

    assert listed(everything) == ["Olga on p6, v2.", "Gus on p3, v1.", "Gus on p4, v1."]
    assert "A passage no longer in the text" in everything.content.decode()
    assert listed(on_v1) == ["Gus on p3, v1.", "Gus on p4, v1."]
    assert listed(on_v2) == ["Olga on p6, v2."]
    refused = client.get(address, {"written_on": 9})
    assert "Select a valid choice" in refused.content.decode()
