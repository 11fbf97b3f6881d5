"""Personal data of the project call: "My data" holds the applications with their contact details, messages,
files and ideas; removing the account keeps funded projects anonymised and deletes the rest; abandoned drafts
are deleted after PORTAL_RETENTION_DRAFT_DAYS."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal import gdpr
from projectcall import services
from projectcall.models import Application, Decision, Idea, Message
from tests.portal.test_gdpr import unzip

from . import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _application_with_everything(owner):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, owner)
    app.contact_phone, app.contact_address = "02 555 12 34", "Rue Haute 5, 1000 Bruxelles"
    app.save()
    services.attachment_add(
        application=app, uploaded=SimpleUploadedFile("devis.pdf", PDF), kind="quote", actor=owner
    )
    services.message_post(application=app, author=owner, body="Can we start in May?", from_staff=False)
    services.message_post(application=app, author=f.worker(), body="Yes, in May.", from_staff=True)
    return app


def test_my_data_archive_holds_applications_contacts_messages_attachments_and_ideas(client):
    person = f.tenant("anne")
    user = person.user
    app = _application_with_everything(user)
    services.idea_submit(title="Bancs", description="Des bancs devant l'entrée", user=user, contact="0470")
    services.idea_submit(title="Fête", description="Une fête", contact=user.email)  # anonymous, same address
    other = f.tenant("bob")
    services.idea_submit(title="Bob's idea", description="x", user=other.user)
    client.force_login(user)
    raw, document, files = unzip(client.get("/en/my/data/download/"))
    sections = document["sections"]
    [exported] = sections["projectcall_applications"]["items"]
    assert exported["contact_person"] == "Anne Dubois" and exported["email"] == "anne@example.org"
    assert exported["phone"] == "02 555 12 34" and exported["postal_address"].startswith("Rue Haute 5")
    assert exported["budget"] == ["Line 0: 1200.00 EUR", "Line 1: 800.00 EUR"]
    assert [m["message"] for m in sections["projectcall_messages"]["items"]] == [
        "Can we start in May?",
        "Yes, in May.",
    ]
    attachment = app.attachments.get()
    [file_item] = sections["projectcall_files"]["items"]
    assert file_item["file"] == f"files/projectcall_files/{app.pk}-{attachment.pk}-devis.pdf"
    assert files == {file_item["file"]: PDF}
    assert {i["idea"] for i in sections["projectcall_ideas"]["items"]} == {"Bancs", "Fête"}
    assert "Bob's idea" not in raw and other.user.email not in raw
    assert gdpr.unlabelled_keys(gdpr.personal_data(user=user)) == set()


def test_a_worker_exports_the_application_they_filled_in_for_a_tenant_without_e_mail(client):
    worker = f.worker()
    person = f.tenant("claire", with_account=False)
    app = f.complete_application(f.call(phase="open"), worker, title="Potager")
    app.on_behalf_of = person
    app.save()
    sections = {s["key"]: s for s in gdpr.personal_data(person=person)}
    assert [a["project_title"] for a in sections["projectcall_applications"]["items"]] == ["Potager"]


def test_removing_the_account_deletes_a_draft_with_its_files_and_the_ideas(
    django_capture_on_commit_callbacks,
):
    person = f.tenant("anne")
    user = person.user
    app = _application_with_everything(user)
    path = Path(app.attachments.get().file.path)
    services.idea_submit(title="Bancs", description="x", user=user)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        gdpr.account_delete(user=user)
    assert not Application.objects.filter(pk=app.pk).exists()
    assert not Idea.objects.exists()
    assert not path.exists()
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def _funded(owner):
    the_call = f.call(phase="review")
    app = f.eligible(the_call, owner)
    app.contact_phone = "02 555 12 34"
    app.save()
    services.message_post(application=app, author=owner, body="Our plans", from_staff=False)
    services.message_post(application=app, author=f.worker(), body="Noted", from_staff=True)
    services.decision_take(
        call=the_call,
        proposals=[
            services.Proposal(application=app, funded=True, amount=Decimal("1500"), motivation="Good")
        ],
        actor=f.worker(),
    )
    app.refresh_from_db()
    assert app.status == Application.Status.FUNDED
    return app


def test_removing_the_account_keeps_a_funded_project_without_contact_details_link_or_own_messages():
    person = f.tenant("anne")
    user = person.user
    app = _funded(user)
    gdpr.account_delete(user=user)
    app.refresh_from_db()
    assert (app.contact_name, app.contact_email, app.contact_phone, app.contact_address) == ("", "", "", "")
    assert list(Message.objects.filter(application=app).values_list("body", flat=True)) == ["Noted"]
    assert Decision.objects.get(application=app).amount == Decimal("1500")
    owner = get_user_model().objects.get(pk=user.pk)  # kept as the record's owner, anonymised
    assert owner.username == f"deleted-{user.pk}" and owner.email == "" and not owner.is_active
    assert not owner.has_usable_password()


def test_an_organisations_application_stays_for_its_other_members_without_the_leavers_details():
    person = f.tenant("anne")
    colleague = f.user("colleague")
    app = f.complete_application(f.call(phase="open"), person.user)
    app.organisation = f.organisation(members=[person.user, colleague])
    app.save()
    gdpr.account_delete(user=person.user)
    app.refresh_from_db()
    assert app.contact_email == "" and Application.objects.visible_to_applicant(colleague).get() == app


def test_a_reviewers_scores_are_exported_and_kept_when_the_account_is_removed():
    the_call = f.call(phase="review")
    app = f.eligible(the_call, f.tenant().user)
    jury = f.reviewer("jury")
    scores = {c.pk: (4, "") for c in the_call.criteria.all()}
    services.conflict_declare(application=app, reviewer=jury, has_conflict=False)
    services.review_submit(application=app, reviewer=jury, scores=scores, comment="Solid")
    items = {s["key"]: s for s in gdpr.personal_data(user=jury)}["projectcall_reviews"]["items"]
    [review] = [item for item in items if "scores" in item]
    [declaration] = [item for item in items if "conflict_of_interest" in item]
    assert declaration["conflict_of_interest"] is False
    assert review["comment"] == "Solid" and review["scores"] == [
        "Impact: 4",
        "Participation: 4",
        "Feasibility: 4",
    ]
    gdpr.account_delete(user=jury)
    assert app.reviews.get().comment == "Solid"


@pytest.mark.parametrize(
    ("after", "kept"),
    [
        (datetime.timedelta(days=365) - datetime.timedelta(seconds=1), True),
        (datetime.timedelta(days=365) + datetime.timedelta(seconds=1), False),
    ],
    ids=["a second before the year is over", "a second after"],
)
def test_a_draft_nobody_saved_for_a_year_is_deleted_by_the_retention_job(after, kept, settings):
    settings.PORTAL_RETENTION_DRAFT_DAYS = 365
    saved = timezone.make_aware(datetime.datetime(2025, 3, 1, 12, 0))
    with time_machine.travel(saved, tick=False):
        draft = f.complete_application(f.call(phase="open", year=2097), f.tenant().user)
        submitted = f.submitted(f.call(phase="open", year=2098), f.tenant().user)
    with time_machine.travel(saved + after, tick=False):
        gdpr.retention_run()
    assert Application.objects.filter(pk=draft.pk).exists() is kept
    assert Application.objects.filter(pk=submitted.pk).exists()
