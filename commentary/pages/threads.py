"""Threads as HTML, and the data the discussion templates receive.

A thread of 1,000 comments rendered through a recursive ``{% include %}`` spends about
0.1 ms per comment in template machinery alone, so the comments are rendered here, with
the labels translated once per thread. Everything interpolated is escaped except
``body_html``, which ``commentary.markdown`` has already sanitised.

Long threads stay readable without JavaScript: a comment's replies after the first few, and
every branch from a set depth down, are folded into ``<details>``; the branches that lead
to the comment a reader followed a link to are rendered open.
"""

from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commentary.anchors import VersionWordings, version_wordings
from commentary.models import Comment
from commentary.pages.anchor_notes import AnchorNotes
from commentary.pages.forms import CommentForm
from commentary.pages.reading_links import discussion_url
from commentary.rows import CommentRow, comment_rows
from commentary.threads import ThreadNode, build_forest
from edition.models import ModerationPolicy, Paragraph, VersionParagraph, Work
from edition.numbering import entry_label

THREADS_SHOWN = 10
REPLIES_SHOWN = 3
FOLDED_DEPTH = 4  # Replies this deep start folded, with everything below them.
PUBLISHED = Comment.Status.PUBLISHED.value  # read once: looked up per comment otherwise


def _thread_id(node: ThreadNode) -> int:
    while node.comment is None:
        node = node.replies[0]
    return node.comment.thread_root_id


def drop_bare_tombstones(nodes: list[ThreadNode], keep: int | None = None) -> list[ThreadNode]:
    """``nodes`` without the tombstones (and placeholders) that hold no reply, however deep.

    A tombstone is there to keep its replies in place; one with no replies says nothing.
    ``keep`` is shown even so: the comment a permalink points at.
    """
    kept = []
    for node in nodes:
        node.replies = drop_bare_tombstones(node.replies, keep)
        bare = not node.replies and node.pk != keep
        if bare and (node.comment is None or node.comment.is_deleted):
            continue
        kept.append(node)
    return kept


def group_threads(forest: list[ThreadNode]) -> list[tuple[int, list[ThreadNode]]]:
    """Forest roots grouped by thread, oldest thread first.

    A thread usually has one root; a reply whose parent the viewer may not see hangs under
    a placeholder, which is a root of its own but belongs to the same thread.
    """
    threads: dict[int, list[ThreadNode]] = {}
    for node in forest:
        threads.setdefault(_thread_id(node), []).append(node)
    return sorted(threads.items())


@dataclass
class Viewer:
    pk: int | None
    can_write: bool  # signed in, and the work takes comments
    current_version_id: int | None = None


class ThreadRenderer:
    """Renders the threads of one page for one viewer.

    ``target`` is the comment a permalink points at (or the one just written): it is
    highlighted and every folded branch above it rendered open.
    """

    def __init__(
        self,
        *,
        viewer: Viewer,
        target: int | None = None,
        wordings: VersionWordings | None = None,
    ) -> None:
        self.viewer = viewer
        self.target = target
        # The version on screen, when there is one: comments written on another wording say so.
        self.anchor_notes = AnchorNotes(wordings) if wordings is not None else None
        # A reply records the wording on screen: the reply form is told when it is not the
        # current one.
        self.reply_query = ""
        if wordings is not None and wordings.version_id != viewer.current_version_id:
            self.reply_query = f"?version={wordings.number}"
        self.max_depth = settings.SCHOLIA_COMMENT_MAX_DEPTH
        self.comment_prefix = reverse("commentary:comment-detail", kwargs={"pk": 0})[:-2]
        self.user_urls: dict[int, str] = {}
        self.user_url_prefix: str | None = None
        self.times: dict[object, str] = {}
        self.sizes: dict[int, int] = {}
        self.leads_to_target: set[int] = set()
        self.label = {
            "deleted": escape(_("This comment was deleted.")),
            "unavailable": escape(_("This comment is not available.")),
            "edited": escape(_("edited")),
            "history": escape(_("see the earlier versions")),
            "permalink": escape(_("permalink")),
            "reply": escape(_("Reply")),
            "edit": escape(_("Edit")),
            "delete": escape(_("Delete")),
            "flag": escape(_("Flag")),
            "quote": escape(_("Quoting the paragraph:")),
            "hide": escape(_("Hide")),
            "status": {
                Comment.Status.PENDING: escape(_("awaiting moderation")),
                Comment.Status.REJECTED: escape(_("rejected by a moderator")),
                Comment.Status.HIDDEN: escape(_("hidden by a moderator")),
            },
        }

    # Whole threads

    def threads(self, forest: list[ThreadNode], *, fold: bool = True) -> SafeString:
        """The ``<li class="thread">`` items of a paragraph's discussion, oldest first;
        threads after the first few are folded when ``fold``."""
        self._measure(forest)
        grouped = group_threads(forest)
        out: list[str] = []
        shown = grouped[:THREADS_SHOWN] if fold else grouped
        for thread_id, roots in shown:
            self._thread(thread_id, roots, out)
        rest = grouped[len(shown) :]
        if rest:
            count = sum(self.sizes[root.pk] for _thread, roots in rest for root in roots)
            is_open = any(root.pk in self.leads_to_target for _t, roots in rest for root in roots)
            out.append('<li class="threads-more">')
            self._summary(
                out,
                f"after-{grouped[len(shown) - 1][0]}",
                is_open,
                ngettext("Show %(count)s more comment", "Show %(count)s more comments", count),
                count,
            )
            out.append('<ol class="threads" role="list">')
            for thread_id, roots in rest:
                self._thread(thread_id, roots, out)
            out.append("</ol></details></li>")
        return mark_safe("".join(out))

    def thread(self, thread_id: int, roots: list[ThreadNode]) -> SafeString:
        """One ``<li class="thread" id="thread-<root>">``; empty when nothing is left to show."""
        self._measure(roots)
        out: list[str] = []
        if roots:
            self._thread(thread_id, roots, out)
        return mark_safe("".join(out))

    def comment(self, comment: Comment, *, actions: bool = False) -> SafeString:
        """One comment on its own, without its replies (above a reply or edit form)."""
        out: list[str] = []
        row = CommentRow.of(comment)
        self._article(ThreadNode(comment=row, pk=row.pk, depth=row.depth), out, actions)
        return mark_safe("".join(out))

    # Measuring: sizes for the "Show N more" labels, and the path to the target

    def _measure(self, nodes: list[ThreadNode]) -> None:
        for node in nodes:
            self._measure(node.replies)
            own = 1 if node.comment is not None and not node.comment.is_deleted else 0
            self.sizes[node.pk] = own + sum(self.sizes[reply.pk] for reply in node.replies)
            if node.pk == self.target or any(
                reply.pk in self.leads_to_target for reply in node.replies
            ):
                self.leads_to_target.add(node.pk)

    # Writing

    def _thread(self, thread_id: int, roots: list[ThreadNode], out: list[str]) -> None:
        out.append(f'<li class="thread" id="thread-{thread_id}">')
        for root in roots:
            self._node(root, out)
        out.append("</li>")

    def _node(self, node: ThreadNode, out: list[str]) -> None:
        self._article(node, out, actions=True)
        replies = node.replies
        if not replies:
            return
        if node.depth + 1 == FOLDED_DEPTH:
            count = self.sizes[node.pk] - (
                0 if node.comment is None or node.comment.is_deleted else 1
            )
            self._summary(
                out,
                f"below-{node.pk}",
                node.pk in self.leads_to_target and node.pk != self.target,
                ngettext("Show %(count)s reply", "Show %(count)s replies", count),
                count,
                css="replies-folded",
            )
            self._replies(replies, out)
            out.append("</details>")
            return
        self._replies(replies, out)

    def _replies(self, replies: list[ThreadNode], out: list[str]) -> None:
        """The replies to one comment, the first few shown and the rest folded."""
        out.append('<ol class="replies" role="list">')
        for reply in replies[:REPLIES_SHOWN]:
            out.append('<li class="reply">')
            self._node(reply, out)
            out.append("</li>")
        rest = replies[REPLIES_SHOWN:]
        if rest:
            count = sum(self.sizes[reply.pk] for reply in rest)
            out.append('<li class="replies-more">')
            self._summary(
                out,
                f"after-{replies[REPLIES_SHOWN - 1].pk}",
                any(reply.pk in self.leads_to_target for reply in rest),
                ngettext("Show %(count)s more reply", "Show %(count)s more replies", count),
                count,
            )
            out.append('<ol class="replies" role="list">')
            for reply in rest:
                out.append('<li class="reply">')
                self._node(reply, out)
                out.append("</li>")
            out.append("</ol></details></li>")
        out.append("</ol>")

    def _summary(
        self, out: list[str], key: str, is_open: bool, label: str, count: int, css: str = "more"
    ) -> None:
        # data-for names the fold, so that discussion.js can keep it open when the thread
        # around it is rendered again.
        out.append(f'<details class="{css}" data-for="{key}"{" open" if is_open else ""}>')
        out.append(
            f'<summary><span class="when-closed">{escape(label % {"count": count})}</span>'
            f'<span class="when-open">{self.label["hide"]}</span></summary>'
        )

    def _article(self, node: ThreadNode, out: list[str], actions: bool) -> None:
        comment = node.comment
        if comment is None:
            out.append(
                f'<article class="comment comment-unavailable">'
                f'<p class="comment-tombstone">{self.label["unavailable"]}</p></article>'
            )
            return
        pk = comment.pk
        url = f"{self.comment_prefix}{pk}/"
        classes = "comment"
        if pk == self.target:
            classes += " comment-target"
        if comment.status != PUBLISHED:
            classes += f" comment-{comment.status}"
        time = self._time(comment.created_at)
        if comment.is_deleted:
            out.append(
                f'<article class="{classes} comment-deleted" id="c{pk}" tabindex="-1">'
                f'<p class="comment-tombstone">{self.label["deleted"]} '
                f'<a class="comment-permalink" href="{url}">{time}</a></p></article>'
            )
            return
        out.append(
            f'<article class="{classes}" id="c{pk}" tabindex="-1" aria-labelledby="c{pk}-by">'
            f'<header class="comment-meta">'
            f'<a class="comment-author" id="c{pk}-by" href="{self._user_url(comment)}">'
            f"{escape(comment.display_name or comment.username)}</a> "
            f'<a class="comment-permalink" href="{url}">{time}'
            f'<span class="visually-hidden"> — {self.label["permalink"]}</span></a>'
        )
        if comment.edited_at is not None:
            out.append(
                f' <a class="comment-edited" href="{url}history/">{self.label["edited"]}'
                f'<span class="visually-hidden"> — {self.label["history"]}</span></a>'
            )
        if comment.status != PUBLISHED:
            status = self.label["status"].get(comment.status, escape(comment.status))
            out.append(f' <span class="badge badge-{comment.status}">{status}</span>')
        out.append("</header>")
        anchored_quote = None
        if self.anchor_notes is not None:
            note, anchored_quote = self.anchor_notes.html(comment)
            out.append(note)
        if anchored_quote is not None:
            out.append(anchored_quote)
        elif comment.quote_exact:
            out.append(
                f'<blockquote class="comment-quote"><p><span class="visually-hidden">'
                f"{self.label['quote']} </span>{escape(comment.quote_exact)}</p></blockquote>"
            )
        out.append(f'<div class="comment-body">{comment.body_html}</div>')
        if actions and self.viewer.can_write:
            out.append('<p class="comment-actions">')
            if comment.depth < self.max_depth:
                self._action(out, url, f"reply/{self.reply_query}", self.label["reply"], pk)
            if comment.author_id == self.viewer.pk:
                self._action(out, url, "edit/", self.label["edit"], pk)
                self._action(out, url, "delete/", self.label["delete"], pk)
            elif self.viewer.pk is not None and comment.status == PUBLISHED:
                self._action(out, url, "flag/", self.label["flag"], pk)
            out.append(f'</p><div class="comment-slot" id="c{pk}-slot"></div>')
        out.append("</article>")

    @staticmethod
    def _action(out: list[str], url: str, suffix: str, label: str, pk: int) -> None:
        out.append(
            f'<a class="comment-action" href="{url}{suffix}" hx-get="{url}{suffix}" '
            f'hx-target="#c{pk}-slot">{label}</a>'
        )

    def _user_url(self, comment: CommentRow) -> str:
        url = self.user_urls.get(comment.author_id)
        if url is None:
            # One reverse() per thread, not per author: threads run to 1,000 comments.
            if self.user_url_prefix is None:
                self.user_url_prefix = reverse(
                    "people:user-detail", kwargs={"username": "_"}
                ).removesuffix("_/")
            url = escape(f"{self.user_url_prefix}{iri_to_uri(comment.username)}/")
            self.user_urls[comment.author_id] = url
        return url

    def _time(self, moment) -> str:
        # Comments written in the same minute share their label: formatting is the slow part.
        minute = moment.replace(second=0, microsecond=0)
        label = self.times.get(minute)
        if label is None:
            local = timezone.localtime(minute)
            label = escape(date_format(local, "j M Y, H:i"))
            self.times[minute] = label
        return f'<time datetime="{moment.isoformat()}">{label}</time>'


# The data a discussion template receives


def viewer_for(user, work: Work) -> Viewer:
    closed = work.moderation_policy == ModerationPolicy.CLOSED
    return Viewer(
        pk=user.pk if user.is_authenticated else None,
        can_write=user.is_authenticated and not closed,
        current_version_id=work.current_version_id,
    )


def thread_of(
    user, comment: Comment, *, target: int | None = None, wordings: VersionWordings | None = None
) -> tuple[int, SafeString]:
    """The whole thread ``comment`` belongs to, as ``user`` may see it: one query. With
    ``wordings``, each comment says how it stands on that version."""
    root_id = comment.thread_root_id
    forest = build_forest(comment_rows(Comment.objects.visible_to(user).in_thread(root_id)))
    forest = drop_bare_tombstones(forest, keep=target)
    renderer = ThreadRenderer(
        viewer=viewer_for(user, comment.work), target=target, wordings=wordings
    )
    return root_id, renderer.thread(root_id, forest)


def login_url_for(next_url: str) -> str:
    return redirect_to_login(next_url)["Location"]


def _back_from_sign_in(
    paragraph: Paragraph, entry: VersionParagraph | None, is_current: bool, standalone: bool
) -> str:
    """Where signing in leads: back to the discussion where it was open."""
    if standalone or entry is None:
        return f"{paragraph.get_absolute_url()}#discussion"
    return discussion_url(paragraph, None if is_current else entry.version)


def paragraph_discussion_context(
    request,
    *,
    paragraph: Paragraph,
    entry: VersionParagraph | None,
    is_current: bool = True,
    standalone: bool = False,
) -> dict:
    """What ``commentary/paragraph_discussion.html`` receives; one query for the comments.

    ``entry`` holds the wording a new comment would be written on (the version on screen),
    None when the paragraph is in no version that takes new comments. ``standalone`` is the
    paragraph page, where the discussion is part of the page rather than opened beside the
    text; beside the text it is titled with the passage's label ("¶ 4") and its "Close"
    link leads back to the reading page of the version on screen.
    """
    user = request.user
    # On a version, the paragraph gathers the comments of those merged into it, and each
    # comment says how it stands there.
    wordings = version_wordings(entry.version) if entry is not None else None
    gathered = wordings.gathered_on(paragraph.pk) if wordings is not None else [paragraph.pk]
    rows = comment_rows(Comment.objects.visible_to(user).filter(paragraph_id__in=gathered))
    forest = drop_bare_tombstones(build_forest(rows))
    viewer = viewer_for(user, paragraph.work)
    threads_html = ThreadRenderer(viewer=viewer, wordings=wordings).threads(forest)
    work = paragraph.work
    form = None
    if viewer.can_write and entry is not None:
        initial = {} if is_current else {"version": entry.version.number}
        form = CommentForm(initial=initial, auto_id=f"{paragraph.key}-%s")
    return {
        "paragraph": paragraph,
        "work": work,
        "entry": entry,
        "threads_html": threads_html,
        "form": form,
        "inline": True,
        "closed": work.moderation_policy == ModerationPolicy.CLOSED,
        "is_premoderated": work.moderation_policy == ModerationPolicy.PREMODERATED,
        "login_url": login_url_for(_back_from_sign_in(paragraph, entry, is_current, standalone)),
        "standalone": standalone,
        **({} if standalone else _panel_context(paragraph, entry, is_current)),
    }


def _panel_context(paragraph: Paragraph, entry: VersionParagraph | None, is_current: bool):
    work = paragraph.work
    if entry is None or is_current:
        reading_url = work.get_absolute_url()
    else:
        entry.version.work = work
        reading_url = entry.version.get_absolute_url()
    return {
        "passage_label": entry_label(entry),
        "close_url": f"{reading_url}#{paragraph.key}",
    }
