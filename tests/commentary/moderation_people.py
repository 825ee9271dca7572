"""Personas of the moderation tests: a moderator (in the "Moderators" group the migrations
create), and members who flag."""

from django.contrib.auth.models import Group

from commentary.moderators import MODERATORS_GROUP
from tests.commentary.builders import make_user


def make_moderator(username: str = "mona"):
    user = make_user(username, "Mona the Moderator")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def make_flaggers(count: int) -> list:
    return [make_user(f"flagger{number}") for number in range(count)]
