"""A moment as a `<time datetime>` value: HTML allows at most three digits of a second's
fraction, which Python's isoformat (six) exceeds; UTC makes the value read the same
whatever the site's time zone."""

from datetime import UTC, datetime


def html_datetime(moment: datetime) -> str:
    """``2026-12-06T06:04:26Z``, or ``…:26.963Z`` when the moment has milliseconds."""
    moment = moment.astimezone(UTC)
    value = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if milliseconds := moment.microsecond // 1000:
        value += f".{milliseconds:03}"
    return f"{value}Z"
