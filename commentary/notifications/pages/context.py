"""What every page's template receives from notifications: how many decisions on their
comments the reader has not read, asked only when a template reads it, and once."""

from functools import cache

from django.http import HttpRequest

from commentary.notifications.services import unread_count


def notifications(request: HttpRequest) -> dict:
    # A callable: templates call it, and get a number they can count with.
    return {"unread_decisions": cache(lambda: unread_count(request.user))}
