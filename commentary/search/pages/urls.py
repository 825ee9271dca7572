from django.urls import path

from commentary.search.pages import reading, views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("works/<slug:slug>/comments/", reading.work_comments, name="work-comments"),
]
