"""Threads as trees, built in one pass over one query's rows.

Siblings come oldest first (primary keys grow with time). A visible comment whose parent
the viewer may not see hangs under a placeholder node, so the tree keeps its shape without
revealing the hidden comment.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from commentary.models import Comment
from commentary.roles import reader_roles


@dataclass
class ThreadNode:
    comment: Comment | None  # None for a placeholder
    pk: int
    depth: int
    replies: list["ThreadNode"] = field(default_factory=list)

    @property
    def is_placeholder(self) -> bool:
        return self.comment is None

    @property
    def reply_count(self) -> int:
        """All replies below this node, however deep."""
        return sum(1 + reply.reply_count for reply in self.replies)


def build_forest(comments: list[Comment]) -> list[ThreadNode]:
    """Roots (or placeholders) of the given comments, each with its replies nested."""
    nodes: dict[int, ThreadNode] = {}
    roots: list[ThreadNode] = []
    for comment in sorted(comments, key=lambda c: c.pk):
        node = ThreadNode(comment=comment, pk=comment.pk, depth=comment.depth)
        nodes[comment.pk] = node
        if comment.parent_id is None:
            roots.append(node)
            continue
        parent = nodes.get(comment.parent_id)
        if parent is None:
            parent = ThreadNode(comment=None, pk=comment.parent_id, depth=comment.depth - 1)
            nodes[comment.parent_id] = parent
            roots.append(parent)
        parent.replies.append(node)
    roots.sort(key=lambda node: node.pk)
    return roots


def keeps_a_tombstone(comment: Comment) -> bool:
    """Whether deleting ``comment`` leaves a note in its place: it does while a reply below
    it, however deep, is not deleted (a tombstone holds replies; a bare one is dropped).
    One query over the part of its thread below it."""
    below = (
        Comment.objects.in_thread(comment.thread_root_id)
        .filter(depth__gt=comment.depth)
        .values_list("pk", "parent_id", "deleted_at")
    )
    children: dict[int, list[tuple[int, bool]]] = {}
    for pk, parent_id, deleted_at in below:
        children.setdefault(parent_id, []).append((pk, deleted_at is not None))
    waiting = [comment.pk]
    while waiting:
        for pk, deleted in children.get(waiting.pop(), []):
            if not deleted:
                return True
            waiting.append(pk)
    return False


def sees_only_public(user, root_id: int) -> bool:
    """Whether ``user`` sees of thread ``root_id`` exactly what everybody sees, so that what
    is made of it for everybody may be served to them: a reader who moderates nothing (the
    ``visible_to`` rule then gives them the public comments, and their own), in a thread of
    the public discussion with no comment of theirs that is not published. One small query
    for a signed-in reader; none for anybody else.

    A reply keeps its root's group, so a thread is a group's when its root is: the query
    reads the root's row and the reader's own comments beyond the public ones (an index
    holds those), never the rows of the thread."""
    if not user.is_authenticated:
        return True
    if reader_roles(user).moderates:
        return False
    group_thread = Q(pk=root_id, group__isnull=False)
    own_not_public = (
        Q(author_id=user.pk, group__isnull=True)
        & ~Q(status=Comment.Status.PUBLISHED)
        & (Q(pk=root_id) | Q(root_id=root_id))
    )
    return not Comment.objects.filter(group_thread | own_not_public).exists()
