"""Standard Webhooks signatures: ``v1,`` and the base64 HMAC-SHA256, keyed with the
base64-decoded secret, of ``"{message id}.{unix timestamp}.{body}"``. Signed with more than
one secret (after a rotation, the old one beside the new), the header holds one signature
per secret, separated by spaces, and a receiver accepts the delivery if any one matches."""

import base64
import hashlib
import hmac

from commentary.webhooks.models import SECRET_PREFIX


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(*, secrets: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
            for secret in secrets
        ),
    }
