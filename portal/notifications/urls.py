"""Admin URLs, mounted under /admin/notifications/ by `wagtail_hooks.register_admin_urls`."""

from django.urls import path

from . import views

app_name = "portal_notifications"

urlpatterns = [
    path("", views.batch_index, name="index"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/download/<str:kind>/", views.batch_download, name="download"),
    path("<int:pk>/printed/", views.batch_mark_printed, name="mark_printed"),
    path("<int:pk>/retry/", views.batch_retry, name="retry"),
    path("<int:pk>/resume/", views.batch_resume, name="resume"),
    path("<int:pk>/resend-uncertain/", views.batch_resend_uncertain, name="resend_uncertain"),
]
