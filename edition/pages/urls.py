from django.urls import path

from edition.pages import views

app_name = "edition"

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("works/<slug:slug>/", views.work_detail, name="work-detail"),
    path("works/<slug:slug>/v/<int:number>/", views.version_detail, name="version-detail"),
    path("works/<slug:slug>/p/<slug:key>/", views.paragraph_detail, name="paragraph-detail"),
]
