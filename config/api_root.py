from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse


@api_view(["GET"])
def api_root(request: Request, format=None) -> Response:
    """Links to every collection of the API, its schema and its documentation."""
    return Response(
        {
            "works": reverse("api:work-list", request=request),
            "schema": reverse("api:schema", request=request),
            "docs": reverse("api:docs", request=request),
        }
    )
