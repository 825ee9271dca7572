import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from edition.importer import Block
from edition.models import (
    CurrentVersionError,
    Paragraph,
    ParagraphRevision,
    PublishedVersionError,
    Version,
    VersionParagraph,
    Work,
    revision_checksum,
)
from edition.services import version_import, version_publish

pytestmark = pytest.mark.django_db


def paragraph(work, ordinal: int) -> Paragraph:
    return Paragraph.objects.create(work=work, ordinal=ordinal, key=f"p{ordinal}")


def revision(par: Paragraph, text: str) -> ParagraphRevision:
    return ParagraphRevision.objects.create(paragraph=par, kind="paragraph", text=text)


@pytest.fixture
def published_version(work) -> Version:
    draft = version_import(
        work=work,
        blocks=[Block("paragraph", None, "First words."), Block("paragraph", None, "Second.")],
    ).version
    return version_publish(version=draft)


# --- constraints ----------------------------------------------------------------------------


def test_a_key_is_unique_within_a_work(work):
    paragraph(work, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(work=work, ordinal=2, key="p1")


def test_an_ordinal_is_unique_within_a_work(work):
    paragraph(work, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(work=work, ordinal=1, key="p1b")


def test_a_version_number_is_unique_within_a_work(work):
    Version.objects.create(work=work, number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(work=work, number=1)


def test_the_same_key_and_number_may_be_used_by_two_works(work):
    from edition.models import Work

    other = Work.objects.create(slug="other", title="Other")

    paragraph(work, 1), paragraph(other, 1)
    Version.objects.create(work=work, number=1), Version.objects.create(work=other, number=1)


def test_a_position_is_unique_within_a_version(work):
    version = Version.objects.create(work=work, number=1)
    first, second = paragraph(work, 1), paragraph(work, 2)
    VersionParagraph.objects.create(
        version=version, position=1, paragraph=first, revision=revision(first, "One.")
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        VersionParagraph.objects.create(
            version=version, position=1, paragraph=second, revision=revision(second, "Two.")
        )


def test_a_version_holds_one_revision_of_a_paragraph(work):
    version = Version.objects.create(work=work, number=1)
    par = paragraph(work, 1)
    VersionParagraph.objects.create(
        version=version, position=1, paragraph=par, revision=revision(par, "One.")
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        VersionParagraph.objects.create(
            version=version, position=2, paragraph=par, revision=revision(par, "One, again.")
        )


def test_a_paragraph_holds_one_revision_per_wording(work):
    par = paragraph(work, 1)
    revision(par, "One.")

    with pytest.raises(IntegrityError), transaction.atomic():
        revision(par, "One.")


def test_only_a_heading_has_a_level(work):
    par = paragraph(work, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphRevision.objects.create(paragraph=par, kind="paragraph", level=2, text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphRevision.objects.create(paragraph=par, kind="heading", level=7, text="x")


def test_a_heading_needs_a_level(work):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphRevision.objects.create(
            paragraph=paragraph(work, 1), kind="heading", level=None, text="x"
        )


def test_a_revision_needs_text(work):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParagraphRevision.objects.create(paragraph=paragraph(work, 1), text="")


def test_a_published_version_needs_a_publication_date(work):
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(work=work, number=1, status="published")


def test_a_revision_is_immutable_and_computes_its_checksum(work):
    rev = revision(paragraph(work, 1), "One.")

    assert rev.checksum == revision_checksum("paragraph", None, "One.")
    rev.text = "Changed."
    with pytest.raises(ValidationError):
        rev.save()


def test_an_entry_refuses_a_revision_of_another_paragraph(work):
    version = Version.objects.create(work=work, number=1)
    first, second = paragraph(work, 1), paragraph(work, 2)

    with pytest.raises(ValidationError):
        VersionParagraph.objects.create(
            version=version, position=1, paragraph=first, revision=revision(second, "Two.")
        )


# --- a published version never changes ------------------------------------------------------


def test_a_published_version_cannot_be_saved(published_version):
    published_version.note = "A new note"

    with pytest.raises(PublishedVersionError):
        published_version.save()


def test_a_published_version_cannot_be_deleted(published_version):
    with pytest.raises(PublishedVersionError):
        published_version.delete()


def test_a_published_version_refuses_a_new_entry(work, published_version):
    par = paragraph(work, 99)

    with pytest.raises(PublishedVersionError):
        VersionParagraph.objects.create(
            version=published_version, position=3, paragraph=par, revision=revision(par, "New.")
        )
    assert published_version.entries.count() == 2


def test_a_published_version_refuses_to_lose_an_entry(published_version):
    entry = published_version.entries.first()

    with pytest.raises(PublishedVersionError):
        entry.delete()
    assert published_version.entries.count() == 2


def test_a_published_versions_entry_cannot_be_moved(published_version):
    entry = published_version.entries.get(position=2)
    entry.position = 3

    with pytest.raises(PublishedVersionError):
        entry.save()


def test_a_draft_can_be_changed(work):
    draft = Version.objects.create(work=work, number=1)
    par = paragraph(work, 1)
    entry = VersionParagraph.objects.create(
        version=draft, position=1, paragraph=par, revision=revision(par, "One.")
    )

    draft.note = "Still a draft"
    draft.save()
    entry.delete()

    assert not draft.entries.exists()


# --- a work's current version is one of its published versions ------------------------------


def test_a_work_refuses_a_draft_as_its_current_version(work, published_version):
    draft = Version.objects.create(work=work, number=2)
    work.current_version = draft

    with pytest.raises(CurrentVersionError):
        work.save()
    work.refresh_from_db()
    assert work.current_version == published_version


def test_a_work_refuses_a_version_of_another_work(work, published_version):
    other = Work.objects.create(slug="other", title="Another work")
    other.current_version = published_version

    with pytest.raises(CurrentVersionError):
        other.save()
    assert Work.objects.get(slug="other").current_version is None


def test_a_work_names_the_field_when_cleaning_a_draft_current_version(work, published_version):
    work.current_version = Version.objects.create(work=work, number=2)

    with pytest.raises(ValidationError) as excinfo:
        work.full_clean()
    assert excinfo.value.message_dict == {
        "current_version": ["Only a published version can be the current one."]
    }


def test_a_work_saves_its_other_fields_without_checking_the_version_again(work, published_version):
    work.refresh_from_db()
    work.title = "A new title"
    work.save(update_fields=["title"])

    assert Work.objects.get(pk=work.pk).title == "A new title"
