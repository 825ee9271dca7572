"""The Annotation Protocol's containers: one per work (its public discussion) and one per
reading group (its members only; anybody else gets the 404 of a group that does not
exist), and each annotation in them.

Reads go through ``Comment.objects.visible_to`` (``commentary.annotations.reads``); writes
through the comment services, so the write policy, rate limits and events apply as for any
comment. Sections 4 to 7 of https://www.w3.org/TR/annotation-protocol/ are what the headers
and statuses follow.
"""

from django.db import transaction
from django.http import Http404
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commentary.access import get_comment_for_author
from commentary.annotations.api import protocol
from commentary.annotations.incoming import AnnotationInvalid, Wanted, wanted_from
from commentary.annotations.iris import ANNO_CONTEXT, ANNO_MEDIA_TYPE, Origin
from commentary.annotations.mapping import annotation_iri, comment_annotation
from commentary.annotations.models import AnnotationOrigin
from commentary.annotations.reads import (
    container_comments,
    get_annotated_comment,
    in_chapter,
    last_page_after,
    page_after,
)
from commentary.api.views import service_errors
from commentary.groups.reads import get_group_for_member
from commentary.services import comment_create, comment_delete, comment_edit
from config.api.conditional import NOT_MODIFIED, read_conditionally
from config.api.errors import error_response, error_responses
from config.api.idempotency import idempotent
from config.site.caching import DISCUSSION, TEXT
from edition.access import get_work_for_user
from edition.models import Paragraph
from edition.parts import CHAPTER_PARAMETER, NoSuchPart

LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
# A container or one of its pages shows the text and the discussion as each reader may see
# them, embedded as ``Prefer`` asks: its ETag comes from their generations (a 304 reads no
# comment), not from its content.
read_container = read_conditionally(TEXT, DISCUSSION, varies=("Prefer",))
ANNOTATION_ID = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description="The comment's id."
)
IRIS = OpenApiParameter(
    "iris",
    {"type": "integer", "enum": [0, 1]},
    OpenApiParameter.QUERY,
    description="1: the pages list annotations by IRI only; 0: in full (the default).",
)
PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 0},
    OpenApiParameter.QUERY,
    description=(
        "An AnnotationPage: the annotations after this id, oldest first (0: the first page). "
        "Without it, the AnnotationCollection."
    ),
)
CHAPTER = OpenApiParameter(
    CHAPTER_PARAMETER,
    {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 200},
    OpenApiParameter.QUERY,
    description=(
        "A chapter's slug (as in its page's address, `/works/<slug>/<chapter>/`): only the "
        "annotations on that chapter's passages, in the work's current version. A chapter "
        "the work lacks, or any chapter of a work not divided into chapters: 404."
    ),
)
JSON_LD = OpenApiResponse(OpenApiTypes.OBJECT, description=f"JSON-LD, `{ANNO_MEDIA_TYPE}`.")
ANNOTATION_REQUEST = {"application/ld+json": OpenApiTypes.OBJECT}


class ContainerQuery(serializers.Serializer):
    iris = serializers.ChoiceField(choices=["0", "1"], required=False)
    chapter = serializers.SlugField(required=False, max_length=200)
    page = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)


class ProtocolView(APIView):
    renderer_classes = [protocol.JsonLdRenderer]
    parser_classes = [protocol.JsonLdParser, protocol.LimitedJSONParser]
    content_negotiation_class = protocol.AlwaysJsonLd

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return [IsAuthenticated()]

    def layer(self, request: Request, slug: str) -> dict:
        """{"work": ...} or {"group": ...}: the layer the container holds; 404 if the
        reader may not read it."""
        raise NotImplementedError

    def container_iri(self, origin: Origin, slug: str) -> str:
        raise NotImplementedError

    def finalize_response(self, request, response, *args, **kwargs):
        # A creation replayed for its Idempotency-Key comes back as the body alone: it
        # gets the headers the first answer had.
        if (
            isinstance(response, Response)
            and response.status_code == status.HTTP_201_CREATED
            and "ETag" not in response
            and isinstance(response.data, dict)
        ):
            protocol.protocol_headers(
                response,
                etag=protocol.etag_of(response.data),
                allow=protocol.ANNOTATION_METHODS,
                links=protocol.RESOURCE_LINK,
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def wanted(self, request: Request) -> Wanted:
        try:
            return wanted_from(request.data, Origin.of(request))
        except AnnotationInvalid as error:
            raise ValidationError(error.message_dict) from error


class Container(ProtocolView):
    def works_of(self, layer: dict):
        """The works whose chapters a ``?chapter=`` names in this container."""
        raise NotImplementedError

    def scoped(self, request: Request, slug: str, chapter: str | None):
        """The container's layer, its comments (of the chapter ``chapter`` only, when
        given: 404 saying so for one it lacks) and the IRI of its collection, up to the
        ``iris`` parameter."""
        layer = self.layer(request, slug)
        within = None
        if chapter is not None:
            try:
                within = in_chapter(self.works_of(layer), chapter)
            except NoSuchPart as missing:
                raise NotFound(missing.message) from missing
        container = self.container_iri(Origin.of(request), slug)
        scope = f"{CHAPTER_PARAMETER}={chapter}&" if chapter is not None else ""
        return (
            layer,
            container_comments(request.user, **layer, within=within),
            (f"{container}?{scope}"),
        )

    def _collection(self, request: Request, slug: str, inclusion: str | None, iris: bool, chapter):
        layer, comments, collection = self.scoped(request, slug, chapter)
        origin = Origin.of(request)
        total = comments.count()
        collection_id = f"{collection}iris={int(iris)}"
        first = f"{collection_id}&page=0"
        data = {
            "@context": [ANNO_CONTEXT, LDP_CONTEXT],
            "id": collection_id,
            "type": ["BasicContainer", "AnnotationCollection"],
            "label": self.label(layer, chapter),
            "total": total,
            "first": first,
            "last": f"{collection_id}&page={last_page_after(comments, total)}",
        }
        if inclusion != protocol.PREFER_MINIMAL:
            page = self._page_data(origin, comments, collection_id, total, 0, iris)
            page.pop("@context")
            page.pop("partOf")
            data["first"] = page
        return data

    def _page_data(self, origin, comments, collection_id, total, after, iris) -> dict:
        page = page_after(comments, after)
        items = [
            annotation_iri(origin, comment)
            if iris
            else comment_annotation(origin, comment, context=False)
            for comment in page.comments
        ]
        data = {
            "@context": ANNO_CONTEXT,
            "id": f"{collection_id}&page={after}",
            "type": "AnnotationPage",
            "partOf": {"id": collection_id, "total": total},
            "startIndex": page.start_index,
            "items": items,
        }
        if page.next_after is not None:
            data["next"] = f"{collection_id}&page={page.next_after}"
        return data

    def _answer(self, request: Request, slug: str) -> Response:
        query = ContainerQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        inclusion = protocol.preferred_inclusion(request)
        asked_iris = query.validated_data.get("iris")
        iris = asked_iris == "1" if asked_iris is not None else inclusion == protocol.PREFER_IRIS
        chapter = query.validated_data.get("chapter")
        if "page" in query.validated_data:
            _layer, comments, collection = self.scoped(request, slug, chapter)
            origin = Origin.of(request)
            collection_id = f"{collection}iris={int(iris)}"
            data = self._page_data(
                origin,
                comments,
                collection_id,
                comments.count(),
                query.validated_data["page"],
                iris,
            )
            response = Response(data)
            protocol.protocol_headers(
                response, etag=protocol.etag_of(data), allow=protocol.PAGE_METHODS
            )
        else:
            data = self._collection(request, slug, inclusion, iris, chapter)
            response = Response(data)
            protocol.protocol_headers(
                response,
                etag=protocol.etag_of(data),
                allow=protocol.CONTAINER_METHODS,
                links=protocol.CONTAINER_LINKS,
            )
            response["Accept-Post"] = ANNO_MEDIA_TYPE
            if inclusion is not None:
                response["Preference-Applied"] = "return=representation"
        response["Content-Location"] = data["id"]
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Prefer",))
        return response

    @extend_schema(
        summary="The annotation container: an AnnotationCollection, or one of its pages",
        description=(
            'W3C Annotation Protocol. `Prefer: return=representation; include="…"` with '
            "`PreferMinimalContainer`, `PreferContainedIRIs` or `PreferContainedDescriptions` "
            "chooses what the collection embeds. Answered in JSON-LD whatever `Accept` says."
        ),
        parameters=[IRIS, PAGE, CHAPTER],
        responses={200: JSON_LD, 304: NOT_MODIFIED, **error_responses(400, 404)},
    )
    @read_container
    def get(self, request: Request, slug: str) -> Response:
        return self._answer(request, slug)

    @read_container
    def head(self, request: Request, slug: str) -> Response:
        response = self._answer(request, slug)
        response.data = None
        return response

    def options(self, request: Request, slug: str) -> Response:
        self.layer(request, slug)
        response = Response(status=status.HTTP_200_OK)
        protocol.protocol_headers(
            response, etag=None, allow=protocol.CONTAINER_METHODS, links=protocol.CONTAINER_LINKS
        )
        response["Accept-Post"] = ANNO_MEDIA_TYPE
        return response

    @extend_schema(
        summary="Post an annotation: a comment on a paragraph, or a reply",
        description=(
            "The body is a W3C Web Annotation: `body` a TextualBody in Markdown, `target` a "
            "paragraph's page IRI (with a TextQuoteSelector, and a TextPositionSelector in "
            "code points to tell a repeated quote apart) or the IRI of the annotation it "
            "answers. The server gives the `id` (a client's own is kept as `via`); "
            "`canonical` is kept as sent."
        ),
        request=ANNOTATION_REQUEST,
        responses={201: JSON_LD, **error_responses(400, 401, 403, 404, 413, 415, 429)},
    )
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        layer = self.layer(request, slug)
        wanted = self.wanted(request)
        origin = Origin.of(request)
        where: dict = {"group": layer.get("group")}
        if wanted.parent_id is not None:
            where["parent"] = get_annotated_comment(request.user, wanted.parent_id, **layer)
        else:
            where["paragraph"] = self.paragraph(request, wanted, layer)
            where["quote"] = wanted.quote
        with transaction.atomic(), service_errors():
            comment = comment_create(author=request.user, body=wanted.body, **where)
            if wanted.canonical or wanted.via:
                AnnotationOrigin.objects.create(
                    comment=comment, canonical=wanted.canonical, via=wanted.via
                )
        comment = get_annotated_comment(request.user, comment.pk, **layer)
        data = comment_annotation(origin, comment)
        response = Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["id"])}
        )
        return protocol.protocol_headers(
            response,
            etag=protocol.etag_of(data),
            allow=protocol.ANNOTATION_METHODS,
            links=protocol.RESOURCE_LINK,
        )

    def paragraph(self, request: Request, wanted: Wanted, layer: dict) -> Paragraph:
        work = layer.get("work")
        if work is not None and wanted.work_slug != work.slug:
            raise ValidationError({"target": ["The paragraph is not in this container's work."]})
        try:
            readable = get_work_for_user(request.user, wanted.work_slug)
        except Http404 as missing:
            raise ValidationError({"target": ["No such work."]}) from missing
        paragraph = (
            Paragraph.objects.select_related("work")
            .filter(work=readable, key=wanted.paragraph_key)
            .first()
        )
        if paragraph is None:
            raise ValidationError({"target": ["No such paragraph."]})
        return paragraph


class AnnotationDetail(ProtocolView):
    def _current(self, request: Request, slug: str, id: int):
        layer = self.layer(request, slug)
        comment = get_annotated_comment(request.user, id, **layer)
        data = comment_annotation(Origin.of(request), comment)
        return layer, comment, data

    def _respond(self, data: dict, status_code: int = 200) -> Response:
        response = Response(data, status=status_code)
        response["Cache-Control"] = "private, no-cache"
        return protocol.protocol_headers(
            response,
            etag=protocol.etag_of(data),
            allow=protocol.ANNOTATION_METHODS,
            links=protocol.RESOURCE_LINK,
        )

    @extend_schema(
        summary="An annotation",
        parameters=[ANNOTATION_ID],
        responses={200: JSON_LD, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, id: int) -> Response:
        return self._respond(self._current(request, slug, id)[2])

    def head(self, request: Request, slug: str, id: int) -> Response:
        response = self.get(request, slug, id)
        response.data = None
        return response

    def options(self, request: Request, slug: str, id: int) -> Response:
        self._current(request, slug, id)
        response = Response(status=status.HTTP_200_OK)
        return protocol.protocol_headers(
            response, etag=None, allow=protocol.ANNOTATION_METHODS, links=protocol.RESOURCE_LINK
        )

    @extend_schema(
        summary="Replace your annotation's body",
        description=(
            "Its author only (anybody else: 404). Send the annotation with a new body; its "
            "target cannot change. With `If-Match`, a stale ETag answers 412."
        ),
        parameters=[ANNOTATION_ID],
        request=ANNOTATION_REQUEST,
        responses={200: JSON_LD, **error_responses(400, 401, 403, 404, 412, 413, 415, 429)},
    )
    def put(self, request: Request, slug: str, id: int) -> Response:
        layer, comment, current = self._current(request, slug, id)
        comment = get_comment_for_author(request.user, comment.pk)
        if protocol.if_match_fails(request, protocol.etag_of(current)):
            return precondition_failed()
        wanted = self.wanted(request)
        if "id" in request.data and request.data["id"] != current["id"]:
            raise ValidationError({"id": ["The id is this annotation's IRI, or left out."]})
        if not same_target(wanted, current):
            raise ValidationError({"target": ["An annotation's target cannot change."]})
        with service_errors():
            comment_edit(comment=comment, editor=request.user, body=wanted.body)
        comment = get_annotated_comment(request.user, id, **layer)
        return self._respond(comment_annotation(Origin.of(request), comment))

    @extend_schema(
        summary="Delete your annotation",
        description="Its author only (anybody else: 404). A stale `If-Match` answers 412.",
        parameters=[ANNOTATION_ID],
        responses={204: None, **error_responses(401, 403, 404, 412)},
    )
    def delete(self, request: Request, slug: str, id: int) -> Response:
        _layer, comment, current = self._current(request, slug, id)
        comment = get_comment_for_author(request.user, comment.pk)
        if protocol.if_match_fails(request, protocol.etag_of(current)):
            return precondition_failed()
        with service_errors():
            comment_delete(comment=comment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def precondition_failed():
    return error_response(
        412, "precondition_failed", "The annotation has changed since that ETag; get it again."
    )


def same_target(wanted: Wanted, current: dict) -> bool:
    target = current["target"]
    if isinstance(target, str):
        return wanted.parent_id is not None and target.rstrip("/").endswith(f"/{wanted.parent_id}")
    if wanted.parent_id is not None:
        return False
    source_ok = target["source"].endswith(f"/works/{wanted.work_slug}/p/{wanted.paragraph_key}/")
    current_quote = target.get("selector", [{}])[0].get("exact")
    sent_quote = (wanted.quote or {}).get("exact")
    return source_ok and current_quote == sent_quote


def _of_chapter(chapter: str | None) -> str:
    return f", chapter {chapter}" if chapter else ""


class WorkLayer:
    def layer(self, request: Request, slug: str) -> dict:
        return {"work": get_work_for_user(request.user, slug)}

    def container_iri(self, origin: Origin, slug: str) -> str:
        return origin.container(work_slug=slug)

    def label(self, layer: dict, chapter: str | None = None) -> str:
        return f"Discussion of {layer['work'].title}{_of_chapter(chapter)}"

    def works_of(self, layer: dict):
        return [layer["work"]]


class GroupLayer:
    def layer(self, request: Request, slug: str) -> dict:
        try:
            return {"group": get_group_for_member(request.user, slug)}
        except Http404 as missing:
            raise NotFound() from missing

    def container_iri(self, origin: Origin, slug: str) -> str:
        return origin.container(group_slug=slug)

    def label(self, layer: dict, chapter: str | None = None) -> str:
        return f"Discussion of the reading group {layer['group'].name}{_of_chapter(chapter)}"

    def works_of(self, layer: dict):
        return layer["group"].works.select_related("current_version")


def named(layer: str, methods: dict[str, str]):
    """Operation ids and the tag for a container's or an annotation's operations."""
    return extend_schema_view(
        **{
            method: extend_schema(operation_id=f"{layer}_{name}", tags=["annotations"])
            for method, name in methods.items()
        }
    )


CONTAINER_OPERATIONS = {"get": "annotations_container", "post": "annotations_create"}
ANNOTATION_OPERATIONS = {
    "get": "annotation_retrieve",
    "put": "annotation_replace",
    "delete": "annotation_destroy",
}


@named("works", CONTAINER_OPERATIONS)
class WorkAnnotations(WorkLayer, Container):
    pass


@named("groups", CONTAINER_OPERATIONS)
class GroupAnnotations(GroupLayer, Container):
    pass


@named("works", ANNOTATION_OPERATIONS)
class WorkAnnotation(WorkLayer, AnnotationDetail):
    pass


@named("groups", ANNOTATION_OPERATIONS)
class GroupAnnotation(GroupLayer, AnnotationDetail):
    pass
