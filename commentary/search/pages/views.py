"""``/search/``: the search page. A GET form; every page of results has its own address."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commentary.search.criteria import MAX_PAGE, SearchForm
from commentary.search.reads import search

PAGE_SIZE = 20


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    results = None
    pages = {}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        page = form.page_number
        results = search(
            request.user,
            form.cleaned_data["q"],
            form.filters(),
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        last = min(MAX_PAGE, max(1, -(-results.total // PAGE_SIZE)))
        query = request.GET.copy()
        query.pop("page", None)
        pages = {
            "number": page,
            "last": last,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < last else None,
            "query": query.urlencode(),
        }
    response = render(
        request,
        "commentary/search.html",
        {
            "form": form,
            "results": results,
            "pages": pages,
            "chapter": form.cleaned_data.get("chapter_found") if form.is_valid() else None,
        },
        # A filter that names nothing (an unknown work, version, chapter or author) is the
        # asker's mistake: the form says which, with a 400.
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
    if request.user.is_authenticated:
        # What a member finds includes their groups' comments: never for a shared cache.
        response["Cache-Control"] = "private"
    return response
