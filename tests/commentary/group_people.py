"""Personas of the reading-group tests: a seminar reading the chapter.

- olga owns the group (its leader); gus is a member; alice and bob are outsiders;
- mona moderates the site, but is not in the group;
- the canary is a comment gus wrote in the group: nobody outside may ever see it.
"""

from commentary.groups.invitations import group_join
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_create
from tests.commentary.builders import make_user, post

CANARY = "Canary words that only the seminar may read."


def make_group(owner, work, **settings) -> ReadingGroup:
    return group_create(owner=owner, name="Tuesday seminar", works=[work.slug], **settings)


def join(group: ReadingGroup, user) -> Membership:
    return group_join(user=user, code=group.invite_code)


def make_seminar(work, **settings):
    """(group, olga the owner, gus a member) on ``work``."""
    olga = make_user("olga", "Olga the Leader")
    gus = make_user("gus", "Gus")
    group = make_group(olga, work, **settings)
    join(group, gus)
    return group, olga, gus


def group_post(author, work, group, key: str = "p3", body: str = CANARY, **kwargs):
    return post(author, work, key, body, group=group, **kwargs)
