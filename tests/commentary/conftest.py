"""The discussion's personas: alice writes, bob reads (and sometimes replies), both on the
seed-like chapter in ``work``. Modules that need other people define their own."""

import pytest

from tests.commentary.builders import make_user, make_work


@pytest.fixture
def alice():
    return make_user("alice", "Alice Liddell")


@pytest.fixture
def bob():
    return make_user("bob")


@pytest.fixture
def work():
    return make_work()
