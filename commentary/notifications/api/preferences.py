"""The signed-in client's notification settings: how each kind reaches them by email
(``at_once``, ``daily``, ``weekly``, ``never``) and whether writing follows the thread.
``PATCH`` changes what it names and answers the whole."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commentary.notifications.follows import settings_of, settings_update
from commentary.notifications.models import Frequency, Kind
from commentary.notifications.preferences import frequencies_of, preferences_update
from config.api.errors import error_responses
from config.api.validation import RejectUnknownFieldsMixin, StrictBooleanField


class EmailChoicesSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    def get_fields(self) -> dict:
        return {
            kind: serializers.ChoiceField(
                choices=Frequency.choices, required=False, help_text=label
            )
            for kind, label in Kind.choices
        }


class PreferencesSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = EmailChoicesSerializer(required=False)
    follow_own_threads = StrictBooleanField(
        required=False, help_text="Writing a comment follows its thread."
    )


def preferences_data(user) -> dict:
    return {
        "email": frequencies_of(user),
        "follow_own_threads": settings_of(user).follow_own_threads,
    }


class Preferences(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PreferencesSerializer

    @extend_schema(
        summary="Your notification settings",
        responses={200: PreferencesSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(preferences_data(request.user))

    @extend_schema(
        summary="Change your notification settings",
        responses={200: PreferencesSerializer, **error_responses(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        if form.validated_data.get("email"):
            preferences_update(user=request.user, frequencies=form.validated_data["email"])
        if "follow_own_threads" in form.validated_data:
            settings_update(
                user=request.user, follow_own_threads=form.validated_data["follow_own_threads"]
            )
        return Response(preferences_data(request.user))
