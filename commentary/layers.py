"""The layers of a work's discussion a reader may read: the public one, and each reading
group of theirs that reads the work.

Pages name the layer with ``?group=<slug>`` (the reading page and a version's, the
paragraph page, the discussion panel and the forms that post from them). A value the
reader may not use (a group they are not in, no such group, a group that does not read
this work) answers 404, exactly as a slug that does not exist.

No parameter is the public layer, for members too: an address shows the same discussion to
everyone who opens it (a link shared in class, a page projected in the seminar room), and a
group's discussion is never on a page whose address does not name it. The switch near the
top of the text offers the member's groups at once, and the public form says where else
they could write.

The reader's groups that read the work are read once per request (one query, whatever their
number; none for a reader in no group) and kept on the request, so the page, its margin and
its panel ask once between them. Nothing here
is cached across requests: membership can end at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from commentary.access import group_comment_counts, group_waiting_counts
from commentary.permissions import allowed
from commentary.relations import membership_model
from commentary.roles import reader_roles
from edition.models import Work

if TYPE_CHECKING:
    from commentary.groups.models import Membership, ReadingGroup

GROUP_PARAMETER = "group"


@dataclass
class ReaderLayers:
    """The layers ``user`` may read ``work`` in: ``memberships`` (their groups reading it,
    by name, each with its ``group`` loaded) and the one chosen, ``current`` (None: the
    public discussion)."""

    user: object
    memberships: list[Membership] = field(default_factory=list)
    current: Membership | None = None

    @property
    def group(self) -> ReadingGroup | None:
        return self.current.group if self.current is not None else None

    @property
    def groups(self) -> list[ReadingGroup]:
        return [membership.group for membership in self.memberships]

    @property
    def leads(self) -> bool:
        """The reader owns or moderates the chosen group: they see all of it."""
        return self.current is not None and allowed(self.user, "group.lead", self.current.group)

    @property
    def hides_until_posted(self) -> bool:
        """The chosen group shows a member its comments on a paragraph only once they have
        written there ("post first"); never so for its leaders."""
        return self.group is not None and self.group.post_first and not self.leads

    # What the edition's pages ask of a layer (``edition.extensions.ReadingLayer``)

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else ""

    @property
    def query(self) -> str:
        """``group=<slug>`` for the chosen group, kept on every link of the page; ""."""
        return layer_query(self.group)

    def counts(self, paragraph_ids, version=None) -> dict[int, int]:
        """The chosen group's comments per paragraph of ``version`` (None: the current
        one), as the reader may see them."""
        if self.group is None:
            return {}
        return group_comment_counts(self.user, self.group, paragraph_ids, version)

    def waiting(self, paragraph_ids, version=None) -> dict[int, int]:
        """In a "post first" group, the others' first comments per paragraph of ``version``
        (None: the current one) that the reader will see once they post there; empty for
        any other layer or a leader."""
        if not self.hides_until_posted:
            return {}
        return group_waiting_counts(self.user, self.group, paragraph_ids, version)


def layer_query(group: ReadingGroup | None, **others) -> str:
    """The query string naming ``group``'s layer (and ``others`` that are not None),
    without "?": "" for the public layer with nothing else."""
    pairs = [(GROUP_PARAMETER, group.slug)] if group is not None else []
    pairs += [(name, value) for name, value in others.items() if value not in (None, "")]
    return urlencode(pairs)


def with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def reader_layers(request: HttpRequest, work: Work) -> ReaderLayers:
    """The layers the request's reader may read ``work`` in, the one it names chosen; raises
    Http404 for a ``group`` the reader may not use. Asked once per request and work."""
    memo = request.__dict__.setdefault("_reader_layers", {})
    if work.pk in memo:
        return memo[work.pk]
    user = request.user
    slug = request.GET.get(GROUP_PARAMETER) or None
    layers = ReaderLayers(user)
    if user.is_authenticated:
        layers.memberships = _memberships_reading(user, work)
    if slug is not None:
        layers.current = next((m for m in layers.memberships if m.group.slug == slug), None)
        if layers.current is None:
            raise Http404("No such reading group.")
    memo[work.pk] = layers
    return layers


# The fields of a reading group a layer needs; the others are loaded if ever asked for.
_GROUP_FIELDS = ("id", "name", "slug", "post_first")


def _memberships_reading(user, work: Work) -> list[Membership]:
    """``user``'s memberships of the groups that read ``work``, by group name, each with
    its group (``_GROUP_FIELDS`` loaded). The reader's groups are known from their roles
    (``commentary.roles``, read with the user): a reader in no group costs no query, a
    member one, whatever the number of their groups."""
    groups = reader_roles(user).groups
    if not groups:
        return []
    memberships = (
        membership_model()
        .objects.filter(user_id=user.pk, group_id__in=groups, group__works=work)
        .select_related("group")
        .only("pk", "user_id", "role", "group_id", *(f"group__{name}" for name in _GROUP_FIELDS))
    )
    return sorted(memberships, key=lambda membership: (membership.group.name, membership.group.pk))


def chosen_layer(request: HttpRequest, work: Work) -> ReaderLayers | None:
    """The group layer the request names, for the edition's pages; None for the public one."""
    layers = reader_layers(request, work)
    return layers if layers.group is not None else None


@dataclass(frozen=True)
class LayerLink:
    """One choice of the layer switch: ``group`` None is the public discussion."""

    group: ReadingGroup | None
    url: str
    current: bool


def layer_links(
    layers: ReaderLayers, page_url: str, *, discussion: str | None = None, anchor: str = ""
) -> list[LayerLink]:
    """The public layer and each of the reader's groups, as links to ``page_url`` in that
    layer (with ``discussion`` open, and ending in ``#anchor``)."""
    fragment = f"#{anchor}" if anchor else ""
    return [
        LayerLink(
            group,
            with_query(page_url, layer_query(group, discussion=discussion)) + fragment,
            (group.pk if group else None) == (layers.group.pk if layers.group else None),
        )
        for group in [None, *layers.groups]
    ]
