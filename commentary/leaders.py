"""Who reaches the moderation pages: the site's moderators (``moderators.moderates``) and
the owners and moderators of reading groups, who moderate their groups' comments.

Asked by the navigation on every signed-in page, so answered once per user object, and in
one query for both halves when neither is known yet. A page that reads the reader's
memberships anyway (``commentary.layers``) tells the answer with ``remember_leads`` and the
navigation asks nothing more.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from commentary.group_models import Membership
from commentary.moderators import moderates, moderates_expression, remember_moderates


def remember_leads(user, answer: bool) -> None:
    """What ``leads_groups(user)`` will answer for this user object, learnt elsewhere."""
    user._scholia_leads_groups = bool(answer)


def leads_groups(user) -> bool:
    """True for a signed-in, active user who owns or moderates a reading group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_scholia_leads_groups"):
        remember_leads(user, _leading(user.pk).exists())
    return user._scholia_leads_groups


def reaches_moderation(user) -> bool:
    """Whether ``user`` moderates the site or leads a reading group: the moderation queue
    and log serve them. At most one query per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    knows_moderates = hasattr(user, "_scholia_moderates")
    if not knows_moderates and not hasattr(user, "_scholia_leads_groups"):
        answer = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(site=moderates_expression(user), leads=Exists(_leading(OuterRef("pk"))))
            .values_list("site", "leads")
            .first()
        )
        site, leads = answer or (False, False)
        remember_moderates(user, site)
        remember_leads(user, leads)
    return moderates(user) or leads_groups(user)


def _leading(user_pk):
    return Membership.objects.filter(user_id=user_pk, role__in=Membership.LEADING_ROLES)
