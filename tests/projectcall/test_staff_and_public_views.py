"""Workers' and jury screens, exports, the public gallery and the idea box."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from projectcall import services
from projectcall.models import Application, Decision, Idea

from . import factories as f

pytestmark = pytest.mark.django_db
S = Application.Status


def test_worker_marks_an_application_not_eligible_only_with_a_reason(client):
    the_call = f.call(phase="review")
    app = f.submitted(the_call, f.user())
    client.force_login(f.worker())
    url = reverse("projectcall:eligibility", args=[app.pk])
    response = client.post(url, {"eligible": "no", "reason": ""})
    assert response.status_code == 400
    assert "Say why the application is not eligible." in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    response = client.post(url, {"eligible": "no", "reason": "Le projet est hors du parc."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.INELIGIBLE and app.eligibility.reason == "Le projet est hors du parc."


def test_decision_screen_shows_the_envelope_and_refuses_a_total_over_it_keeping_the_input(client):
    the_call = f.call(phase="review", envelope="3000", maximum="3000")
    a = f.eligible(the_call, f.user(), amounts=("2000",))
    b = f.eligible(the_call, f.user(), amounts=("2000",))
    client.force_login(f.worker())
    url = reverse("projectcall:decision", args=[the_call.year])
    assert "3000" in client.get(url).content.decode()
    data = {}
    for app in (a, b):
        data.update(
            {f"funded_{app.pk}": "yes", f"amount_{app.pk}": "2000", f"motivation_{app.pk}": "Motivation X"}
        )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "exceed the envelope of 3000.00 EUR" in html and "Motivation X" in html
    assert not Decision.objects.exists()
    data[f"amount_{b.pk}"] = "1000"
    assert client.post(url, data).status_code == 302
    assert sum(d.amount for d in Decision.objects.all()) == Decimal("3000")


def test_decision_with_a_non_numeric_amount_is_explained(client):
    the_call = f.call(phase="review")
    a = f.eligible(the_call, f.user())
    client.force_login(f.worker())
    response = client.post(
        reverse("projectcall:decision", args=[the_call.year]),
        {f"funded_{a.pk}": "yes", f"amount_{a.pk}": "deux mille", f"motivation_{a.pk}": "ok"},
    )
    assert response.status_code == 400
    assert "the amount is not a number" in response.content.decode()


def _decided_call():
    the_call = f.call(phase="review", envelope="10000", maximum="5000")
    owner = f.user()
    a = f.eligible(the_call, owner, amounts=("2000",), title="=HYPERLINK(evil)")
    b = f.eligible(the_call, owner, amounts=("3000",), title="Fresque")
    jury = f.reviewer()
    for app, value in ((a, 4), (b, 2)):
        services.conflict_declare(application=app, reviewer=jury, has_conflict=False)
        services.review_submit(
            application=app,
            reviewer=jury,
            scores={c.pk: (value, "") for c in the_call.criteria.all()},
            comment="",
        )
    services.decision_take(
        call=the_call,
        proposals=[
            services.Proposal(a, True, Decimal("2000"), "Très bon"),
            services.Proposal(b, False, Decimal(0), "Trop cher"),
        ],
        actor=f.worker(),
    )
    return the_call


def test_csv_export_lists_scores_and_decisions_and_neutralises_formulas(client):
    the_call = _decided_call()
    client.force_login(f.worker())
    response = client.get(reverse("projectcall:export", args=[the_call.year, "csv"]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Weighted score" in text and "Très bon" in text and "Trop cher" in text
    assert "'=HYPERLINK(evil)" in text


def test_spreadsheet_export_opens_with_one_row_per_application(client):
    the_call = _decided_call()
    client.force_login(f.worker())
    response = client.get(reverse("projectcall:export", args=[the_call.year, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Reference" and len(rows) == 3
    assert rows[1][-2] == 2000


def test_gallery_shows_title_amount_area_and_status_but_no_contact(client):
    _decided_call()
    html = client.get(reverse("projectcall:gallery")).content.decode()
    assert "=HYPERLINK(evil)" in html and "2,000 EUR" in html
    assert "Fresque" not in html
    assert "anne@example.org" not in html and "Anne Dubois" not in html
    assert "not started" in html.lower()


def _funded(the_call, n):
    hood = f.neighbourhood()
    for i in range(n):
        app = f.eligible(the_call, f.user(), title=f"Projet {i}")
        app.status, app.neighbourhood = S.FUNDED, hood
        app.save()
        Decision.objects.create(application=app, funded=True, amount=Decimal("1000"), motivation="ok")


def test_gallery_query_count_does_not_grow_with_the_number_of_projects(client):
    the_call = f.call(phase="decided")
    _funded(the_call, 2)
    client.get(reverse("projectcall:gallery"))  # warm-up: site and locale caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("projectcall:gallery"))
    _funded(the_call, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("projectcall:gallery"))
    assert "Projet 11" in response.content.decode()
    assert len(large) == len(small)


def test_decision_screen_query_count_does_not_grow_with_applications(client):
    the_call = f.call(phase="review")
    worker = f.worker()
    client.force_login(worker)
    for _i in range(2):
        f.eligible(the_call, f.user())
    url = reverse("projectcall:decision", args=[the_call.year])
    client.get(url)  # warm-up: site and locale caches
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _i in range(8):
        f.eligible(the_call, f.user())
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_anonymous_idea_needs_the_captcha_and_is_stored_once_solved(client, solve_captcha):
    url = reverse("projectcall:idea_create")
    data = {
        "title": "Un potager",
        "description": "Sur le toit du garage.",
        "name": "Omar",
        "contact": "0470 00 00 00",
    }
    response = client.post(url, {**data, "captcha_0": "x", "captcha_1": "wrong"})
    assert response.status_code == 200 and not Idea.objects.exists()
    assert "Un potager" in response.content.decode()
    response = client.post(url, {**data, **solve_captcha(client.get(url))})
    assert "Thank you for your idea" in response.content.decode()
    assert Idea.objects.get().title == "Un potager"


def test_logged_in_tenant_sends_an_idea_without_captcha_and_a_worker_answers(client, run_tasks):
    from django.core import mail

    person = f.tenant("leila")
    client.force_login(person.user)
    client.post(reverse("projectcall:idea_create"), {"title": "Fête", "description": "En juin."})
    idea = Idea.objects.get()
    assert idea.user == person.user
    client.force_login(f.worker())
    with run_tasks():
        client.post(
            reverse("projectcall:idea_detail", args=[idea.pk]), {"answer": "Bonne idée, venez jeudi."}
        )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ANSWERED
    assert mail.outbox[-1].to == [person.user.email] and "Bonne idée, venez jeudi." in mail.outbox[-1].body
    client.force_login(person.user)
    assert "Bonne idée, venez jeudi." in client.get(reverse("projectcall:my_applications")).content.decode()


def test_project_holder_posts_a_final_report_with_a_photo_and_the_worker_accepts_it(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    the_call = f.call(phase="decided")
    person = f.tenant("nadia")
    app = f.eligible(the_call, person.user)
    app.status = S.FUNDED
    app.save()
    client.force_login(person.user)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    png = buffer.getvalue()
    response = client.post(
        reverse("projectcall:report_create", args=[app.pk]),
        {
            "kind": "final",
            "text": "Le jardin a donné 40 kg de tomates.",
            "amount_spent": "1950",
            "photo": SimpleUploadedFile("jardin.png", png, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    report = app.reports.get()
    assert client.get(reverse("projectcall:report_photo", args=[report.pk])).status_code == 200
    client.force_login(f.worker())
    client.post(reverse("projectcall:report_review", args=[report.pk]), {"accept": "yes", "comment": "Merci"})
    app.refresh_from_db()
    assert app.project_status == Application.ProjectStatus.COMPLETED
    assert "completed" in client.get(reverse("projectcall:gallery")).content.decode().lower()


def test_projects_link_leads_to_the_open_call_and_the_home_page_shows_it(client, home_pages):
    from wagtail import hooks

    from projectcall.models import ProjectCallPage

    the_call = f.call(phase="open")
    home = home_pages["en"].specific_class.objects.get(pk=home_pages["en"].pk)  # the fixture's copy is stale
    home.add_child(
        instance=ProjectCallPage(title="Call 2026", slug="call", call=the_call, locale=home.locale)
    )
    response = client.get(reverse("projectcall:home"))
    assert response.status_code == 302 and response["Location"] == "/en/call/"
    slots = [fn(None, home) for fn in hooks.get_hooks("portal_home_slots")]
    slot = next(s for s in slots if s and s["template"] == "projectcall/includes/home_slot.html")
    assert slot["context"]["call"] == the_call and slot["context"]["url"] == "/en/call/"


def test_home_page_has_no_project_call_slot_when_no_call_is_open(home_pages):
    from projectcall.wagtail_hooks import open_call_slot

    f.call(phase="review")
    assert open_call_slot(None, home_pages["en"]) is None


def test_admin_call_form_offers_the_eligible_applicants_as_tick_boxes(client):
    the_call = f.call(phase="open")
    client.force_login(f.user("boss", groups=("Administrators",)))
    admin_user = f.user("root")
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.get(f"/admin/snippets/projectcall/call/edit/{the_call.pk}/")
    assert response.status_code == 200
    assert 'type="checkbox" name="eligible_kinds" value="association"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Projets financés"), ("nl", "Gefinancierde projecten")]
)
def test_gallery_speaks_french_and_dutch(client, language, heading):
    assert heading in client.get(f"/{language}/projects/gallery/").content.decode()


def test_workers_list_of_applications_query_count_does_not_grow(client):
    the_call = f.call(phase="review")
    client.force_login(f.worker())
    for _i in range(2):
        services.coaching_request(
            application=f.submitted(the_call, f.user()), help_kind="budget", details="", actor=None
        )
    url = reverse("projectcall:manage_call", args=[the_call.year])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _i in range(8):
        services.coaching_request(
            application=f.submitted(the_call, f.user()), help_kind="budget", details="", actor=None
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count("Check eligibility") == 10
    assert len(large) == len(small)


def test_call_page_query_count_does_not_grow_with_criteria(client, home_pages):
    from projectcall.models import Criterion, ProjectCallPage

    the_call = f.call(phase="open")
    home = home_pages["en"].specific_class.objects.get(pk=home_pages["en"].pk)
    home.add_child(instance=ProjectCallPage(title="Call", slug="call", call=the_call, locale=home.locale))
    client.get("/en/call/")
    with CaptureQueriesContext(connection) as small:
        client.get("/en/call/")
    for i in range(6):
        Criterion.objects.create(call=the_call, name=f"Extra {i}", weight=1)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/en/call/")
    assert "Extra 5" in response.content.decode()
    assert len(large) == len(small)
