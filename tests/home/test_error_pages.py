"""A server error shows the styled, translated 500 page, never a stack trace (production-like: DEBUG off)."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.home.error_urls")]


def test_a_server_error_shows_the_styled_500_page_without_a_stack_trace(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "site.css" in html
    assert "Traceback" not in html
    assert "Secret detail" not in html
    assert "RuntimeError" not in html


def test_the_500_page_is_translated(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.cookies["django_language"] = "nl"
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 500
    assert 'lang="nl"' in response.content.decode()
