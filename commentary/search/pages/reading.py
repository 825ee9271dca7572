"""``/works/<slug>/comments/``: every comment the reader may read, in the order of the text,
each under its passage's label with the words it quotes. Printable."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commentary.search.criteria import ReadingFilterForm
from commentary.search.reading import reading_order
from commentary.tags import tags_split
from edition.access import get_work_for_user
from edition.numbering import passage_labels
from edition.parts import passage_reading_url

PAGE_SIZE = 50


def work_comments(request: HttpRequest, slug: str) -> HttpResponse:
    work = get_work_for_user(request.user, slug)
    if work.current_version_id is None:
        raise Http404("No version to read.")
    form = ReadingFilterForm(request.GET, user=request.user, work=work)
    comments = []
    page = None
    if form.is_valid():
        page = Paginator(reading_order(request.user, work, form.filters()), PAGE_SIZE).get_page(
            form.cleaned_data.get("page")
        )
        comments = list(page)
        labels = passage_labels((work.current_version_id, c.paragraph_id) for c in comments)
        work.current_version.work = work
        for comment in comments:
            comment.passage_label = labels.get((work.current_version_id, comment.paragraph_id))
            # The passage in the text: in its chapter's page, for a work in chapters.
            comment.reading_url = passage_reading_url(
                work.current_version, comment.paragraph.key, current=True
            )
            comment.tag_list = tags_split(comment.tag_names)
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "commentary/work_comments.html",
        {
            "work": work,
            "form": form,
            "page": page,
            "comments": comments,
            "query": query.urlencode(),
            "chapter": form.cleaned_data.get("chapter_found") if form.is_valid() else None,
        },
        # A filter that names nothing (an unknown author or chapter) is the asker's mistake.
        status=200 if form.is_valid() else 400,
    )
    if request.user.is_authenticated:
        response["Cache-Control"] = "private"
    return response
