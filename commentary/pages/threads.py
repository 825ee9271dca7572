"""Threads as HTML, and the data the discussion templates receive.

A thread of 1,000 comments rendered through a recursive ``{% include %}`` spends about
0.1 ms per comment in template machinery alone, so the comments are rendered here, with
the labels translated once per thread. Everything interpolated is escaped except
``body_html``, which ``commentary.markdown`` has already sanitised.

Long threads stay readable without JavaScript: a comment's replies after the first few, and
every branch from a set depth down, are folded into ``<details>``; the branches that lead
to the comment a reader followed a link to are rendered open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commentary.anchors import VersionWordings, version_wordings
from commentary.layers import (
    ReaderLayers,
    layer_links,
    layer_query,
    reader_layers,
    with_query,
)
from commentary.models import Comment
from commentary.moments import html_datetime
from commentary.pages.anchor_notes import AnchorNotes
from commentary.pages.forms import CommentForm
from commentary.pages.reading_links import discussion_url
from commentary.policy import write_policy
from commentary.relations import flag_model
from commentary.rows import CommentRow, comment_rows
from commentary.threads import ThreadNode, build_forest
from edition.models import ModerationPolicy, Paragraph, Version, VersionParagraph, Work
from edition.numbering import entry_label
from edition.parts import passage_reading_url

if TYPE_CHECKING:
    from commentary.groups.models import ReadingGroup

THREADS_SHOWN = 10
REPLIES_SHOWN = 3
FOLDED_DEPTH = 4  # Replies this deep start folded, with everything below them.
PUBLISHED = Comment.Status.PUBLISHED.value  # read once: looked up per comment otherwise
# Where a comment's controls go in a thread rendered for every reader: an HTML comment,
# which escaped text never produces.
ACTION_SLOT = re.compile(r"<!--actions:(\d+)-->")


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
    work_id: int | None = None


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
        layer: ReadingGroup | None = None,
    ) -> None:
        self.viewer = viewer
        self.target = target
        # The version on screen, when there is one: comments written on another wording say so.
        self.anchor_notes = AnchorNotes(wordings) if wordings is not None else None
        # A reply records the wording on screen: the reply form is told when it is not the
        # current one. Every form keeps the layer the reader reads in (``?group=``), so
        # that the margin it updates counts that layer.
        version = None
        if wordings is not None and wordings.version_id != viewer.current_version_id:
            version = wordings.number
        self.reply_query = with_query("", layer_query(layer, version=version))
        self.action_query = with_query("", layer_query(layer))
        self.max_depth = settings.SCHOLIA_COMMENT_MAX_DEPTH
        self.comment_prefix = reverse("commentary:comment-detail", kwargs={"pk": 0})[:-2]
        self.user_urls: dict[int, str] = {}
        self.user_url_prefix: str | None = None
        self.times: dict[object, str] = {}
        self.sizes: dict[int, int] = {}
        self.leads_to_target: set[int] = set()
        self.flagged: set[int] | None = None  # see _read_flags
        self.tag_urls: dict[str, str] = {}  # work slug -> its tag filter's address, to "?tag="
        # When set, the comments' controls are left as slots (``ACTION_SLOT``), and each
        # comment's author, depth and status recorded here: HTML for every reader
        # (``commentary.pages.shared_threads``).
        self.action_slots: dict[int, tuple[int, int, str]] | None = None
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
            "flagged": escape(_("Flagged")),
            "quote": escape(_("Quoting the paragraph:")),
            "hide": escape(_("Hide")),
            "tags": escape(_("Tags")),
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
        self._read_flags()
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
        self._read_flags()
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

    def arrivals(self, rows: list[CommentRow], lists: dict[str | None, str]) -> SafeString:
        """New comments, oldest first, each as the list item it will be in the threads
        (commentary.pages.live): a reply says the comment it answers (``data-live-parent``),
        a new thread the id of its list (``lists``, by the group's slug, None for public)."""
        self._read_flags()
        out: list[str] = []
        for row in rows:
            node = ThreadNode(comment=row, pk=row.pk, depth=row.depth)
            if row.parent_id is not None:
                out.append(f'<li class="reply" data-live-parent="c{row.parent_id}">')
            else:
                place = escape(lists.get(row.group_slug, ""))
                out.append(f'<li class="thread" id="thread-{row.pk}" data-live-list="{place}">')
            self._article(node, out, actions=True)
            out.append("</li>")
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
            # Its place (code points in the wording quoted) lets the page highlight this
            # occurrence of a phrase the paragraph repeats, not every one.
            place = ""
            if comment.quote_start is not None:
                place = (
                    f' data-quote-start="{comment.quote_start}"'
                    f' data-quote-end="{comment.quote_end}"'
                )
            out.append(
                f'<blockquote class="comment-quote"{place}><p><span class="visually-hidden">'
                f"{self.label['quote']} </span>{escape(comment.quote_exact)}</p></blockquote>"
            )
        out.append(f'<div class="comment-body">{comment.body_html}</div>')
        if comment.tags:
            self._tags(comment, out)
        if actions and self.action_slots is not None:
            # Shared by every reader: their own controls go here (``shared_threads``).
            self.action_slots[pk] = (comment.author_id, comment.depth, comment.status)
            out.append(f"<!--actions:{pk}-->")
        elif actions:
            self.actions(out, pk, comment.author_id, comment.depth, comment.status)
        out.append("</article>")

    def actions(self, out: list[str], pk: int, author_id: int, depth: int, status: str) -> None:
        """The viewer's controls on comment ``pk``: reply, edit and delete their own, flag."""
        if not self.viewer.can_write:
            return
        self.controls(
            out,
            pk,
            depth,
            status,
            own=author_id == self.viewer.pk,
            signed_in=self.viewer.pk is not None,
        )

    def controls(
        self, out: list[str], pk: int, depth: int, status: str, *, own: bool, signed_in: bool
    ) -> None:
        """The controls on comment ``pk`` of a reader who may write: reply, edit and delete
        when it is ``own``, else flag it (or "Flagged") when ``signed_in``."""
        url = f"{self.comment_prefix}{pk}/"
        out.append('<p class="comment-actions">')
        if depth < self.max_depth:
            self._action(out, url, f"reply/{self.reply_query}", self.label["reply"], pk)
        if own:
            self._action(out, url, f"edit/{self.action_query}", self.label["edit"], pk)
            self._action(out, url, f"delete/{self.action_query}", self.label["delete"], pk)
        elif signed_in and status == PUBLISHED:
            if self._has_flagged(pk):
                # One flag per member: the state, not an action that would be refused.
                out.append(
                    f'<span class="comment-flagged" id="c{pk}-flag">{self.label["flagged"]}</span>'
                )
            else:
                self._action(out, url, "flag/", self.label["flag"], pk, f"c{pk}-flag")
        out.append(f'</p><div class="comment-slot" id="c{pk}-slot"></div>')

    def has_flagged_any(self, pks) -> set[int]:
        """Those of comments ``pks`` the viewer flagged (see ``_read_flags``)."""
        self._read_flags()
        return self.flagged & pks if self.flagged else set()

    def _tags(self, comment: CommentRow, out: list[str]) -> None:
        """The comment's tags, each a link to its work's comments in reading order filtered
        by it (when that list is served)."""
        prefix = self.tag_urls.get(comment.work_slug, "")
        if comment.work_slug not in self.tag_urls:
            try:
                prefix = escape(
                    reverse("search:work-comments", kwargs={"slug": comment.work_slug}) + "?tag="
                )
            except NoReverseMatch:
                prefix = ""
            self.tag_urls[comment.work_slug] = prefix
        out.append(f'<ul class="comment-tags" role="list" aria-label="{self.label["tags"]}">')
        for tag in comment.tags:
            name = escape(tag)
            if prefix:
                href = f"{prefix}{escape(quote(tag))}"
                out.append(f'<li><a class="comment-tag" href="{href}">#{name}</a></li>')
            else:
                out.append(f'<li><span class="comment-tag">#{name}</span></li>')
        out.append("</ul>")

    def _read_flags(self) -> None:
        """The comments of the work the viewer flagged, read once per renderer: whatever
        the threads hold, so that a page costs as many queries with comments as without."""
        viewer = self.viewer
        # A bare rendering, of no work's page, reads nothing.
        if self.flagged is None and viewer.pk is not None and viewer.work_id is not None:
            self.flagged = flagged_by(viewer.pk, viewer.work_id)

    def _has_flagged(self, pk: int) -> bool:
        """Whether the viewer flagged comment ``pk`` (see ``_read_flags``)."""
        self._read_flags()
        return self.flagged is not None and pk in self.flagged

    @staticmethod
    def _action(out: list[str], url: str, suffix: str, label: str, pk: int, id_: str = "") -> None:
        id_attribute = f' id="{id_}"' if id_ else ""
        out.append(
            f'<a class="comment-action"{id_attribute} href="{url}{suffix}" '
            f'data-hx-get="{url}{suffix}" data-hx-target="#c{pk}-slot">{label}</a>'
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
            label = escape(date_format(local, "DATETIME_FORMAT"))
            self.times[minute] = label
        return f'<time datetime="{html_datetime(moment)}">{label}</time>'


def flagged_by(user_id: int, work_id: int) -> set[int]:
    """The ids of the comments of work ``work_id`` that user ``user_id`` flagged."""
    flags = flag_model().objects.filter(user_id=user_id, comment__work_id=work_id)
    return set(flags.values_list("comment_id", flat=True))


# The data a discussion template receives


def viewer_for(user, work: Work) -> Viewer:
    closed = work.moderation_policy == ModerationPolicy.CLOSED
    return Viewer(
        pk=user.pk if user.is_authenticated else None,
        can_write=user.is_authenticated and not closed,
        current_version_id=work.current_version_id,
        work_id=work.pk,
    )


def thread_of(
    user,
    comment: Comment,
    *,
    target: int | None = None,
    wordings: VersionWordings | None = None,
    layer: ReadingGroup | None = None,
) -> tuple[int, SafeString]:
    """The whole thread ``comment`` belongs to, as ``user`` may see it: one query. With
    ``wordings``, each comment says how it stands on that version; ``layer`` is the layer
    the reader reads in, which the thread's forms keep."""
    root_id = comment.thread_root_id
    forest = build_forest(comment_rows(Comment.objects.visible_to(user).in_thread(root_id)))
    forest = drop_bare_tombstones(forest, keep=target)
    renderer = ThreadRenderer(
        viewer=viewer_for(user, comment.work), target=target, wordings=wordings, layer=layer
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


@dataclass
class GroupThreads:
    """A reading group's threads on a paragraph, as one member may see them: ``html`` (the
    thread items) and, in a "post first" group they have not written on this paragraph in,
    ``waiting``: how many first comments of the others wait for theirs (else None)."""

    group: ReadingGroup
    html: SafeString
    waiting: int | None = None

    @property
    def waiting_note(self) -> str:
        if self.waiting is None:
            return ""
        if not self.waiting:
            return _(
                "This group writes first, then reads: the others' readings of this passage "
                "appear here once you post your own."
            )
        return ngettext(
            "%(count)s reading from the group appears here once you post your own.",
            "%(count)s readings from the group appear here once you post your own.",
            self.waiting,
        ) % {"count": self.waiting}


def _group_threads(
    layers: ReaderLayers, paragraph: Paragraph, version, rows, renderer
) -> GroupThreads:
    """The chosen group's threads from ``rows`` (what the reader may see of the group's
    comments on the paragraph as ``version`` shows it; None: the current one). In a "post
    first" group, for a member who has not written on the paragraph in it, how many first
    comments wait: the margin's own count (``ReaderLayers.waiting``), so the panel and the
    margin say the same of merged paragraphs and of what a moderator reads already."""
    group = layers.group
    forest = drop_bare_tombstones(build_forest(rows))
    html = renderer.threads(forest)
    if not layers.hides_until_posted:
        return GroupThreads(group, html)
    if any(row.author_id == layers.user.pk and row.paragraph_id == paragraph.pk for row in rows):
        return GroupThreads(group, html)
    waiting = layers.waiting([paragraph.pk], version).get(paragraph.pk, 0)
    return GroupThreads(group, html, waiting)


def group_threads_for(
    request,
    comment: Comment,
    *,
    target: int | None = None,
    version: Version | None = None,
) -> tuple[ReaderLayers, GroupThreads]:
    """The group section of the panel again, after ``comment`` was written in the group
    the request reads in (on ``version``, None: the current one): in a "post first" group
    the first comment opens the others'."""
    wordings = version_wordings(version) if version is not None else None
    layers = reader_layers(request, comment.work)
    paragraph_id = comment.paragraph_id
    gathered = wordings.gathered_on(paragraph_id) if wordings is not None else [paragraph_id]
    rows = comment_rows(
        Comment.objects.visible_to(request.user)
        .in_layer(layers.group)
        .filter(paragraph_id__in=gathered)
    )
    renderer = ThreadRenderer(
        viewer=viewer_for(request.user, comment.work),
        target=target,
        wordings=wordings,
        layer=layers.group,
    )
    return layers, _group_threads(layers, comment.paragraph, version, rows, renderer)


def paragraph_discussion_context(
    request,
    *,
    paragraph: Paragraph,
    entry: VersionParagraph | None,
    is_current: bool = True,
    standalone: bool = False,
) -> dict:
    """What ``commentary/paragraph_discussion.html`` receives; one query for the comments
    (and, in a "post first" group, one count of what waits for the reader's own).

    ``entry`` holds the wording a new comment would be written on (the version on screen),
    None when the paragraph is in no version that takes new comments. ``standalone`` is the
    paragraph page, where the discussion is part of the page rather than opened beside the
    text; beside the text it is titled with the passage's label ("¶ 4") and its "Close"
    link leads back to the reading page of the version on screen.

    The discussion is that of the layer the request names (``commentary.layers``; 404 for
    one the reader may not read): the public one, or a reading group's threads (``group``,
    ``group_threads``) above the public ones, with a form that posts to the group unless
    the reader chooses the public. ``layer_links`` lets a member of groups switch.
    """
    user = request.user
    work = paragraph.work
    layers = reader_layers(request, work)
    group = layers.group
    # On a version, the paragraph gathers the comments of those merged into it, and each
    # comment says how it stands there.
    wordings = version_wordings(entry.version) if entry is not None else None
    gathered = wordings.gathered_on(paragraph.pk) if wordings is not None else [paragraph.pk]
    shown = Comment.objects.visible_to(user).filter(paragraph_id__in=gathered)
    if group is None:
        shown = shown.in_layer(None)
    else:
        shown = shown.filter(Q(group__isnull=True) | Q(group=group))
    rows = comment_rows(shown)
    viewer = viewer_for(user, work)
    renderer = ThreadRenderer(viewer=viewer, wordings=wordings, layer=group)
    public_rows = [row for row in rows if row.group_slug is None]
    threads_html = renderer.threads(drop_bare_tombstones(build_forest(public_rows)))
    group_threads = None
    if group is not None:
        group_rows = [row for row in rows if row.group_slug is not None]
        version = entry.version if entry is not None else None
        group_threads = _group_threads(layers, paragraph, version, group_rows, renderer)
    form = None
    refusal = ""
    policy = write_policy()
    if viewer.can_write and entry is not None:
        # A sanctioned member reads why, and until when, instead of a form that would
        # refuse what they write.
        refusal = policy.refusal(user, group_id=group.pk if group is not None else None)
    if viewer.can_write and entry is not None and not refusal:
        initial = {} if is_current else {"version": entry.version.number}
        form = CommentForm(
            initial=initial,
            auto_id=f"{paragraph.key}-%s",
            group=group,
            held_as_new=policy.held_as_new(user),
        )
    page_url, anchor = _page_of(paragraph, entry, is_current, standalone)
    return {
        "paragraph": paragraph,
        "work": work,
        "entry": entry,
        "threads_html": threads_html,
        "form": form,
        "sanction_note": refusal,
        "inline": True,
        "closed": work.moderation_policy == ModerationPolicy.CLOSED,
        "is_premoderated": work.moderation_policy == ModerationPolicy.PREMODERATED,
        "login_url": login_url_for(_back_from_sign_in(paragraph, entry, is_current, standalone)),
        "standalone": standalone,
        "group": group,
        "group_threads": group_threads,
        **form_layers(
            layers, page_url, discussion=None if standalone else paragraph.key, anchor=anchor
        ),
        **({} if standalone else _panel_context(paragraph, entry, is_current, group)),
        # The live region's poller: how often, and the version on screen (named even when
        # it is the current one, so that a published version's page never changes).
        "live_poll_seconds": settings.SCHOLIA_LIVE_POLL_SECONDS,
        "live_version": entry.version.number if entry is not None else None,
    }


def form_layers(
    layers: ReaderLayers, page_url: str, *, discussion: str | None, anchor: str
) -> dict:
    """What the new-comment form receives of the layers: ``form_query``, the layer its
    action keeps, and ``layer_links``, the reader's layers as links to ``page_url`` (the
    form offers the groups when it posts in public; the paragraph page shows the switch)."""
    links = []
    if layers.groups:
        links = layer_links(layers, page_url, discussion=discussion, anchor=anchor)
    return {"form_query": with_query("", layer_query(layers.group)), "layer_links": links}


def _page_of(
    paragraph: Paragraph, entry: VersionParagraph | None, is_current: bool, standalone: bool
) -> tuple[str, str]:
    """The page the discussion is part of, and the anchor that brings it into view."""
    if standalone:
        return paragraph.get_absolute_url(), "discussion"
    return _reading_url(paragraph, entry, is_current), paragraph.key


def _reading_url(paragraph: Paragraph, entry: VersionParagraph | None, is_current: bool) -> str:
    """The page that reads the passage: its chapter's, in a work divided into chapters."""
    work = paragraph.work
    if entry is None:
        return work.get_absolute_url()
    entry.version.work = work
    return passage_reading_url(entry.version, paragraph.key, current=is_current)


def _panel_context(
    paragraph: Paragraph,
    entry: VersionParagraph | None,
    is_current: bool,
    group: ReadingGroup | None,
) -> dict:
    in_layer = with_query("", layer_query(group))
    return {
        "passage_label": entry_label(entry),
        "close_url": f"{_reading_url(paragraph, entry, is_current)}{in_layer}#{paragraph.key}",
        "permalink_url": f"{paragraph.get_absolute_url()}{in_layer}",
    }
