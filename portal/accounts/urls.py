"""Account pages (included in portal/urls.py inside the language prefix): /<lang>/my/... and /<lang>/privacy/."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.my_account, name="my_account"),
    path("my/link/", views.link_account, name="link_account"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/data/download/", views.my_data_download, name="my_data_download"),
    path("my/delete/", views.account_delete, name="account_delete"),
    path("my/organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("my/organisations/<int:pk>/invite/", views.organisation_invite, name="organisation_invite"),
    path("privacy/", views.privacy, name="privacy"),
]
