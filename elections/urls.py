from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.election_index, name="index"),
    path("manage/", views.manage_index, name="manage_index"),
    path("<slug:slug>/", views.election_detail, name="detail"),
    path("<slug:slug>/candidates/", views.candidate_list, name="candidates"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/candidates/<int:pk>/photo/", views.candidate_photo, name="candidate_photo"),
    path("<slug:slug>/receipt/", views.receipt_check, name="receipt"),
    path("<slug:slug>/ballot-box/", views.ballot_box, name="ballot_box"),
    path("<slug:slug>/ballot-box.txt", views.ballot_box_file, name="ballot_box_file"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/my-candidacy/", views.my_candidacy, name="my_candidacy"),
    path("<slug:slug>/vote/", views.vote_start, name="vote_start"),
    path("<slug:slug>/vote/ballot/", views.vote_ballot, name="vote_ballot"),
    path("<slug:slug>/manage/", views.manage_election, name="manage"),
    path("<slug:slug>/manage/advance/", views.manage_advance, name="manage_advance"),
    path("<slug:slug>/manage/invitations/", views.manage_invitations, name="manage_invitations"),
    path("<slug:slug>/manage/rerun/", views.manage_rerun, name="manage_rerun"),
    path("<slug:slug>/manage/rules/", views.manage_rules, name="manage_rules"),
    path("<slug:slug>/manage/key/", views.manage_key_ceremony, name="manage_key_ceremony"),
    path("<slug:slug>/manage/key/check/", views.manage_key_check, name="manage_key_check"),
    path("<slug:slug>/manage/ballot-box/", views.manage_ballot_box_open, name="manage_ballot_box_open"),
    path("<slug:slug>/manage/roll/", views.manage_roll, name="manage_roll"),
    path(
        "<slug:slug>/manage/roll/<int:entry_id>/remove/", views.manage_roll_remove, name="manage_roll_remove"
    ),
    path("<slug:slug>/manage/candidacies/", views.manage_candidacies, name="manage_candidacies"),
    path(
        "<slug:slug>/manage/candidacies/<int:candidacy_id>/", views.manage_candidacy, name="manage_candidacy"
    ),
    path("<slug:slug>/manage/stations/<int:station_id>/", views.station_desk, name="station_desk"),
    path("<slug:slug>/manage/stations/<int:station_id>/count/", views.station_count, name="station_count"),
    path("<slug:slug>/manage/results.pdf", views.results_pdf, name="results_pdf"),
]
