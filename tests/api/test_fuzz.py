"""Schemathesis against the API's own OpenAPI schema, in process through WSGI.

Every operation gets a few deterministic examples, valid and invalid, with a personal
token so that writes are exercised too, under three identities: alice, who owns a private
reading group; nina, an outsider to it; and a site moderator (on the moderation endpoints).
No response may be a server error; every status, content type and body must be what the
schema documents; a request the schema calls invalid must be refused: the schema describes
what the API accepts. And nothing an identity may not read may reach it: each run scans
every answer, body and headers, for the canaries of what is hidden from its identity (the
group's comments, their addresses and its invitation code from nina; a comment the
moderators hid from both).

The examples per operation bound the time: about a minute of one core for all three runs.
"""

from dataclasses import dataclass, replace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from commentary.accounts.models import Scope
from commentary.accounts.tokens import token_create
from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.services import comment_delete, comment_edit
from config.wsgi import application
from tests.api.comment_fixtures import make_people, make_user, post, set_status
from tests.commentary.moderation_people import make_moderator

# Each request runs through the whole WSGI stack, whose request signals close the database
# connection; only a transactional test survives that on every database.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 20
# The outsider's run looks for leaks rather than for new failures: fewer examples.
OUTSIDER_EXAMPLES_PER_OPERATION = 8

GROUP_CANARY = "Quillwort canary that only the seminar may read."
GROUP_REPLY_CANARY = "Marshwren canary answering inside the seminar."
HIDDEN_CANARY = "Sequestered canary the moderators hid."


@dataclass
class Seeded:
    token: str
    comment_ids: list[int]
    paragraph_keys: list[str]
    # What this identity must never be shown, anywhere in an answer.
    unreadable: tuple[str, ...] = ()
    group_secrets: tuple[str, ...] = ()


@pytest.fixture
def seeded(october) -> Seeded:
    """A discussion to fuzz, and the personal token of alice, who wrote some of it and owns
    a private reading group."""
    people = make_people()
    root = post(people.alice, october, "p2", body="A *first* comment.")
    reply = post(people.bob, october, parent=root, body="A reply.")
    deep = post(people.charlie, october, parent=reply, body="A reply to the reply.")
    edited = post(people.alice, october, "p3", body="Before.", quote={"exact": "weak link"})
    comment_edit(comment=edited, editor=people.alice, body="After.")
    held = set_status(post(people.alice, october, "p6", body="Held."), Comment.Status.PENDING)
    hidden = set_status(post(people.bob, october, "p6", body=HIDDEN_CANARY), Comment.Status.HIDDEN)
    deleted = comment_delete(comment=post(people.bob, october, "p7"), by=people.bob)
    mine = post(people.alice, october, parent=deep, body="Alice again.")
    # A reading group alice owns, named so that the fuzzer's slugs find it, with a comment.
    group = group_create(owner=people.alice, name="October 1917", works=["october-1917"])
    group_join(user=people.bob, code=group.invite_code)
    in_group = post(people.bob, october, "p3", body=GROUP_CANARY, group=group)
    in_group_reply = post(people.alice, october, parent=in_group, body=GROUP_REPLY_CANARY)
    _, key = token_create(user=people.alice, name="fuzzer", scopes=Scope.values)
    return Seeded(
        token=key,
        comment_ids=[
            c.pk
            for c in (root, reply, deep, edited, held, hidden, deleted, mine)
            + (in_group, in_group_reply)
        ],
        paragraph_keys=["p1", "p2", "p3", "p5", "p6", "p7", "p8"],
        unreadable=(HIDDEN_CANARY,),
        group_secrets=(
            GROUP_CANARY,
            GROUP_REPLY_CANARY,
            group.invite_code,
            *(f"/comments/{c.pk}/" for c in (in_group, in_group_reply)),
            *(f"/annotations/{c.pk}/" for c in (in_group, in_group_reply)),
        ),
    )


def _number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _pick(value, choices: list):
    """One of ``choices`` for most values (a function of the value), else None."""
    number = _number(value)
    if number is None and isinstance(value, str):
        number = len(value)
    if number is None or number % 7 == 0:
        return None
    return choices[number % len(choices)]


def _negated(case, location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def aim_at_seeded_rows(case, seeded: Seeded) -> None:
    """Points most generated ids, slugs and keys at rows that exist.

    Left alone, the fuzzer would draw ids and slugs that match nothing, and nearly every
    request would end in a 404 or a 400 before reaching the code that serves real data.
    The choice is a function of the generated value, so the run stays deterministic; one
    value in seven, and every value of the wrong type, is sent as generated. A part the
    fuzzer made invalid on purpose is left as it is, so that the API must refuse it.
    """
    ids, keys, works = seeded.comment_ids, seeded.paragraph_keys, ["october-1917"]
    parameters = {} if _negated(case, ParameterLocation.PATH) else case.path_parameters or {}
    body = case.body if case.method == "POST" and isinstance(case.body, dict) else {}
    if _negated(case, ParameterLocation.BODY):
        body = {}
    for values, name, choices in [
        (parameters, "id", ids),
        (parameters, "slug", works),
        (parameters, "key", keys),
        (body, "work", works),
        (body, "paragraph", keys),
        (body, "parent", ids),
        (body, "version", [1, 2, 3]),
    ]:
        choice = _pick(values.get(name), choices)
        if choice is not None:
            values[name] = str(choice) if isinstance(values[name], str) else choice
    if isinstance(body.get("quote"), dict) and _pick(body.get("body"), [None, None, "keep"]):
        body["quote"] = None


# No server error; every status, content type and body as the schema documents it; and what
# the schema calls invalid refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# The in-process transport asks for gzip as requests does, but does not decode it, and
# pages are compressed (GZipMiddleware): the fuzzer reads the bodies as they are.
PLAIN = {"Accept-Encoding": "identity"}

# Loaded when the module is collected: the schema view needs no database. (The lazy
# loader, schemathesis.pytest.from_fixture, fails under pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": 1917,
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,
            },
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


def shows_nothing_of(secrets: tuple[str, ...]):
    """A check: no answer, body or header, holds any of ``secrets``."""

    def nothing_unreadable(ctx, response, case) -> None:
        shown = response.content.decode(errors="replace") + "\n".join(
            f"{name}: {value}" for name, values in response.headers.items() for value in values
        )
        leaked = [secret for secret in secrets if secret in shown]
        assert not leaked, f"{case.operation.label} showed what its caller may not read: {leaked}"

    return nothing_unreadable


def fuzz(case, seeded: Seeded, *, secrets: tuple[str, ...]) -> None:
    aim_at_seeded_rows(case, seeded)
    aim_at_members(case)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded.token}", **PLAIN},
        checks=[*CHECKS, shows_nothing_of(secrets)],
    )


def fuzzed(examples: int):
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def aim_at_members(case) -> None:
    """Most generated usernames name a member, as ids name a comment above."""
    if _negated(case, ParameterLocation.PATH) or not case.path_parameters:
        return
    choice = _pick(case.path_parameters.get("username"), ["alice", "bob", "charlie"])
    if choice is not None:
        case.path_parameters["username"] = choice


@schema.parametrize()
@fuzzed(EXAMPLES_PER_OPERATION)
def test_the_api_never_fails_and_keeps_to_its_schema(case, seeded):
    """As alice, a member (the owner) of the group: all of it hers to read, bar what the
    moderators hid."""
    fuzz(case, seeded, secrets=seeded.unreadable)


@pytest.fixture
def outsider_seeded(seeded) -> Seeded:
    nina = make_user("nina")
    _, key = token_create(user=nina, name="fuzzer", scopes=Scope.values)
    return replace(seeded, token=key)


@schema.parametrize()
@fuzzed(OUTSIDER_EXAMPLES_PER_OPERATION)
def test_an_outsider_never_reads_the_group(case, outsider_seeded):
    """As nina, in no group: whatever she asks, nothing of the group reaches her."""
    fuzz(case, outsider_seeded, secrets=outsider_seeded.unreadable + outsider_seeded.group_secrets)


# The moderation endpoints answer everybody but moderators with 404 (anonymous callers
# with 401): fuzzed again with a moderator's token, they reach the code behind that door.
moderation_schema = schema.include(path_regex=r"/(moderate|moderation|suspend|ban|reinstate)")


@pytest.fixture
def moderator_seeded(seeded) -> Seeded:
    moderator = make_moderator()
    _, key = token_create(user=moderator, name="fuzzer", scopes=Scope.values)
    return replace(seeded, token=key)


@moderation_schema.parametrize()
@fuzzed(EXAMPLES_PER_OPERATION)
def test_the_moderation_api_never_fails_and_keeps_to_its_schema(case, moderator_seeded):
    """As a site moderator outside the group: its comments stay its own."""
    fuzz(case, moderator_seeded, secrets=moderator_seeded.group_secrets)


def test_the_canaries_are_within_the_fuzzers_reach(seeded, outsider_seeded):
    """The scans above could not fail if nothing of the group were ever asked for: the
    member reads it where the fuzzer looks, the outsider does not."""
    client = APIClient()
    answers = {}
    for who, identity in (("member", seeded), ("outsider", outsider_seeded)):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {identity.token}")
        answers[who] = client.get("/api/v1/comments/?work=october-1917").content.decode()

    assert GROUP_CANARY in answers["member"] and GROUP_REPLY_CANARY in answers["member"]
    assert GROUP_CANARY not in answers["outsider"]
    assert HIDDEN_CANARY not in answers["member"] + answers["outsider"]
