from django.urls import path

from commentary.search.pages import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
