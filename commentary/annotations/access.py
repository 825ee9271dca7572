"""Who may import annotations, where, and read an import's report.

Staff import into a work's public discussion; a reading group's owner into that group (on
a work the group reads). A report is read by the same people: staff for a public import,
the group's owner and moderators for a group's. Everybody else gets the 404 of a report
that does not exist.
"""

from django.http import Http404

from commentary.annotations.models import AnnotationImport
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.reads import get_group_for_leader


def import_layers(user, work) -> list[ReadingGroup | None]:
    """Where ``user`` may import on ``work``: None (the public discussion) for staff, then
    the groups they own that read it; empty for anybody else."""
    if user is None or not user.is_authenticated:
        return []
    owned = ReadingGroup.objects.filter(
        works=work, memberships__user_id=user.pk, memberships__role=Membership.Role.OWNER
    ).order_by("name", "pk")
    return ([None] if user.is_staff else []) + list(owned)


def get_import_for_user(user, pk: int) -> AnnotationImport:
    run = (
        AnnotationImport.objects.select_related("work", "group", "imported_by")
        .filter(pk=pk)
        .first()
    )
    if run is None or user is None or not user.is_authenticated:
        raise Http404("No such import.")
    if run.group_id is None:
        if not user.is_staff:
            raise Http404("No such import.")
        return run
    get_group_for_leader(user, run.group.slug)
    return run
