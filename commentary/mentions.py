"""``@username`` in a comment body: a link to that member's profile, and whom a comment
names (the notifications wing reads ``mentioned_usernames`` to tell them).

Only names of existing members become links, so a mention never points at a 404. An "@"
inside a word (an email address) is not a mention.
"""

import re

from django.contrib.auth import get_user_model

# Django's usernames: letters, digits and @.+-_; a mention ends before a trailing dot or
# dash, so "thanks @bob." names bob.
MENTION = re.compile(r"(?<![\w@.+-])@([\w](?:[\w.+-]*[\w])?)")


def mentioned_usernames(body: str) -> list[str]:
    """The names written as ``@name`` in ``body``, in order, each once (existing or not)."""
    return list(dict.fromkeys(MENTION.findall(body or "")))


def existing_usernames(names: list[str]) -> set[str]:
    """Which of ``names`` are members' usernames: one query, none without names."""
    if not names:
        return set()
    User = get_user_model()
    field = User.USERNAME_FIELD
    return set(User.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
