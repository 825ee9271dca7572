"""Idempotent creation: a POST sent with an ``Idempotency-Key`` header runs once per key.

A client that lost the answer to a write (a timeout, a dropped connection, a 500 from a
proxy) sends the same request with the same key, and gets the first answer back, with
``Idempotent-Replayed: true``, while nothing is created again. The same key with another
request (another body or endpoint) is refused with 422. Keys are each member's own and
last 24 hours (``KEY_LIFETIME``); ``manage.py prune_idempotency_keys`` deletes expired ones.

The key is claimed in the transaction that runs the request, before the view writes: a
concurrent retry with the same key waits on the key's unique index until the first
commits, then replays its answer (on PostgreSQL; SQLite takes one writer at a time). A
request that does not succeed releases its key, so that a corrected retry runs.

Every creating endpoint wears ``@idempotent`` on its ``post``; the schema then documents
the header and the 422 (``config.api.schema``).
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps

import orjson
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.models import KEY_LIFETIME, IdempotencyKey
from config.api.renderers import ORJSONRenderer

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# Printable ASCII without spaces: what a UUID or any token a client makes up is written in.
KEY_PATTERN = r"^[!-~]+$"
_KEY = re.compile(KEY_PATTERN)


class KeyReused(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _lazy(
        "This Idempotency-Key was sent with another request in the last 24 hours; "
        "use a new key for a new request."
    )


def request_fingerprint(request: Request) -> str:
    """What the request asks: its method, path and body (keys sorted, so that the same
    JSON written in another order or spacing is the same request)."""
    body = orjson.dumps(request.data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def idempotency_key_claim(*, user, key: str, fingerprint: str) -> IdempotencyKey:
    """The key for this request, inside the caller's transaction: a new claim (its
    ``status_code`` None), or the earlier request's record, whose answer is to be replayed.
    Raises KeyReused when the key was used with another request."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        if earlier is None:
            continue  # its request failed and released the key meanwhile
        if earlier.is_expired():
            earlier.delete()
            continue
        if earlier.fingerprint != fingerprint:
            raise KeyReused()
        return earlier
    raise KeyReused()


def _kept(record: IdempotencyKey, response: Response) -> None:
    record.status_code = response.status_code
    record.body = ORJSONRenderer().render(response.data).decode()
    record.location = response.get("Location", "")
    record.save(update_fields=["status_code", "body", "location"])


def _replay(record: IdempotencyKey) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if record.location:
        headers["Location"] = record.location
    data = orjson.loads(record.body) if record.body else None
    return Response(data, status=record.status_code, headers=headers)


def _key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not (len(key) <= MAX_KEY_LENGTH and _KEY.match(key)):
        message = _("At most %(length)d printable ASCII characters, without spaces.") % {
            "length": MAX_KEY_LENGTH
        }
        raise ValidationError({HEADER: [message]})
    return key


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Makes a view's ``post`` honour ``Idempotency-Key`` (see the module doc). Runs after
    DRF has authenticated the request: keys belong to a signed-in member, and a request
    without one (refused by the view anyway) or without a key runs as before."""

    @wraps(handler)
    def wrapper(view, request: Request, *args, **kwargs) -> Response:
        key = _key_of(request)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            record = idempotency_key_claim(user=request.user, key=key, fingerprint=fingerprint)
            if record.status_code is not None:
                return _replay(record)
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                _kept(record, response)
            else:
                record.delete()
            return response

    wrapper.idempotent = True
    return wrapper


def is_idempotent(handler) -> bool:
    return getattr(handler, "idempotent", False)


def idempotency_keys_prune(*, now=None) -> int:
    """Deletes the keys older than their lifetime; returns how many."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted
