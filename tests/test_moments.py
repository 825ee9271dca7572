"""Times in `<time datetime>`: UTC to the millisecond at most, as HTML allows."""

from datetime import UTC, datetime, timedelta, timezone

from django.template import Context, Template

from commentary.moments import html_datetime


def test_it_writes_utc_with_milliseconds_at_most():
    moment = datetime(2026, 12, 6, 6, 4, 26, 963908, tzinfo=UTC)
    assert html_datetime(moment) == "2026-12-06T06:04:26.963Z"


def test_it_leaves_out_a_fraction_that_is_not_there():
    moment = datetime(2026, 12, 6, 7, 4, 26, tzinfo=timezone(timedelta(hours=1)))
    assert html_datetime(moment) == "2026-12-06T06:04:26Z"


def test_every_template_has_the_filter_without_loading_it():
    moment = datetime(2026, 12, 6, 6, 4, 26, 500, tzinfo=UTC)
    rendered = Template("{{ moment|html_datetime }}").render(Context({"moment": moment}))
    assert rendered == "2026-12-06T06:04:26Z"
