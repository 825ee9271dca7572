"""``{% load follows %}``: the follow button of a work, a paragraph or a thread, with its
state, for a signed-in reader (nothing for anybody else, so cached anonymous pages stay
the same for all; one query per button); a profile's feeds."""

from django import template

from commentary.notifications.follows import is_following, settings_of

register = template.Library()


@register.inclusion_tag("commentary/notifications/follow_button.html", takes_context=True)
def follow_button(context, work, paragraph=None, thread=None) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "signed_in": signed_in,
        "following": signed_in
        and is_following(user, work=work, paragraph=paragraph, thread=thread),
        "work": work,
        "paragraph": paragraph,
        "thread": thread,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("commentary/notifications/profile_feeds.html", takes_context=True)
def profile_feeds(context, person) -> dict:
    """A profile's feeds: the member's public Atom feed for everybody; on one's own
    profile, one's private feed (its address, or the settings page that makes one). The
    private address is read only for its owner: one query, on one's own profile only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_self = user is not None and user.is_authenticated and user.pk == person.pk
    return {
        "person": person,
        "is_self": is_self,
        "private_token": settings_of(user).feed_token if is_self else "",
    }
