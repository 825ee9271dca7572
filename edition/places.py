"""A signed-in reader's place in a work, kept on the server: the passage they last read
(sent by the chapter page's script as they scroll, at most every few seconds) or whose
discussion they opened. The title page offers it back, "Continue at ¶ 214 of Chapter
Seven", with or without JavaScript. Anonymous readers keep theirs in the browser only
(``static/js/chapters.js``).

A place is its reader's alone: it is read for ``request.user`` only, on pages that are
never shared (the title page of a signed-in reader is rendered for them; the anonymous
page cache never sees a session).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from edition.models import BlockKind, ReadingPlace, VersionParagraph, Work
from edition.numbering import number_in_version, passage_label
from edition.parts import part_url, version_parts


class NotAPassage(ValueError):
    """The key names no passage of the work's current version."""


def place_keep(*, user, work: Work, key: str) -> None:
    """Keep passage ``key`` of ``work``'s current version as ``user``'s place in it (the
    script sends one at most every ten seconds). Raises ``NotAPassage`` for a key the
    current version does not hold. Three queries whatever was kept before (one upsert):
    a page that keeps the place costs the same on every visit."""
    version = work.current_version
    entry = (
        VersionParagraph.objects.filter(version=version, paragraph__key=key)
        .select_related("revision")
        .first()
        if version is not None
        else None
    )
    if entry is None:
        raise NotAPassage(key)
    ReadingPlace.objects.bulk_create(
        [
            ReadingPlace(
                user=user,
                work=work,
                paragraph_id=entry.paragraph_id,
                version=version,
                number=number_in_version(entry),
                updated_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "work"],
        update_fields=["paragraph", "version", "number", "updated_at"],
    )


@dataclass(frozen=True)
class Place:
    """A reader's place as the title page offers it: ``url`` (the chapter's page at the
    passage) and ``text`` ("Continue at ¶ 214 of Chapter Seven")."""

    url: str
    text: str


def place_of(user, work: Work) -> Place | None:
    """``user``'s place in ``work``'s current version, or None (anonymous, none kept, or
    a passage that version no longer holds). One query, none for an anonymous reader."""
    if not user.is_authenticated or work.current_version is None:
        return None
    kept = (
        ReadingPlace.objects.filter(user=user, work=work)
        .select_related("paragraph")
        .only("paragraph__key", "number", "version_id")
        .first()
    )
    if kept is None:
        return None
    version = work.current_version
    parts = version_parts(version)
    key = kept.paragraph.key
    part = parts.of_key(key)
    if part is None:
        return None
    number = kept.number
    if kept.version_id != version.pk:
        # Read in an earlier version: numbered as the current one numbers it.
        entry = (
            VersionParagraph.objects.filter(version=version, paragraph_id=kept.paragraph_id)
            .select_related("revision")
            .first()
        )
        number = number_in_version(entry) if entry else None
    label = passage_label(BlockKind.PARAGRAPH, number, "") if number else gettext("the start")
    url = f"{part_url(work.get_absolute_url(), part, parts)}#{key}"
    if parts.is_divided:
        text = gettext("Continue at %(passage)s of %(chapter)s") % {
            "passage": label,
            "chapter": part.title,
        }
    else:
        text = gettext("Continue at %(passage)s") % {"passage": label}
    return Place(url, text)
