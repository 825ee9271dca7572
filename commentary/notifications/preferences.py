"""How each member wants each kind of notification by email: at once, in a daily or a
weekly digest, or never. A kind they never chose takes ``DEFAULT_FREQUENCY``."""

from collections.abc import Iterable

from django.db import transaction

from commentary.notifications.models import DeliveryPreference, Frequency, Kind

DEFAULT_FREQUENCY = {
    Kind.DECISION: Frequency.AT_ONCE,
    Kind.REPLY: Frequency.AT_ONCE,
    Kind.MENTION: Frequency.AT_ONCE,
    Kind.THREAD: Frequency.DAILY,
    Kind.PARAGRAPH: Frequency.DAILY,
    Kind.WORK: Frequency.WEEKLY,
    Kind.GROUP_WROTE: Frequency.DAILY,
    Kind.VERSION: Frequency.AT_ONCE,
}


def frequencies_of(user) -> dict[str, str]:
    """{kind: frequency} for every kind, ``user``'s choices over the defaults."""
    chosen = dict(
        DeliveryPreference.objects.filter(user_id=user.pk).values_list("kind", "frequency")
    )
    return {kind: chosen.get(kind, DEFAULT_FREQUENCY[kind]) for kind in Kind.values}


def frequencies_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """{member id: how they want ``kind``} for many members, in one query."""
    user_ids = set(user_ids)
    chosen = dict(
        DeliveryPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    return {user_id: chosen.get(user_id, DEFAULT_FREQUENCY[kind]) for user_id in user_ids}


@transaction.atomic
def preferences_update(*, user, frequencies: dict[str, str]) -> dict[str, str]:
    """Save ``user``'s choice for each kind in ``frequencies`` (valid kinds and frequencies:
    the callers' forms and serializers check them). Returns every kind's frequency."""
    for kind, frequency in frequencies.items():
        DeliveryPreference.objects.update_or_create(
            user=user, kind=Kind(kind), defaults={"frequency": Frequency(frequency)}
        )
    return frequencies_of(user)
