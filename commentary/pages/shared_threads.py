"""A thread as most signed-in readers see it: rendered once for everybody, each reader's
controls filled in.

A reader who sees of a public thread exactly what everybody sees (not a moderator, with no
comment of their own in it that is not published) differs from an anonymous reader only
in the controls under each comment: reply, edit and delete their own, flag or "Flagged".
The thread is rendered once, kept in the cache under the generations of the discussion and
the text (every write that changes what a comment shows bumps the first), with the
controls of a reader who wrote none of its comments and flagged none: most readers get
that HTML as it is. Where a reader's controls differ (their own comments, the ones they
flagged, none at all for a reader who may not write) they are spliced in at the places
kept with it: no row of the thread is read, no comment rendered. Any other reader, and any
thread of a reading group, gets ``thread_of`` as before, and so does every permalink but
the thread's first comment's (see ``shared_thread_of``).
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from commentary.anchors import VersionWordings
from commentary.models import Comment
from commentary.pages.threads import (
    ACTION_SLOT,
    ThreadRenderer,
    Viewer,
    drop_bare_tombstones,
    flagged_by,
    thread_of,
    viewer_for,
)
from commentary.rows import comment_rows
from commentary.threads import build_forest, sees_only_public
from config.site.caching import (
    DISCUSSION,
    TEXT,
    keep_under,
    kept_under,
    reader_page_generations,
    remembered,
)
from edition.extensions import reader_standing


class SharedThread(NamedTuple):
    """A thread rendered for everybody: ``html`` with a stranger's controls under each
    comment (a signed-in reader who may write, wrote none of them and flagged none), where
    each comment's controls are in it (``spans``, by comment), and what decides another
    reader's: each comment's (author, depth, status) and the comments of each author.

    ``html`` is kept encoded (UTF-8, ``spans`` in bytes): a 1,000-comment thread is a
    megabyte that would otherwise be decoded from the cache and encoded again for the
    response on every request, which took longer than the rest of the page."""

    html: bytes
    spans: dict[int, tuple[int, int]]
    slots: dict[int, tuple[int, int, str]]
    by_author: dict[int, list[int]]


@dataclass(frozen=True)
class ThreadReader:
    """What decides a signed-in reader's own view of a public thread: whether they see of
    it only what everybody does (``sees_only_public``) and the comments of its work they
    flagged; and their standing (``edition.extensions.reader_standing``) when it was read."""

    standing: str
    only_public: bool
    flagged: frozenset[int]


def thread_reader(user, comment: Comment) -> ThreadReader:
    """``user``'s ``ThreadReader`` of ``comment``'s thread, kept for them under the
    generations of its work's discussion (any comment of it written, edited, moderated or
    deleted, theirs included) and their own (``config.site.caching.READER``: their flags,
    their account, their roles), and only while their standing reads the same: two queries
    the first time, two reads of the caches after."""
    root_id = comment.thread_root_id
    key = f"thread-reader:{root_id}:{user.pk}"

    def wanted() -> dict:
        page, own = reader_page_generations((DISCUSSION,), comment.work.slug, None, user.pk)
        return {key: [*page, *own]}

    generations_read, held = kept_under(wanted)
    standing = reader_standing(user)
    kept = held.get(key)
    if kept is not None and kept.standing == standing:
        return kept
    reader = ThreadReader(
        standing, sees_only_public(user, root_id), frozenset(flagged_by(user.pk, comment.work_id))
    )
    keep_under({key: reader}, generations_read)
    return reader


def shared_thread_of(
    user, comment: Comment, *, target: int | None, wordings: VersionWordings | None
) -> tuple[int, SafeString | bytes]:
    """``thread_of(user, comment, target=…, wordings=…)``, from the thread rendered for
    everybody when ``user`` sees only what everybody does (see the module doc): then as
    UTF-8 bytes, else as ``thread_of`` gives it."""
    root_id = comment.thread_root_id
    # Only the thread's own address (its first comment's) is shared: one entry per thread,
    # not one per comment of it, which a crawl of a long thread's permalinks would fill
    # the cache with; the others are rendered for their reader.
    if target not in (None, root_id):
        return thread_of(user, comment, target=target, wordings=wordings)
    reader = thread_reader(user, comment) if user.is_authenticated else None
    if reader is not None and not reader.only_public:
        return thread_of(user, comment, target=target, wordings=wordings)
    work = comment.work
    shown_on = wordings.version_id if wordings is not None else 0
    name = (
        f"shared-thread-encoded:{root_id}:{target}:{shown_on}:{get_language()}:"
        f"{timezone.get_current_timezone_name()}"
    )

    def render() -> SharedThread:
        rows = comment_rows(Comment.objects.visible_to(None).in_thread(root_id))
        forest = drop_bare_tombstones(build_forest(rows), keep=target)
        everybody = Viewer(pk=None, can_write=True, current_version_id=work.current_version_id)
        renderer = ThreadRenderer(viewer=everybody, target=target, wordings=wordings)
        renderer.action_slots = {}
        return _with_strangers_controls(
            str(renderer.thread(root_id, forest)), renderer, renderer.action_slots
        )

    shared = remembered(name, (DISCUSSION, TEXT), render)
    renderer = ThreadRenderer(viewer=viewer_for(user, work), target=target, wordings=wordings)
    if reader is not None:
        renderer.flagged = set(reader.flagged)
    return root_id, _for_reader(shared, renderer)


def _with_strangers_controls(
    html: str, renderer: ThreadRenderer, slots: dict[int, tuple[int, int, str]]
) -> SharedThread:
    """``html`` rendered with action slots, a stranger's controls in each, encoded."""
    out: list[bytes] = []
    spans: dict[int, tuple[int, int]] = {}
    by_author: dict[int, list[int]] = {}
    length = start = 0
    for match in ACTION_SLOT.finditer(html):
        before = html[start : match.start()].encode()
        out.append(before)
        length += len(before)
        pk = int(match.group(1))
        author_id, depth, status = slots[pk]
        controls: list[str] = []
        renderer.controls(controls, pk, depth, status, own=False, signed_in=True)
        written = "".join(controls).encode()
        out.append(written)
        spans[pk] = (length, length + len(written))
        length += len(written)
        by_author.setdefault(author_id, []).append(pk)
        start = match.end()
    out.append(html[start:].encode())
    return SharedThread(b"".join(out), spans, slots, by_author)


def _for_reader(shared: SharedThread, renderer: ThreadRenderer) -> bytes:
    """``shared`` with the controls of ``renderer``'s viewer where they are not a
    stranger's: on their own comments and the ones they flagged; none where they may not
    write. One query (their flags on the work) for a reader who may write."""
    if renderer.viewer.can_write:
        differ = set(shared.by_author.get(renderer.viewer.pk, ()))
        differ |= renderer.has_flagged_any(shared.spans.keys())
    else:
        differ = shared.spans.keys()
    if not differ:
        return shared.html
    html, out, start = shared.html, [], 0
    for pk in sorted(differ, key=lambda pk: shared.spans[pk][0]):
        begin, end = shared.spans[pk]
        out.append(html[start:begin])
        controls: list[str] = []
        renderer.actions(controls, pk, *shared.slots[pk])
        out.append("".join(controls).encode())
        start = end
    out.append(html[start:])
    return b"".join(out)
