"""Account pages (included in portal/urls.py inside the language prefix): /<lang>/my/... and /<lang>/privacy/."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("my/", account_views.my_account, name="my_account"),
    path("my/link/", account_views.link_account, name="link_account"),
    path("my/data/", account_views.my_data, name="my_data"),
    path("my/data/download/", account_views.my_data_download, name="my_data_download"),
    path("my/delete/", account_views.account_delete, name="account_delete"),
    path("my/organisations/<int:pk>/", account_views.organisation_edit, name="organisation_edit"),
    path("my/organisations/<int:pk>/invite/", account_views.organisation_invite, name="organisation_invite"),
    path("privacy/", account_views.privacy, name="privacy"),
]
