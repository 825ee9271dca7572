"""Publishing publishes what its editor reviewed: the publish form names the draft as the
review page drew it, and a draft another editor changed since (a new upload, a correction,
the note) is not published; the editor gets a 409 and the review of the draft as it now is."""

import re

import pytest
from django.test import Client

from edition.drafts import DraftChanged, draft_checksum
from edition.models import Version, Work
from edition.services import version_publish
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db

AIM = "The aim of this chapter is certainly not to denigrate this first socialist project."
HOWEVER = "However, neither is the objective of this study a nostalgic looking back."
X = "The aim of this chapter is surely not to denigrate this first socialist project."
Y = "Nothing in this chapter is what the first editor read: the second rewrote it all."

REVISE = "/works/october-1917/revise/"
REVIEW = "/works/october-1917/v/2/review/"
PUBLISH = "/works/october-1917/v/2/publish/"


@pytest.fixture
def work() -> Work:
    work = build_work()
    build_version(work, [para(AIM), para(HOWEVER)])
    return work


def editor(django_user_model, username: str) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user(username, is_staff=True))
    return client


@pytest.fixture
def ada(django_user_model) -> Client:
    return editor(django_user_model, "ada")


@pytest.fixture
def ben(django_user_model) -> Client:
    return editor(django_user_model, "ben")


def upload(client: Client, *texts: str) -> None:
    response = client.post(REVISE, {"pasted": "\n\n".join(texts), "format": "text"})
    assert response.status_code == 302


def checksum_on(client: Client) -> str:
    """The checksum the publish form of the review page carries."""
    page = client.get(REVIEW).content.decode()
    form = re.search(rf'<form method="post" action="{PUBLISH}">.*?</form>', page, re.S)
    return re.search(r'name="checksum" value="([0-9a-f]+)"', form.group(0)).group(1)


def test_the_publish_form_carries_the_drafts_checksum(ada, work):
    upload(ada, X, HOWEVER)

    assert checksum_on(ada) == draft_checksum(Version.objects.get(number=2))


def test_it_publishes_the_draft_its_editor_reviewed(ada, work):
    upload(ada, X, HOWEVER)

    response = ada.post(PUBLISH, {"checksum": checksum_on(ada)})

    assert response.status_code == 302
    assert Version.objects.get(number=2).is_published


def test_it_refuses_to_publish_a_text_another_editor_uploaded_meanwhile(ada, ben, work):
    upload(ada, X, HOWEVER)
    reviewed = checksum_on(ada)
    upload(ben, Y, HOWEVER)

    response = ada.post(PUBLISH, {"checksum": reviewed})

    assert response.status_code == 409
    page = response.content.decode()
    assert "the draft changed since you opened this page" in page
    assert Y in page  # the review of the draft as it now is
    assert checksum_on(ada) != reviewed
    assert f'value="{draft_checksum(Version.objects.get(number=2))}"' in page
    assert not Version.objects.get(number=2).is_published
    assert Work.objects.get(pk=work.pk).current_version.number == 1


def test_it_refuses_to_publish_a_draft_corrected_meanwhile(ada, ben, work):
    upload(ada, X, HOWEVER)
    reviewed = checksum_on(ada)
    ben.post(REVIEW + "p1/wording/", {"wording-p1-kind": "paragraph", "wording-p1-text": Y})

    response = ada.post(PUBLISH, {"checksum": reviewed})

    assert response.status_code == 409
    assert not Version.objects.get(number=2).is_published


def test_it_refuses_to_publish_a_draft_whose_note_changed_meanwhile(ada, ben, work):
    upload(ada, X, HOWEVER)
    reviewed = checksum_on(ada)
    ben.post(REVIEW + "note/", {"note": "Rewritten by Ben."})

    assert ada.post(PUBLISH, {"checksum": reviewed}).status_code == 409


def test_the_same_text_uploaded_again_changes_nothing_to_publish(ada, ben, work):
    upload(ada, X, HOWEVER)
    reviewed = checksum_on(ada)
    upload(ben, X, HOWEVER)

    assert ada.post(PUBLISH, {"checksum": reviewed}).status_code == 302


def test_a_publication_without_the_checksum_is_refused(ada, work):
    upload(ada, X, HOWEVER)

    assert ada.post(PUBLISH, {}).status_code == 409
    assert not Version.objects.get(number=2).is_published


def test_the_service_publishes_nothing_on_another_checksum(ada, work):
    upload(ada, X, HOWEVER)
    draft = Version.objects.get(number=2)

    with pytest.raises(DraftChanged):
        version_publish(version=draft, expected_checksum="0" * 64)

    assert not Version.objects.get(number=2).is_published
    version_publish(version=draft, expected_checksum=draft_checksum(draft))
    assert Version.objects.get(number=2).is_published
