"""Texts per language: the reader's language, else the company's first language that has it, marked as such."""

from types import SimpleNamespace

from django.core import checks
from django.template import Context, Template
from django.utils import translation

from portal import content


def notice(**texts):
    return SimpleNamespace(**{f"body_{code}": texts.get(code, "") for code in ("fr", "nl", "en")})


def test_a_reader_gets_their_own_language_when_it_exists():
    text = content.localized(notice(fr="Coupure d'eau", nl="Wateronderbreking"), "body", "nl")
    assert (text.text, text.language, text.is_fallback) == ("Wateronderbreking", "nl", False)


def test_a_missing_language_falls_back_to_the_companys_first_language_and_says_so(settings):
    settings.PORTAL_CONTENT_LANGUAGES = ["fr", "nl"]
    text = content.localized(notice(fr="Coupure d'eau"), "body", "nl")
    assert (text.text, text.language, text.is_fallback) == ("Coupure d'eau", "fr", True)
    text = content.localized(notice(nl="Wateronderbreking"), "body", "en")
    assert (text.text, text.language) == ("Wateronderbreking", "nl")


def test_a_company_writing_in_dutch_first_falls_back_to_dutch(settings):
    settings.PORTAL_CONTENT_LANGUAGES = ["nl", "fr"]
    assert content.localized(notice(fr="Coupure", nl="Onderbreking"), "body", "en").language == "nl"


def test_a_text_written_in_no_language_is_empty_and_no_fallback():
    text = content.localized(notice(), "body", "fr")
    assert not text and not text.is_fallback and str(text) == ""


def test_missing_languages_lists_only_what_is_half_written(settings):
    settings.PORTAL_CONTENT_LANGUAGES = ["fr", "nl"]
    obj = SimpleNamespace(title_fr="Ordre du jour", title_nl="", summary_fr="", summary_nl="")
    assert content.missing_languages(obj, ["title", "summary"]) == {"title": ["nl"]}


def test_the_template_marks_a_fallback_in_the_readers_language(settings):
    settings.PORTAL_CONTENT_LANGUAGES = ["fr", "nl"]
    template = Template(
        '{% load portal_content %}{% localized obj "body" as t %}<p lang="{{ t.language }}">{{ t }}</p>'
        "{% fallback_note t %}"
    )
    with translation.override("nl"):
        html = template.render(Context({"obj": notice(fr="Coupure d'eau")}))
    assert '<p lang="fr">Coupure d&#x27;eau</p>' in html
    assert 'class="fallback-note"' in html
    with translation.override("nl"):
        assert "fallback-note" not in template.render(Context({"obj": notice(fr="x", nl="y")}))


def test_the_content_languages_must_be_interface_languages(settings):
    settings.PORTAL_CONTENT_LANGUAGES = ["fr", "de"]
    assert [error.id for error in content.check_content_languages()] == ["portal.E110"]
    settings.PORTAL_CONTENT_LANGUAGES = ["nl"]
    assert content.check_content_languages() == []
    assert not [m for m in checks.run_checks() if m.id == "portal.E110"]
