"""Schemathesis against the API's own OpenAPI schema, in process through WSGI.

Every operation gets a few deterministic examples, valid and invalid, with a personal
token so that writes are exercised too. No response may be a server error, every response
must match what the schema documents for its status code, and a request the schema calls
invalid must be refused: the schema describes what the API accepts.
"""

from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from commentary.accounts.models import Scope
from commentary.accounts.tokens import token_create
from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.services import comment_delete, comment_edit
from config.wsgi import application
from tests.api.comment_fixtures import make_people, post, set_status
from tests.commentary.moderation_people import make_moderator

# Each request runs through the whole WSGI stack, whose request signals close the database
# connection; only a transactional test survives that on every database.
pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 20


@dataclass
class Seeded:
    token: str
    comment_ids: list[int]
    paragraph_keys: list[str]


@pytest.fixture
def seeded(october) -> Seeded:
    """A discussion to fuzz, and the personal token of alice, who wrote some of it."""
    people = make_people()
    root = post(people.alice, october, "p2", body="A *first* comment.")
    reply = post(people.bob, october, parent=root, body="A reply.")
    deep = post(people.charlie, october, parent=reply, body="A reply to the reply.")
    edited = post(people.alice, october, "p3", body="Before.", quote={"exact": "weak link"})
    comment_edit(comment=edited, editor=people.alice, body="After.")
    held = set_status(post(people.alice, october, "p6", body="Held."), Comment.Status.PENDING)
    hidden = set_status(post(people.bob, october, "p6", body="Hidden."), Comment.Status.HIDDEN)
    deleted = comment_delete(comment=post(people.bob, october, "p7"), by=people.bob)
    mine = post(people.alice, october, parent=deep, body="Alice again.")
    # A reading group alice owns, named so that the fuzzer's slugs find it, with a comment.
    group = group_create(owner=people.alice, name="October 1917", works=["october-1917"])
    group_join(user=people.bob, code=group.invite_code)
    in_group = post(people.bob, october, "p3", body="In the group.", group=group)
    _, key = token_create(user=people.alice, name="fuzzer", scopes=Scope.values)
    return Seeded(
        token=key,
        comment_ids=[
            c.pk for c in (root, reply, deep, edited, held, hidden, deleted, mine, in_group)
        ],
        paragraph_keys=["p1", "p2", "p3", "p5", "p6", "p7", "p8"],
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


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_schema(case, seeded):
    aim_at_seeded_rows(case, seeded)
    aim_at_members(case)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded.token}", **PLAIN},
        checks=[not_a_server_error, response_schema_conformance, negative_data_rejection],
    )


# The moderation endpoints answer everybody but moderators with 404: fuzzed again with a
# moderator's token, they reach the code behind that door.
moderation_schema = schema.include(path_regex=r"/(moderate|moderation|suspend|ban|reinstate)")


@pytest.fixture
def moderator_seeded(seeded) -> Seeded:
    moderator = make_moderator()
    _, key = token_create(user=moderator, name="fuzzer", scopes=Scope.values)
    return Seeded(token=key, comment_ids=seeded.comment_ids, paragraph_keys=seeded.paragraph_keys)


def aim_at_members(case) -> None:
    """Most generated usernames name a member, as ids name a comment above."""
    if _negated(case, ParameterLocation.PATH) or not case.path_parameters:
        return
    choice = _pick(case.path_parameters.get("username"), ["alice", "bob", "charlie"])
    if choice is not None:
        case.path_parameters["username"] = choice


@moderation_schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_moderation_api_never_fails_and_keeps_to_its_schema(case, moderator_seeded):
    aim_at_seeded_rows(case, moderator_seeded)
    aim_at_members(case)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {moderator_seeded.token}", **PLAIN},
        checks=[not_a_server_error, response_schema_conformance, negative_data_rejection],
    )
