"""URLs of the project call, included under /<language>/projects/ (portal/urls.py)."""

from django.urls import path, re_path

from . import staff_views, views

app_name = "projectcall"

urlpatterns = [
    path("", views.projects_home, name="home"),
    path("gallery/", views.gallery_view, name="gallery"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("mine/", views.my_applications, name="my_applications"),
    path("call/<int:year>/", views.call_detail, name="call_detail"),
    path("call/<int:year>/apply/", views.application_start, name="application_start"),
    path("application/<int:pk>/", views.application_detail, name="application_detail"),
    path("application/<int:pk>/step/<slug:step>/", views.application_step, name="application_step"),
    path("application/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("application/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("application/<int:pk>/coaching/", views.coaching_request, name="coaching_request"),
    path("application/<int:pk>/report/", views.report_create, name="report_create"),
    path("attachment/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachment/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("report/<int:pk>/photo/", views.report_photo, name="report_photo"),
    # Collective workers
    path("manage/", staff_views.manage_index, name="manage_index"),
    path("manage/call/<int:year>/", staff_views.manage_call, name="manage_call"),
    path("manage/call/<int:year>/on-behalf/", staff_views.on_behalf_start, name="on_behalf_start"),
    path("manage/call/<int:year>/decision/", staff_views.decision, name="decision"),
    re_path(r"^manage/call/(?P<year>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", staff_views.export, name="export"),
    path("manage/application/<int:pk>/eligibility/", staff_views.eligibility, name="eligibility"),
    path("manage/application/<int:pk>/coach/", staff_views.coach, name="coach"),
    path("manage/application/<int:pk>/status/", staff_views.project_status, name="project_status"),
    path("manage/report/<int:pk>/", staff_views.report_review, name="report_review"),
    path("manage/ideas/", staff_views.ideas, name="ideas"),
    path("manage/ideas/<int:pk>/", staff_views.idea_detail, name="idea_detail"),
    # Jury
    path("review/", staff_views.review_index, name="review_index"),
    path("review/<int:pk>/", staff_views.review, name="review"),
]
