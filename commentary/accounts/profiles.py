"""Profiles: every user has one, created with the user, edited only by its owner.

The receiver below is connected when this module is imported; the app's ``ready()``
imports it so that users made anywhere (sign-up, the admin, ``createsuperuser``, the demo)
get their profile.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from commentary import cache
from commentary.accounts.events import member_renamed
from commentary.accounts.models import Profile
from config.site.events import send_after_commit


def profile_ensure(*, user) -> Profile:
    """The user's profile, created empty if it is missing (users older than profiles)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


@transaction.atomic
def profile_update(*, user, display_name: str, affiliation: str, bio: str) -> Profile:
    """Replace the public profile fields; raises ValidationError for too long values."""
    profile = profile_ensure(user=user)
    renamed = profile.display_name != display_name.strip()
    profile.display_name = display_name.strip()
    profile.affiliation = affiliation.strip()
    profile.bio = bio.strip()
    profile.full_clean(exclude=["user"])
    profile.save(update_fields=["display_name", "affiliation", "bio"])
    # Names show beside comments on cached pages; one removed must go from them at once.
    transaction.on_commit(cache.people_renamed)
    if renamed:
        send_after_commit(member_renamed, user_id=user.pk)
    return profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="commentary-profile-create")
def create_profile_with_user(sender, instance, created: bool, raw: bool = False, **kwargs):
    # ``raw`` is a fixture load: the fixture brings its own profiles.
    if created and not raw:
        profile_ensure(user=instance)
