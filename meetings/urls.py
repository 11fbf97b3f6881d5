"""Public and staff URLs of the meetings app, under /<language>/meetings/ (included in portal/urls.py)."""

from django.urls import path

from . import staff_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings_index, name="index"),
    path("suggest/", views.suggest_topic, name="suggest"),
    path("meeting/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meeting/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("meeting/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    # Staff screens (before the neighbourhood catch-all below).
    path("staff/", staff_views.dashboard, name="staff"),
    path("staff/plan-year/", staff_views.series_plan, name="staff_series"),
    path("staff/meeting/new/", staff_views.meeting_edit, name="staff_meeting_new"),
    path("staff/meeting/<int:pk>/", staff_views.agenda, name="staff_agenda"),
    path("staff/meeting/<int:pk>/edit/", staff_views.meeting_edit, name="staff_meeting_edit"),
    path("staff/meeting/<int:pk>/agenda/", staff_views.agenda_action, name="staff_agenda_action"),
    path("staff/meeting/<int:pk>/propose/", staff_views.item_propose, name="staff_propose"),
    path("staff/meeting/<int:pk>/cancel/", staff_views.meeting_cancel, name="staff_cancel"),
    path("staff/meeting/<int:pk>/record/", staff_views.record, name="staff_record"),
    path("staff/meeting/<int:pk>/speakers/", staff_views.speakers, name="staff_speakers"),
    path("staff/meeting/<int:pk>/minutes/", staff_views.minutes_review, name="staff_minutes"),
    path("staff/item/<int:pk>/edit/", staff_views.item_edit, name="staff_item_edit"),
    path(
        "staff/action-point/<int:pk>/remove/",
        staff_views.action_point_remove,
        name="staff_action_point_remove",
    ),
    path(
        "staff/action-point/<int:pk>/status/",
        staff_views.action_point_update,
        name="staff_action_point_update",
    ),
    path("staff/action-points/", staff_views.staff_action_points, name="staff_action_points"),
    path("staff/suggestions/", staff_views.suggestions, name="staff_suggestions"),
    path("staff/suggestions/paper/", staff_views.suggestion_paper, name="staff_suggestion_paper"),
    path("staff/suggestions/<int:pk>/", staff_views.suggestion_answer, name="staff_suggestion_answer"),
    # Per neighbourhood.
    path("<slug:slug>/", views.neighbourhood_meetings, name="neighbourhood"),
    path("<slug:slug>/calendar.ics", views.neighbourhood_ics, name="neighbourhood_ics"),
    path("<slug:slug>/archive/", views.meetings_archive, name="archive"),
    path("<slug:slug>/action-points/", views.action_points, name="action_points"),
]
