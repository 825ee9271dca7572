"""Bad input to the comments API gets a clear JSON error and writes nothing."""

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from commentary.models import Comment, CommentRevision
from commentary.services import comment_delete
from config.api.parsers import LimitedJSONParser, RequestTooLarge
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_people, post


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def alice_client(people):
    return client_for(people.alice)


def create(client, payload, **kwargs):
    return client.post(COMMENTS, payload, format="json", **kwargs)


def assert_refused(response, status: int, code: str, errors: set[str] | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert (data["status"], data["code"]) == (status, code)
    assert data["detail"]
    if errors is not None:
        assert set(data.get("errors", {})) == errors, data
    return data


@pytest.fixture
def nothing_written(db):
    yield
    assert not Comment.objects.exclude(author__username="charlie").exists()


def on_p2(body="Fine.", **fields) -> dict:
    return {"work": "october-1917", "paragraph": "p2", "body": body, **fields}


# The body -------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_it_refuses_an_empty_body(october, alice_client, nothing_written, body):
    data = assert_refused(create(alice_client, on_p2(body)), 400, "invalid", {"body"})

    assert data["errors"]["body"] == ["This field may not be blank."]


def test_it_refuses_a_missing_body(october, alice_client, nothing_written):
    data = assert_refused(
        create(alice_client, {"work": "october-1917", "paragraph": "p2"}), 400, "invalid"
    )

    assert data["errors"] == {"body": ["This field is required."]}


@override_settings(SCHOLIA_COMMENT_MAX_LENGTH=20)
def test_it_refuses_a_body_over_the_limit_in_settings(october, alice_client, nothing_written):
    data = assert_refused(create(alice_client, on_p2("x" * 21)), 400, "invalid", {"body"})

    assert data["errors"]["body"] == ["A comment can be at most 20 characters long."]


def test_it_refuses_a_null_character(october, alice_client, nothing_written):
    assert_refused(create(alice_client, on_p2("a\x00b")), 400, "invalid", {"body"})


# Where the comment goes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"body": "Where?"}, "work", "Say which work"),
        ({"work": "october-1917", "body": "Where?"}, "paragraph", "Say which paragraph"),
        (on_p2(work="no-such-work"), "work", "No such work."),
        (on_p2(paragraph="p99"), "paragraph", "No paragraph p99 in october-1917."),
        (on_p2(paragraph="p8"), "paragraph", "No paragraph p8"),  # only in the v3 draft
        (on_p2(version=3), "version", "october-1917 has no published version 3."),
        (on_p2(version=0), "version", "Ensure this value is greater than or equal to 1."),
        (on_p2(version="two"), "version", "A valid integer is required."),
        (on_p2(paragraph="p5"), "paragraph", "Paragraph p5 is not in"),  # removed in v2
        (on_p2(parent=999_999), "parent", "No such comment."),
        (on_p2(parent=-1), "parent", "Ensure this value is greater than or equal to 1."),
        (on_p2(parent=2**63), "parent", "Ensure this value is less than or equal to"),
        (on_p2(parent=2**70), "parent", "A valid integer is required."),
        (on_p2(quote="long century"), "quote", "Invalid data."),
        (on_p2(quote={"exact": "short century"}), "quote", "not in the paragraph"),
        (on_p2(quote={"exact": "long", "start": 0, "end": 4}), "quote", "not at that place"),
        (on_p2(quote={"exact": "long", "start": 24}), "quote", "together"),
        (on_p2(quote={"prefix": "x"}), "quote.exact", "This field is required."),
        (on_p2(quote={"exact": "long", "end": -1}), "quote.end", "greater than or equal to 0"),
    ],
)
def test_it_refuses_a_place_that_does_not_exist(
    october, alice_client, nothing_written, payload, field, message
):
    data = assert_refused(create(alice_client, payload), 400, "invalid", {field})

    assert message in str(data["errors"][field])


def test_it_refuses_a_parent_the_author_may_not_see(october, people, alice_client):
    hidden = post(people.charlie, october)
    hidden.status = Comment.Status.HIDDEN
    hidden.save()

    data = assert_refused(
        create(alice_client, {"parent": hidden.pk, "body": "Hm."}), 400, "invalid", {"parent"}
    )

    assert data["errors"]["parent"] == ["No such comment."]
    assert Comment.objects.count() == 1


def test_it_refuses_a_reply_on_another_paragraph_than_its_parent(october, people, alice_client):
    parent = post(people.charlie, october, "p3")

    data = assert_refused(create(alice_client, on_p2(parent=parent.pk)), 400, "invalid", {"parent"})

    assert data["errors"]["parent"] == ["The parent comment is on another paragraph."]
    assert Comment.objects.count() == 1


def test_it_refuses_a_reply_to_a_deleted_comment(october, people, alice_client):
    parent = post(people.charlie, october)
    comment_delete(comment=parent, by=people.charlie)

    assert_refused(create(alice_client, {"parent": parent.pk, "body": "Hm."}), 400, "invalid")

    assert Comment.objects.count() == 1


@override_settings(SCHOLIA_COMMENT_MAX_DEPTH=2)
def test_it_refuses_a_reply_beyond_the_depth_cap(october, people, alice_client):
    root = post(people.charlie, october)
    deepest = post(people.charlie, october, parent=post(people.charlie, october, parent=root))

    data = assert_refused(
        create(alice_client, {"parent": deepest.pk, "body": "Deeper."}), 400, "invalid"
    )

    assert "as deep as it may go" in data["errors"]["parent"][0]
    assert Comment.objects.count() == 3


# Values of the wrong type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (on_p2(0), "body", "Not a valid string."),
        (on_p2(1.5), "body", "Not a valid string."),
        ({"work": 1917, "paragraph": "p2", "body": "x"}, "work", "Not a valid string."),
        ({"work": "october-1917", "paragraph": 2, "body": "x"}, "paragraph", "Not a valid string."),
        (on_p2(quote={"exact": 1917}), "quote.exact", "Not a valid string."),
        (on_p2(quote={"exact": "weak", "prefix": 0}), "quote.prefix", "Not a valid string."),
        (on_p2(version="2"), "version", "A valid integer is required."),
        (on_p2(version=2.0), "version", "A valid integer is required."),
        (on_p2(parent="1"), "parent", "A valid integer is required."),
        (
            on_p2(quote={"exact": "long century", "start": "17", "end": 29}),
            "quote.start",
            "A valid integer is required.",
        ),
    ],
)
def test_it_refuses_a_value_of_the_wrong_type_rather_than_converting_it(
    october, alice_client, nothing_written, payload, field, message
):
    data = assert_refused(create(alice_client, payload), 400, "invalid", {field})

    assert data["errors"][field] == [message]


def test_it_refuses_an_edit_whose_body_is_not_text(october, people):
    comment = post(people.alice, october, body="Mine.")

    response = client_for(people.alice).patch(comment_url(comment.pk), {"body": 0}, format="json")

    data = assert_refused(response, 400, "invalid", {"body"})
    assert data["errors"]["body"] == ["Not a valid string."]
    comment.refresh_from_db()
    assert comment.body == "Mine."


# Fields a client can never set -----------------------------------------------------------


def test_it_refuses_fields_a_client_cannot_set_and_names_each(october, people, nothing_written):
    payload = on_p2(
        author="bob", status="published", depth=3, root=1, created="2001-01-01T00:00:00Z"
    )

    data = assert_refused(create(client_for(people.alice), payload), 400, "invalid")

    assert set(data["errors"]) == {"author", "status", "depth", "root", "created"}
    assert "Unknown field" in data["errors"]["author"][0]


def test_it_refuses_unknown_fields_in_a_quote(october, alice_client, nothing_written):
    payload = on_p2(quote={"exact": "long century", "score": 1})

    data = assert_refused(create(alice_client, payload), 400, "invalid", {"quote.score"})

    assert "Unknown field" in data["errors"]["quote.score"][0]


def test_it_refuses_fields_other_than_the_body_in_an_edit(october, people):
    comment = post(people.alice, october, body="Mine.")

    response = client_for(people.alice).patch(
        comment_url(comment.pk),
        {"body": "Still mine.", "author": "bob", "paragraph": "p3"},
        format="json",
    )

    assert_refused(response, 400, "invalid", {"author", "paragraph"})
    comment.refresh_from_db()
    assert (comment.body, comment.author, comment.paragraph.key) == ("Mine.", people.alice, "p2")


@pytest.mark.parametrize("payload", [[], "a comment", 42, None, [on_p2()]])
def test_it_refuses_a_body_that_is_not_an_object(october, alice_client, nothing_written, payload):
    response = alice_client.post(COMMENTS, json.dumps(payload), content_type="application/json")

    assert_refused(response, 400, "invalid")


# Hostile Markdown -------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](<java\tscript:alert(1)>)",
    "[click](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src=x onerror="alert(1)">',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)">',
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox(1))",
    '<p style="background:url(javascript:alert(1))">x</p>',
]


class LiveHtml(HTMLParser):
    """The elements and attributes a browser would act on."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


@pytest.mark.parametrize("body", HOSTILE)
def test_it_never_renders_hostile_markdown_as_live_html(october, alice_client, body):
    response = create(alice_client, on_p2(body))

    assert response.status_code == 201
    html = response.json()["body_html"]
    live = LiveHtml(html)
    assert live.tags <= {"p", "a", "em", "strong", "code"}, html
    assert not [name for name, _ in live.attributes if name.startswith("on")], html
    assert {name for name, _ in live.attributes} <= {"href", "rel", "title"}, html
    for name, value in live.attributes:
        if name == "href":
            # A browser drops tabs and newlines before it reads the scheme.
            target = re.sub(r"[\x00-\x20]", "", value).lower()
            assert not target.startswith(("javascript:", "data:", "vbscript:")), html
            assert urlsplit(value).scheme in {"", "http", "https", "mailto"}, html


def test_it_keeps_raw_html_as_text_and_safe_links_as_links(october, alice_client):
    body = '<b>bold?</b> and [a source](https://example.org/a "title")'

    html = create(alice_client, on_p2(body)).json()["body_html"]

    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert 'href="https://example.org/a"' in html
    assert 'rel="nofollow ugc noopener"' in html


# Somebody else's comment ------------------------------------------------------------------


def test_it_answers_404_to_editing_someone_elses_comment(october, people):
    comment = post(people.alice, october, body="Mine.")

    response = client_for(people.bob).patch(
        comment_url(comment.pk), {"body": "Mine now."}, format="json"
    )

    assert_refused(response, 404, "not_found")
    comment.refresh_from_db()
    assert comment.body == "Mine."
    assert not CommentRevision.objects.exists()


def test_it_answers_404_to_deleting_someone_elses_comment(october, people):
    comment = post(people.alice, october)

    response = client_for(people.bob).delete(comment_url(comment.pk))

    assert_refused(response, 404, "not_found")
    comment.refresh_from_db()
    assert not comment.is_deleted


def test_the_404_for_someone_elses_comment_reads_like_a_missing_one(october, people):
    comment = post(people.alice, october)
    bob = client_for(people.bob)

    theirs = bob.delete(comment_url(comment.pk))
    missing = bob.delete(comment_url(comment.pk + 1000))

    assert theirs.json() == missing.json()


def test_it_answers_404_to_editing_a_deleted_comment(october, people):
    comment = post(people.alice, october, body="Gone.")
    comment_delete(comment=comment, by=people.alice)
    alice = client_for(people.alice)

    assert_refused(
        alice.patch(comment_url(comment.pk), {"body": "Back."}, format="json"), 404, "not_found"
    )
    assert_refused(alice.delete(comment_url(comment.pk)), 404, "not_found")


def test_it_answers_405_to_a_put(october, people):
    comment = post(people.alice, october)

    response = client_for(people.alice).put(comment_url(comment.pk), {"body": "x"}, format="json")

    assert_refused(response, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"]


# Signed out -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [("post", "", on_p2()), ("patch", "{id}/", {"body": "x"}), ("delete", "{id}/", None)],
)
def test_it_answers_401_to_writing_while_signed_out(october, people, method, suffix, payload):
    comment = post(people.charlie, october)
    url = COMMENTS + suffix.format(id=comment.pk)

    response = getattr(client_for(), method)(url, payload, format="json")

    assert_refused(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Comment.objects.get() == comment
    assert not comment.is_deleted


def test_it_answers_401_to_an_unknown_token(october, nothing_written):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Bearer sch_not-a-real-key")

    assert_refused(create(client, on_p2()), 401, "authentication_failed")


# Malformed, oversized and mistyped bodies -------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"work": "october-1917", "body": ',
        b"{'body': 'x'}",
        b"[NaN]",
        b'{"body": "\xff"}',
        b"\x00",
    ],
)
def test_it_answers_400_to_malformed_json(october, alice_client, nothing_written, raw):
    response = alice_client.generic("POST", COMMENTS, raw, content_type="application/json")

    data = assert_refused(response, 400, "parse_error")
    assert data["detail"].startswith("JSON parse error")


def test_it_answers_413_to_a_body_over_64_kib(october, alice_client, nothing_written):
    raw = json.dumps(on_p2("x" * (64 * 1024))).encode()

    response = alice_client.generic("POST", COMMENTS, raw, content_type="application/json")

    data = assert_refused(response, 413, "request_too_large")
    assert "65536 bytes" in data["detail"]


@override_settings(SCHOLIA_API_MAX_BODY_BYTES=100)
def test_it_takes_the_body_limit_from_settings(october, people, alice_client):
    comment = post(people.charlie, october, body="As is.")
    small = json.dumps(on_p2("ok")).encode()
    large = json.dumps(on_p2("x" * 100)).encode()

    refused = alice_client.generic("POST", COMMENTS, large, content_type="application/json")
    edit = client_for(people.charlie).generic(
        "PATCH", comment_url(comment.pk), large, content_type="application/json"
    )
    accepted = alice_client.generic("POST", COMMENTS, small, content_type="application/json")

    assert_refused(refused, 413, "request_too_large")
    assert_refused(edit, 413, "request_too_large")
    assert accepted.status_code == 201
    assert Comment.objects.count() == 2
    comment.refresh_from_db()
    assert comment.body == "As is."


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


class ChunkedRequest:
    """A request whose length nobody declared, as with Transfer-Encoding: chunked."""

    META: dict = {}


def test_the_parser_counts_the_bytes_of_a_body_of_undeclared_length(settings):
    settings.SCHOLIA_API_MAX_BODY_BYTES = 1000
    stream = CountingStream(b"[" + b"1," * 100_000 + b"1]")

    with pytest.raises(RequestTooLarge):
        LimitedJSONParser().parse(stream, "application/json", {"request": ChunkedRequest()})

    assert stream.bytes_read == 1001


def test_the_parser_reads_a_body_of_undeclared_length_within_the_limit(settings):
    settings.SCHOLIA_API_MAX_BODY_BYTES = 1000
    stream = CountingStream(b'{"body": "short"}')

    parsed = LimitedJSONParser().parse(stream, "application/json", {"request": ChunkedRequest()})

    assert parsed == {"body": "short"}


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("text/plain", b"A comment."),
        ("application/x-www-form-urlencoded", b"work=october-1917&paragraph=p2&body=x"),
        (
            "multipart/form-data; boundary=XX",
            b'--XX\r\nContent-Disposition: form-data; name="body"\r\n\r\nx\r\n--XX--\r\n',
        ),
        ("application/xml", b"<comment/>"),
    ],
)
def test_it_answers_415_to_a_body_that_is_not_json(
    october, alice_client, nothing_written, content_type, raw
):
    response = alice_client.generic("POST", COMMENTS, raw, content_type=content_type)

    assert_refused(response, 415, "unsupported_media_type")


# Filters and pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"version": "2"}, "version"),
        ({"paragraph": "p2"}, "paragraph"),
        ({"work": "october-1917", "version": "two"}, "version"),
        ({"work": "october-1917", "version": "0"}, "version"),
        ({"work": "october-1917", "version": "99999999999999999999"}, "version"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2024-13-01T00:00:00Z"}, "created_before"),
        ({"created_after": "9999-12-31T23:59:59-05:00"}, "created_after"),
        ({"created_before": "0001-01-01T00:00:00+05:00"}, "created_before"),
        ({"work": "x" * 81}, "work"),
        ({"author": "a\x00b"}, "author"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "cD1hYmM="}, "cursor"),  # p=abc: a position that is not an id
        ({"cursor": "cD05MjIzMzcyMDM2ODU0Nzc1ODA4"}, "cursor"),  # p=2**63: beyond any id
        ({"created_after": ""}, "created_after"),
        ({"created_before": " "}, "created_before"),
        ({"work": "october-1917", "version": ""}, "version"),
        ({"work": "october-1917", "paragraph": ""}, "paragraph"),
        ({"work": ""}, "work"),
        ({"author": ""}, "author"),
    ],
)
def test_it_answers_400_to_an_invalid_filter_or_page(october, people, query, field):
    post(people.charlie, october)

    response = client_for().get(COMMENTS, query)

    assert_refused(response, 400, "invalid", {field})


def test_it_says_to_leave_out_a_filter_rather_than_send_it_empty(october, people):
    response = client_for().get(COMMENTS, {"created_after": ""})

    data = assert_refused(response, 400, "invalid", {"created_after"})
    assert data["errors"]["created_after"] == [
        "This parameter is empty: give a value, or leave it out."
    ]


@pytest.mark.parametrize("path", ["abc/", "0x1/", "1234567890123456789/", "-1/", "1/nothing/"])
def test_it_answers_404_to_an_address_that_is_no_comment(db, path):
    response = client_for().get(COMMENTS + path)

    assert_refused(response, 404, "not_found")
