"""A member's reading places (``edition.places``) in their download, and gone with their
account: registered with ``member_data`` at start-up."""

from commentary.accounts.member_data import register_member_data
from edition.models import ReadingPlace


def _exported(user) -> list[dict]:
    return [
        {
            "work": place.work.slug,
            "passage": place.paragraph.key,
            "version": place.version.number,
            "updated_at": place.updated_at.isoformat(),
        }
        for place in ReadingPlace.objects.filter(user=user)
        .select_related("work", "paragraph", "version")
        .order_by("work__slug")
    ]


def _erased(user) -> None:
    ReadingPlace.objects.filter(user=user).delete()


def listen() -> None:
    register_member_data("reading_places", export=_exported, erase=_erased)
