"""A thread as most signed-in readers see it: rendered once for everybody, each reader's
controls filled in (``ThreadRenderer.fill_actions``).

A reader who sees of a public thread exactly what everybody sees (not a moderator, with no
comment of their own in it that is not published) differs from an anonymous reader only
in the controls under each comment: reply, edit and delete their own, flag or "Flagged".
The thread is rendered once with those left as slots, kept in the cache under the
generations of the discussion and the text (every write that changes what a comment shows
bumps the first), and the reader's controls are written into the slots: no row of the
thread is read, no comment rendered. Any other reader, and any thread of a reading group,
gets ``thread_of`` as before, and so does every permalink but the thread's first
comment's (see ``shared_thread_of``).
"""

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from commentary.anchors import VersionWordings
from commentary.models import Comment
from commentary.pages.threads import (
    ThreadRenderer,
    Viewer,
    drop_bare_tombstones,
    thread_of,
    viewer_for,
)
from commentary.rows import comment_rows
from commentary.threads import build_forest, sees_only_public
from config.site.caching import DISCUSSION, TEXT, remembered


def shared_thread_of(
    user, comment: Comment, *, target: int | None, wordings: VersionWordings | None
) -> tuple[int, SafeString]:
    """``thread_of(user, comment, target=…, wordings=…)``, from the thread rendered for
    everybody when ``user`` sees only what everybody does (see the module doc)."""
    root_id = comment.thread_root_id
    # Only the thread's own address (its first comment's) is shared: one entry per thread,
    # not one per comment of it, which a crawl of a long thread's permalinks would fill
    # the cache with; the others are rendered for their reader.
    if target not in (None, root_id) or not sees_only_public(user, root_id):
        return thread_of(user, comment, target=target, wordings=wordings)
    work = comment.work
    shown_on = wordings.version_id if wordings is not None else 0
    name = (
        f"thread-shared:{root_id}:{target}:{shown_on}:{get_language()}:"
        f"{timezone.get_current_timezone_name()}"
    )

    def render() -> tuple[str, dict]:
        rows = comment_rows(Comment.objects.visible_to(None).in_thread(root_id))
        forest = drop_bare_tombstones(build_forest(rows), keep=target)
        everybody = Viewer(pk=None, can_write=True, current_version_id=work.current_version_id)
        renderer = ThreadRenderer(viewer=everybody, target=target, wordings=wordings)
        renderer.action_slots = {}
        return str(renderer.thread(root_id, forest)), renderer.action_slots

    html, slots = remembered(name, (DISCUSSION, TEXT), render)
    renderer = ThreadRenderer(viewer=viewer_for(user, work), target=target, wordings=wordings)
    return root_id, renderer.fill_actions(html, slots)
