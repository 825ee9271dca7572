"""What a thread says of a comment shown on a version other than the one it was written on.

``ThreadRenderer`` asks ``AnchorNotes.html`` for each comment: a line under its header
("Written on v1", with the paragraph's changes one click away) and, when it quotes the text,
the quote as it now reads in the version on screen, or the old wording when it is no longer
there. Nothing is added for a comment written on the wording shown. Everything interpolated
is escaped; the labels are translated once per thread.
"""

from html import escape

from django.urls import reverse
from django.utils.translation import gettext as _

from commentary.anchors import (
    CURRENT,
    LOST,
    MERGED,
    MOVED,
    PARAGRAPH_REMOVED,
    SPLIT,
    VersionWordings,
)
from commentary.rows import CommentRow
from edition.numbering import label_in_version


def compare_url(work_slug: str, written_on: int, shown_on: int, key: str) -> str:
    """The comparison of the two versions (``/works/<slug>/compare/<a>...<b>/``), at the
    paragraph's row."""
    url = reverse("edition:compare", kwargs={"slug": work_slug, "a": written_on, "b": shown_on})
    return f"{url}#{key}"


class AnchorNotes:
    """Notes on the comments of one page, all shown on the version ``wordings`` describes."""

    def __init__(self, wordings: VersionWordings) -> None:
        self.wordings = wordings
        self.compare_urls: dict[tuple[str, int, str], str] = {}
        self.labels_then: dict[tuple[int, int], str] = {}
        self.label = {
            "changes": escape(_("see what changed")),
            "quote": escape(_("Quoting the paragraph:")),
            "quote_now": escape(_("Quoting words that now read:")),
            "quote_lost": escape(_("The quote is no longer in the text.")),
        }

    def html(self, comment: CommentRow) -> tuple[str, str | None]:
        """(the note under the header, the quote block or None for the usual one)."""
        anchor = self.wordings.anchor_of(comment)
        if anchor.state == CURRENT:
            return "", None
        written_on = comment.version_number
        if anchor.state == PARAGRAPH_REMOVED:
            text = _("Written on v%(number)s, on %(passage)s, a passage no longer in this version.")
            words = {"number": written_on, "passage": self._label_then(comment)}
            note = (
                f'<p class="comment-anchor comment-anchor-removed" '
                f'data-anchor-state="{anchor.state}">'
                f"{escape(text % words)}</p>"
            )
        else:
            words = {"number": written_on}
            if anchor.state == MERGED:
                text = _("Written on v%(number)s, on %(passage)s, since merged into this passage.")
                words["passage"] = self._label_then(comment)
            elif anchor.state == SPLIT:
                text = _("Written on v%(number)s, before a part of this passage was split off.")
            elif anchor.state == MOVED and anchor.same_wording:
                text = _("Written on v%(number)s, on this wording; the passage has moved since.")
            elif anchor.state == MOVED:
                text = _(
                    "Written on v%(number)s, on an earlier wording; the passage has moved since."
                )
            else:
                text = _("Written on v%(number)s, on an earlier wording.")
            url = self._compare_url(comment)
            note = (
                f'<p class="comment-anchor comment-anchor-earlier" '
                f'data-anchor-state="{anchor.state}">'
                f"{escape(text % words)} "
                f'<a class="comment-anchor-diff" href="{escape(url)}">{self.label["changes"]}</a>'
                f"</p>"
            )
        if anchor.same_wording:
            return note, None
        if not comment.quote_exact:
            return note, None
        if anchor.quote_state == LOST or anchor.quote_now is None:
            return note, (
                f'<blockquote class="comment-quote comment-quote-lost"><p>'
                f'<span class="comment-quote-note">{self.label["quote_lost"]} '
                f"{self._quoted_as(written_on)}</span> "
                f"{escape(comment.quote_exact)}</p></blockquote>"
            )
        start, end = anchor.quote_now
        home = self.wordings.home(comment.paragraph_id)
        now = self.wordings.texts[home][start:end]
        if now == comment.quote_exact:
            label, origin = self.label["quote"], ""
        else:
            # The words now highlighted are not the ones the author chose: say what they were.
            label = self.label["quote_now"]
            origin = (
                f'<p class="comment-quote-origin">{self._quoted_as(written_on)} '
                f"<q>{escape(comment.quote_exact)}</q></p>"
            )
        return note, (
            f'<blockquote class="comment-quote comment-quote-{anchor.quote_state}" '
            f'data-quote-paragraph="{escape(self.wordings.keys[home])}" '
            f'data-quote-start="{start}" data-quote-end="{end}"><p>'
            f'<span class="visually-hidden">{label} </span>{escape(now)}</p></blockquote>'
            f"{origin}"
        )

    def _quoted_as(self, written_on: int) -> str:
        return escape(_("Quoted on v%(number)s as:") % {"number": written_on})

    def _label_then(self, comment: CommentRow) -> str:
        """What readers called the passage in the version the comment was written on ("¶ 4",
        never its key). Asked only of comments on passages merged or removed since: once
        for each such passage and version on a page."""
        found = (comment.paragraph_id, comment.version_number)
        if found not in self.labels_then:
            self.labels_then[found] = label_in_version(*found)
        return self.labels_then[found]

    def _compare_url(self, comment: CommentRow) -> str:
        # One reverse() per paragraph and version, not per comment: threads run to 1,000.
        found = (comment.work_slug, comment.version_number, comment.paragraph_key)
        if found not in self.compare_urls:
            self.compare_urls[found] = compare_url(*found[:2], self.wordings.number, found[2])
        return self.compare_urls[found]
