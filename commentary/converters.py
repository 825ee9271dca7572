"""Path converters of commentary's addresses, shared by its pages and its API.

Each matches only values some row could hold, so that a value no row could hold answers 404
like any other unknown address instead of reaching a lookup the database refuses.
"""

from commentary.models import MAX_COMMENT_ID


class UsernameConverter:
    """Any text without a slash or a NUL character.

    PostgreSQL cannot store NUL in text and raises on a lookup that contains one, where
    every other impossible username simply finds nobody.
    """

    regex = r"[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class CommentIdConverter:
    """A comment id: digits, at most ``MAX_COMMENT_ID``, so that none overflows the column."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_COMMENT_ID:
            # A ValueError makes the resolver try the next pattern, and in the end answer 404.
            raise ValueError(f"{value} is beyond the largest comment id")
        return number

    def to_url(self, value) -> str:
        return str(value)
