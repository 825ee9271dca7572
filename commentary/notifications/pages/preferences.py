"""A member's notification settings: how each kind reaches them by email, whether writing
a comment follows its thread, and their private feed's address (made anew, or revoked)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commentary.notifications.follows import settings_of, settings_update
from commentary.notifications.models import Frequency, Kind, NotificationSettings
from commentary.notifications.preferences import frequencies_of, preferences_update


class PreferencesForm(forms.Form):
    follow_own_threads = forms.BooleanField(
        required=False, label=_("Follow the threads I write in")
    )

    def __init__(self, *args, frequencies: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_own_threads"].label = _("Follow the threads I write in")
        for kind, label in Kind.choices:
            self.fields[f"email_{kind}"] = forms.ChoiceField(
                choices=Frequency.choices, label=label, initial=frequencies[kind]
            )

    def frequencies(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"email_{kind}"] for kind in Kind.values}


@never_cache
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    own = settings_of(request.user)
    frequencies = frequencies_of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, frequencies=frequencies)
        if form.is_valid():
            preferences_update(user=request.user, frequencies=form.frequencies())
            settings_update(
                user=request.user, follow_own_threads=form.cleaned_data["follow_own_threads"]
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    else:
        form = PreferencesForm(
            initial={"follow_own_threads": own.follow_own_threads}, frequencies=frequencies
        )
    feed_url = (
        request.build_absolute_uri(reverse("feeds:private", kwargs={"token": own.feed_token}))
        if own.feed_token
        else ""
    )
    return render(
        request,
        "commentary/notifications/settings.html",
        {"form": form, "feed_url": feed_url},
    )


@require_POST
@login_required
def feed_token_renew(request: HttpRequest) -> HttpResponse:
    """A new private feed address; the old one stops working at once."""
    settings_update(user=request.user, feed_token=NotificationSettings.new_feed_token())
    messages.success(request, _("Your private feed has a new address; the old one is revoked."))
    return redirect(reverse("notifications:settings") + "#feed")


@require_POST
@login_required
def feed_token_revoke(request: HttpRequest) -> HttpResponse:
    settings_update(user=request.user, feed_token="")
    messages.success(request, _("Your private feed is revoked."))
    return redirect(reverse("notifications:settings") + "#feed")
