"""How the API reads what clients send: each value in the type the schema gives it, and no
field the schema does not list.

DRF's own fields convert: a CharField stores the number 0 as "0", an IntegerField takes
"2" and 2.0 as 2. Write serializers use the strict fields below instead, and refuse
unknown fields with ``RejectUnknownFieldsMixin``, which the schema then states as
``additionalProperties: false``.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text only: anything else is refused as "Not a valid string."."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number only: a string, a float or a boolean is refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false only: "true", 1 and the like are refused."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class RejectUnknownFieldsMixin:
    """Refuses a body that names a field the serializer does not take, listing each one.

    Silently ignoring them would let a client believe it had set ``author`` or ``status``.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                message = _("Unknown field; this request takes only: %(fields)s.") % {
                    "fields": ", ".join(self.fields)
                }
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class RejectUnknownFieldsScheme(OpenApiSerializerExtension):
    """States in the schema that a request body with unknown fields is refused."""

    target_class = "config.api.validation.RejectUnknownFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema
