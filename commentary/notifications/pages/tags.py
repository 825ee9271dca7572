"""``{% load follows %}``: the follow button of a work, a paragraph or a thread, with its
state, for a signed-in reader (nothing for anybody else, so cached anonymous pages stay
the same for all). One query per button."""

from django import template

from commentary.notifications.follows import is_following

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
