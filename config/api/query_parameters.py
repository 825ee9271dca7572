"""Which query parameters each API operation takes: those its OpenAPI schema lists, and
``format``. Anything else is refused with a 400 naming the accepted ones, as unknown body
fields are (``config.api.validation``): a client that sends ``?updated_after=`` or ``?q=``
must learn the API has no such filter rather than take the whole list for its answer.

The schema is the one source: it is built from each view's filterset, pagination and
declared parameters, so what is documented and what is accepted cannot drift apart. It is
generated once per process, on the first API request (under a second), and read from a
table keyed by the URL pattern's view function after that.
"""

from collections.abc import Callable
from functools import cache

from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.settings import api_settings

# The schema and docs views are left out of the schema they serve; these are what they read.
_UNDOCUMENTED = {
    SpectacularAPIView: frozenset({"lang", "version"}),
    SpectacularSwaggerSplitView: frozenset({"lang", "version", "script"}),
}


def _always() -> frozenset[str]:
    return frozenset({api_settings.URL_FORMAT_OVERRIDE})


@cache
def _documented() -> dict[Callable, dict[str, frozenset[str]]]:
    """{view function: {METHOD: the query parameters the schema lists for it}}."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    table: dict[Callable, dict[str, frozenset[str]]] = {}
    for path, _regex, method, callback in generator.endpoints:
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        table.setdefault(callback, {})[method] = frozenset(names) | _always()
    return table


def accepted_parameters(view: Callable, method: str) -> frozenset[str] | None:
    """The query parameters ``view`` (a URL pattern's callback) takes for ``method``; None
    when the view does not answer that method (it answers 405 itself)."""
    view_class = getattr(view, "cls", None)
    if view_class in _UNDOCUMENTED:
        return _UNDOCUMENTED[view_class] | _always()
    operations = _documented().get(view)
    if operations is None:
        return _always()
    if method == "HEAD":
        method = "GET"
    if method == "OPTIONS":
        return _always()
    return operations.get(method)


def unknown_parameters_message(accepted: frozenset[str]) -> str:
    return _("Unknown query parameter; this endpoint takes only: %(names)s.") % {
        "names": ", ".join(sorted(accepted))
    }
