"""The absolute IRIs an annotation names: its own, its container's, its paragraph's, its
author's. Worked out from the address the request came to, like the API's other links."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_PROFILE = ANNO_CONTEXT
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_PROFILE}"'


@dataclass(frozen=True)
class Origin:
    """Scheme and host, e.g. "https://example.org"; every IRI is built on it."""

    base: str

    @classmethod
    def of(cls, request) -> "Origin":
        return cls(request.build_absolute_uri("/").rstrip("/"))

    def absolute(self, path: str) -> str:
        return f"{self.base}{path}"

    def container(self, *, work_slug: str | None = None, group_slug: str | None = None) -> str:
        if group_slug is not None:
            return self.absolute(reverse("api:group-annotations", kwargs={"slug": group_slug}))
        return self.absolute(reverse("api:work-annotations", kwargs={"slug": work_slug}))

    def annotation(self, comment_id: int, *, work_slug: str, group_slug: str | None) -> str:
        """A comment's annotation IRI: inside its group's container, or its work's."""
        return f"{self.container(work_slug=work_slug, group_slug=group_slug)}{comment_id}/"

    def paragraph(self, work_slug: str, key: str) -> str:
        return self.absolute(
            reverse("edition:paragraph-detail", kwargs={"slug": work_slug, "key": key})
        )

    def version(self, work_slug: str, number: int) -> str:
        return self.absolute(
            reverse("edition:version-detail", kwargs={"slug": work_slug, "number": number})
        )

    def person(self, username: str) -> str:
        return self.absolute(reverse("people:user-detail", kwargs={"username": username}))

    def comment_page(self, comment_id: int) -> str:
        return self.absolute(reverse("commentary:comment-detail", kwargs={"pk": comment_id}))


def resolve_iri(origin: Origin, iri: str):
    """The URL match of ``iri`` on this site, or None for an IRI of another site or of no
    page of ours."""
    if not isinstance(iri, str) or not iri.startswith(f"{origin.base}/"):
        return None
    path = urlsplit(iri).path
    try:
        return resolve(path)
    except Resolver404:
        return None
