"""The import page (staff, and reading groups' owners) and an import's report page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commentary.annotations.access import get_import_for_user, import_layers
from commentary.annotations.importer import ImportRefused, annotations_import
from commentary.annotations.pages.forms import ImportForm
from commentary.annotations.report import report_counts
from edition.access import get_work_for_user


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """404 for anybody who may import nowhere on the work."""
    work = get_work_for_user(request.user, slug)
    layers = import_layers(request.user, work)
    if not layers:
        raise Http404("No such page.")
    form = ImportForm(request.POST or None, request.FILES or None, layers=layers)
    if request.method == "POST" and form.is_valid():
        try:
            run = annotations_import(
                work=work,
                importer=request.user,
                data=form.cleaned_data["export"],
                group=form.cleaned_data["into"],
                source_name=form.files["export"].name[:200],
            )
        except ImportRefused as error:
            form.add_error("export", str(error))
        else:
            return redirect(reverse("annotations:import-report", kwargs={"pk": run.pk}))
    status = 400 if form.errors else 200
    return render(
        request,
        "commentary/annotations/import_upload.html",
        {"work": work, "form": form},
        status=status,
    )


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_import_for_user(request.user, pk)
    response = render(
        request,
        "commentary/annotations/import_report.html",
        {"run": run, "work": run.work, "report": run.report, "counts": report_counts(run.report)},
    )
    response["Cache-Control"] = "private"
    return response
