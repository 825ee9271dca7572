from django.urls import path

from commentary.accounts.api import tokens, views

urlpatterns = [
    # allows /api/v1/account/exports/
    path("account/exports/", views.ExportList.as_view(), name="account-export-list"),
    # allows /api/v1/account/exports/{id}/
    path("account/exports/<int:pk>/", views.ExportDetail.as_view(), name="account-export-detail"),
    # allows /api/v1/account/exports/{id}/json/
    path("account/exports/<int:pk>/json/", views.ExportJson.as_view(), name="account-export-json"),
    # allows /api/v1/account/exports/{id}/markdown/
    path(
        "account/exports/<int:pk>/markdown/",
        views.ExportMarkdown.as_view(),
        name="account-export-markdown",
    ),
    # allows /api/v1/tokens/
    path("tokens/", tokens.TokenList.as_view(), name="token-list"),
    # allows /api/v1/tokens/{id}/
    path("tokens/<int:pk>/", tokens.TokenDetail.as_view(), name="token-detail"),
    # allows DELETE /api/v1/account/
    path("account/", views.AccountDelete.as_view(), name="account-delete"),
]
