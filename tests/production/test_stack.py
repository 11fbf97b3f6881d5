"""The stack itself: production settings behind nginx, mail to the sink, the worker, the Redis instances."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_come_through_the_proxy_with_the_production_headers(stack):
    response = stack.client().get("/fr/")
    assert response.status == 200
    assert "max-age=31536000" in response.header("Strict-Transport-Security")
    assert response.header("Content-Security-Policy")


def test_without_the_proxy_production_sends_plain_http_to_https(stack):
    response = stack.direct().get("/fr/")
    assert response.status == 301
    assert response.header("Location") == "https://portal.test/fr/"


def test_a_mail_sent_by_a_page_reaches_the_smtp_sink(stack):
    from tests.portal.accounts_factories import make_user

    user = make_user("lea@example.org")
    client = stack.client()
    client.get("/en/accounts/password/reset/")
    response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status == 302, response.text[:300]
    assert stack.smtp.wait_for(1) == 1
    assert stack.smtp.recipients == ["lea@example.org"]


def test_the_worker_runs_queued_tasks_and_a_killed_one_can_be_restarted(stack, db_worker):
    from tests.production.tasks import send_probe_mail

    worker = db_worker()
    worker.start()
    send_probe_mail.enqueue("first@example.org")
    assert stack.smtp.wait_for(1) == 1, worker.output()
    worker.kill()
    assert not worker.running
    send_probe_mail.enqueue("second@example.org")
    worker.start()
    assert stack.smtp.wait_for(2) == 2, worker.output()
    assert stack.smtp.recipients == ["first@example.org", "second@example.org"]


def test_rate_limit_counters_and_pages_live_in_separate_redis_instances(stack):
    client = stack.client()
    assert client.get("/fr/").header("X-Page-Cache") == "miss"
    assert client.get("/fr/").header("X-Page-Cache") == "hit"
    client.get("/en/accounts/login/")
    client.post("/en/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})
    counters = stack.redis.connection().keys("*")
    pages = stack.redis_pages.connection().keys("*")
    assert any(b"allauth:rl" in key for key in counters)
    assert not any(key.startswith(b"pages:") for key in counters)
    assert pages and all(key.startswith(b"pages:") for key in pages)
