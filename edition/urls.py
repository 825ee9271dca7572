from django.urls import path

app_name = "edition"

urlpatterns: list = []
