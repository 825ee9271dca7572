"""The passages a version took out, named as readers numbered them: "¶ 2 on v3" for one
removed, "¶ 2 on v5, merged into ¶ 1" for one merged away; keys stay in the links."""

from dataclasses import dataclass

from django.core.cache import cache

from edition.models import Version
from edition.numbering import label_on, labels_by_key
from edition.reading import passages_removed


@dataclass(frozen=True)
class NamedRemoval:
    key: str
    label: str  # in the version before, where it last stood
    merged_into: str | None
    merged_label: str  # in this version


def passages_removed_named(version: Version) -> list[NamedRemoval]:
    """``passages_removed(version)`` with their labels. A published version never changes,
    so the labels are read once (three queries) and cached for good, as the list is."""
    removed = passages_removed(version)
    if not removed:
        return []
    cache_key = f"passages-removed-named:{version.pk}"
    named = cache.get(cache_key)
    if named is not None:
        return named
    earlier = (
        Version.objects.published()
        .filter(work_id=version.work_id, number__lt=version.number)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    wanted = {(earlier, passage.key) for passage in removed}
    wanted |= {(version.number, p.merged_into) for p in removed if p.merged_into}
    labels = labels_by_key(version.work_id, wanted)
    named = []
    for passage in removed:
        then = labels.get((earlier, passage.key))
        merged_label = labels.get((version.number, passage.merged_into), "")
        named.append(
            NamedRemoval(
                key=passage.key,
                label=label_on(then, earlier) if then else "",
                merged_into=passage.merged_into,
                merged_label=merged_label,
            )
        )
    cache.set(cache_key, named, timeout=None)
    return named
