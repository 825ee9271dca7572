from django.urls import path

from commentary.annotations.pages import citations, exports, imports

app_name = "annotations"

urlpatterns = [
    path("works/<slug:slug>/export/tei/", exports.tei_export, name="export-tei"),
    path("works/<slug:slug>/export/markdown/", exports.markdown_export, name="export-markdown"),
    path("works/<slug:slug>/export/epub/", exports.epub_export, name="export-epub"),
    path("works/<slug:slug>/import/", imports.import_upload, name="import-upload"),
    path("imports/<int:pk>/", imports.import_report, name="import-report"),
    path("comments/<comment_id:pk>/cite/<slug:fmt>/", citations.comment_cite, name="comment-cite"),
]
