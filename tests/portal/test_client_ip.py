"""The client's address behind N trusted proxies (portal/client.py), and that the rate limits and allauth use it."""

import pytest
from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from portal.client import client_ip, forwarded_address


def _request(remote_addr="10.0.0.1", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_a_proxy_the_client_is_the_connection_and_the_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "192.0.2.7"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")) == "192.0.2.7"


def test_behind_one_proxy_an_address_forged_by_the_client_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    forged = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.1.1.1,192.0.2.7")
    assert client_ip(forged) == "192.0.2.7"


def test_behind_a_load_balancer_and_nginx_the_client_is_second_from_the_right(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    # forged by the client, written by the load balancer, appended by nginx (the balancer's address)
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.7, 10.0.0.2")
    assert client_ip(request) == "192.0.2.7"


def test_a_header_shorter_than_the_proxy_chain_gives_its_furthest_address(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7")) == "192.0.2.7"


def test_without_the_header_behind_a_proxy_the_connection_is_the_client(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("192.0.2.7")) == "192.0.2.7"


def test_a_garbled_header_falls_back_to_the_connection(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="unknown")) == "127.0.0.1"


def test_another_header_can_be_named(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_CLIENT_IP_HEADER = "X-Real-IP"
    request = _request("127.0.0.1", HTTP_X_REAL_IP="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.7"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("192.0.2.7:5678", "192.0.2.7"),
        ("2001:DB8:0::1", "2001:db8::1"),
        (" , ", None),
    ],
)
def test_addresses_are_read_in_canonical_form(header, expected):
    assert forwarded_address(header, 1) == expected


def test_an_empty_connection_address_without_a_proxy_is_a_configuration_error(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TRUSTED_PROXY_COUNT"):
        client_ip(_request(""))


def test_allauth_sees_the_same_address(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.7")
    assert get_adapter(request).get_client_ip(request) == "192.0.2.7"


def test_django_ratelimit_counts_per_client_behind_the_proxy(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    from django.core.cache import cache

    cache.clear()

    def limited(client, forged="198.51.100.1"):
        request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, {client}")
        return is_ratelimited(request, group="test-client-ip", key="ip", rate="2/m", increment=True)

    assert [limited("192.0.2.1", forged=f"198.51.100.{n}") for n in range(3)] == [False, False, True]
    assert limited("192.0.2.2") is False
    cache.clear()


def test_the_deploy_check_warns_when_the_proxy_is_trusted_for_https_but_not_counted(settings):
    from portal.client import check_proxy_count

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    [warning] = check_proxy_count()
    assert warning.id == "portal.W001"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert check_proxy_count() == []
