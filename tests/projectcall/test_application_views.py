"""The applicant's screens: steps that save drafts, bad input kept and explained, submission, attachments."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projectcall.models import Application

from . import factories as f

pytestmark = pytest.mark.django_db
S = Application.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tenant_client(client):
    person = f.tenant("fatima")
    client.force_login(person.user)
    client.person = person
    return client


def _step(pk, step):
    return reverse("projectcall:application_step", args=[pk, step])


def _budget_post(lines, **extra):
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
        "co_funding": "",
        "co_funding_source": "",
        **extra,
    }
    for index, (item, amount) in enumerate(lines):
        data[f"lines-{index}-item"], data[f"lines-{index}-amount"] = item, amount
    return data


def test_tenant_starts_a_draft_fills_the_steps_and_finds_it_again_after_logout(tenant_client):
    the_call = f.call(phase="open")
    hood = f.neighbourhood()
    response = tenant_client.post(reverse("projectcall:application_start", args=[the_call.year]))
    app = Application.objects.get()
    assert response["Location"] == _step(app.pk, "project")
    response = tenant_client.post(
        _step(app.pk, "project"),
        {"applicant_kind": "tenant", "title": "Bancs dans la cour", "summary": "Des bancs pour se reposer."},
    )
    assert response["Location"] == _step(app.pk, "place")
    tenant_client.post(_step(app.pk, "place"), {"neighbourhood": hood.pk, "beneficiaries": "Les aînés"})
    tenant_client.logout()
    tenant_client.force_login(tenant_client.person.user)
    page = tenant_client.get(reverse("projectcall:my_applications")).content.decode()
    assert "Bancs dans la cour" in page
    app.refresh_from_db()
    assert app.neighbourhood == hood and app.status == S.DRAFT


def test_invalid_step_keeps_what_was_typed_and_shows_the_error_next_to_the_field(tenant_client):
    the_call = f.call(phase="open")
    app = Application.objects.create(call=the_call, owner=tenant_client.person.user)
    response = tenant_client.post(
        _step(app.pk, "project"),
        {"applicant_kind": "association", "title": "Fête", "summary": "Une grande fête de quartier"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Une grande fête de quartier" in html
    assert "Choose the organisation that applies." in html
    app.refresh_from_db()
    assert app.title == ""


def test_budget_lines_over_the_maximum_are_refused_and_kept_on_screen(tenant_client):
    the_call = f.call(phase="open", maximum="5000")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(
        _step(app.pk, "budget"), _budget_post([("Tables", "3000"), ("Chaises", "2500")])
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "more than the maximum" in html and "Chaises" in html and "2500" in html
    assert app.requested_total == Decimal("2000")


def test_budget_lines_that_do_not_add_up_to_the_declared_total_are_refused(tenant_client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(
        _step(app.pk, "budget"), _budget_post([("Tables", "300"), ("Chaises", "250")], declared_total="600")
    )
    assert response.status_code == 400
    assert "The lines add up to 550.00 EUR, not 600.00 EUR" in response.content.decode()
    assert app.requested_total == Decimal("2000")


def test_budget_line_with_an_amount_but_no_item_or_a_negative_amount_is_explained(tenant_client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(_step(app.pk, "budget"), _budget_post([("", "300"), ("Chaises", "-5")]))
    html = response.content.decode()
    assert "Say what this amount is for." in html
    assert "greater than or equal to 0.01" in html
    assert app.budget_lines.count() == 2


def test_valid_budget_is_saved_with_its_computed_total(tenant_client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(
        _step(app.pk, "budget"),
        _budget_post(
            [("Tables", "300"), ("Chaises", "250.50"), ("", "")], declared_total="550.50", co_funding="100"
        ),
    )
    assert response.status_code == 302
    assert app.requested_total == Decimal("550.50")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "This type of file is not accepted."),
        ("fake.pdf", b"not a pdf at all", "does not match its type"),
        ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "This file is too big"),
    ],
)
def test_wrong_type_or_oversized_attachment_is_refused_next_to_the_field(
    tenant_client, name, content, message
):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    upload = SimpleUploadedFile(name, content)
    response = tenant_client.post(_step(app.pk, "documents"), {"kind": "quote", "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not app.attachments.exists()


def test_pdf_attachment_is_stored_privately_and_downloaded_only_by_allowed_people(
    tenant_client, client, settings
):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    tenant_client.post(
        _step(app.pk, "documents"), {"kind": "quote", "file": SimpleUploadedFile("devis.pdf", PDF)}
    )
    attachment = app.attachments.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert not str(attachment.file.path).startswith(str(settings.MEDIA_ROOT) + "/")
    url = reverse("projectcall:attachment_download", args=[attachment.pk])
    assert b"".join(tenant_client.get(url).streaming_content) == PDF
    client.force_login(f.tenant("other").user)
    assert client.get(url).status_code == 403


def test_double_click_on_send_submits_once_and_the_second_click_lands_on_the_application(tenant_client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    url = reverse("projectcall:application_submit", args=[app.pk])
    first = tenant_client.post(url)
    second = tenant_client.post(url, follow=True)
    assert first.status_code == 302
    assert "This application was already submitted." in second.content.decode()
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.reference.endswith("-001")


def test_submission_after_the_deadline_is_refused_cleanly_and_the_draft_is_kept(tenant_client):
    the_call = f.call(phase="review")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(reverse("projectcall:application_submit", args=[app.pk]), follow=True)
    assert "The deadline has passed" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.title == "Jardin partagé"


def test_submitted_application_is_frozen_after_the_deadline(tenant_client):
    the_call = f.call(phase="review")
    app = f.submitted(the_call, tenant_client.person.user)
    assert tenant_client.get(_step(app.pk, "project")).status_code == 403
    page = tenant_client.get(app.get_absolute_url()).content.decode()
    assert "can no longer be changed" in page


def test_applicant_asks_for_coaching_and_exchanges_messages_with_the_worker(tenant_client, client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    tenant_client.post(
        reverse("projectcall:coaching_request", args=[app.pk]), {"help_kind": "budget", "details": ""}
    )
    tenant_client.post(app.get_absolute_url(), {"body": "Pouvez-vous m'aider pour le budget ?"})
    worker = f.worker()
    client.force_login(worker)
    client.post(reverse("projectcall:coach", args=[app.pk]), {"coach": worker.pk})
    client.post(app.get_absolute_url(), {"body": "Oui, passons jeudi au bureau."})
    page = tenant_client.get(app.get_absolute_url()).content.decode()
    assert "Pouvez-vous m&#x27;aider pour le budget ?" in page and "Oui, passons jeudi au bureau." in page
    app.coaching.refresh_from_db()
    assert app.coaching.coach == worker and app.coaching.help_kind == "budget"


def test_worker_fills_in_an_application_for_a_tenant_without_email(client):
    the_call = f.call(phase="open")
    person = f.tenant("jean", with_account=False)
    worker = f.worker()
    client.force_login(worker)
    response = client.post(
        reverse("projectcall:on_behalf_start", args=[the_call.year]), {"person_ref": person.external_ref}
    )
    app = Application.objects.get()
    assert response["Location"] == _step(app.pk, "project")
    assert app.on_behalf_of == person and app.contact_name == person.full_name
    assert client.get(_step(app.pk, "contact")).status_code == 200


def test_saving_a_step_after_the_deadline_shows_what_was_typed_and_saves_nothing(tenant_client):
    the_call = f.call(phase="review")
    app = f.complete_application(the_call, tenant_client.person.user)
    response = tenant_client.post(
        _step(app.pk, "activities"), {"activities": "Mon long texte tapé pendant une heure", "timeline": ""}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "could not be saved" in html and "Mon long texte tapé pendant une heure" in html
    app.refresh_from_db()
    assert app.activities == "Planter, arroser, récolter."


def test_step_names_follow_the_language_of_each_request(tenant_client):
    the_call = f.call(phase="open")
    app = f.complete_application(the_call, tenant_client.person.user)
    tenant_client.get(f"/nl/projects/application/{app.pk}/step/place/")
    assert (
        "Where and for whom"
        in tenant_client.get(f"/en/projects/application/{app.pk}/step/place/").content.decode()
    )
