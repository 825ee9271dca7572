"""Personas of the moderation tests: a moderator (in the "Moderators" group the migrations
create), and members who flag."""

from commentary.moderation.moderators import moderators_group
from tests.commentary.builders import make_user


def make_moderator(username: str = "mona"):
    user = make_user(username, "Mona the Moderator")
    user.groups.add(moderators_group())
    return user


def make_flaggers(count: int) -> list:
    return [make_user(f"flagger{number}") for number in range(count)]
