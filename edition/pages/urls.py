from django.urls import path

from edition.pages import citations, compare, editor, paragraphs, places, views

app_name = "edition"

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("works/<slug:slug>/", views.work_detail, name="work-detail"),
    path("works/<slug:slug>/v/<int:number>/", views.version_detail, name="version-detail"),
    path("works/<slug:slug>/p/<slug:key>/", paragraphs.paragraph_detail, name="paragraph-detail"),
    path(
        "works/<slug:slug>/v/<int:number>/p/<slug:key>/",
        paragraphs.paragraph_in_version,
        name="paragraph-in-version",
    ),
    path(
        "works/<slug:slug>/p/<slug:key>/cite/<slug:fmt>/",
        citations.paragraph_cite,
        name="paragraph-cite",
    ),
    path("works/<slug:slug>/place/", places.place_keep_view, name="place-keep"),
    path("works/<slug:slug>/compare/", compare.compare_pick, name="compare-pick"),
    path("works/<slug:slug>/compare/<int:a>...<int:b>/", compare.compare, name="compare"),
    # The editor's pages: staff only, 404 for everyone else.
    path("works/<slug:slug>/revise/", editor.revision_upload, name="revision-upload"),
    path("works/<slug:slug>/v/<int:number>/review/", editor.draft_detail, name="draft-detail"),
    path("works/<slug:slug>/v/<int:number>/review/note/", editor.draft_note, name="draft-note"),
    path(
        "works/<slug:slug>/v/<int:number>/review/<slug:key>/separate/",
        editor.draft_separate,
        name="draft-separate",
    ),
    path(
        "works/<slug:slug>/v/<int:number>/review/<slug:key>/link/",
        editor.draft_link,
        name="draft-link",
    ),
    path(
        "works/<slug:slug>/v/<int:number>/review/<slug:key>/wording/",
        editor.draft_wording,
        name="draft-wording",
    ),
    path("works/<slug:slug>/v/<int:number>/publish/", editor.draft_publish, name="draft-publish"),
    path(
        "works/<slug:slug>/v/<int:number>/discard/",
        editor.draft_discard_view,
        name="draft-discard",
    ),
]
# A chapter of a work divided into chapters: last, so that no other page's word is taken
# for a chapter's (edition.parts.RESERVED_SLUGS keeps chapters off those words).
urlpatterns += [
    path("works/<slug:slug>/<slug:chapter>/", views.chapter_detail, name="chapter-detail"),
    path(
        "works/<slug:slug>/v/<int:number>/<slug:chapter>/",
        views.version_chapter_detail,
        name="version-chapter-detail",
    ),
]
