"""The allauth adapter: where to go after logging in, the client's address, the key of failed-login limits."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse

from ..client import client_ip
from .two_factor import staff_needs_mfa_setup


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff who must still set up two-factor authentication go straight to the set-up page."""
        if staff_needs_mfa_setup(request.user):
            return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming their address, a logged-in person lands on "My account" (which offers linking)."""
        if self.request.user.is_authenticated:
            if staff_needs_mfa_setup(self.request.user):
                return reverse("mfa_activate_totp")
            return reverse("my_account")
        return super().get_email_verification_redirect_url(email_address)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address behind the trusted proxies (portal/client.py): allauth's rate limits per address use it."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Failed logins are counted per account *and* address (the "key" of ACCOUNT_RATE_LIMITS["login_failed"]):
        wrong passwords typed for someone's e-mail at one address do not lock that person out at another.

        allauth uses this key both to count failures (`pre_authenticate`) and to clear them after a password reset
        (then only at the address of the reset); tests/portal/test_accounts_login_limits.py holds it to that."""
        site = get_current_site(request)
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{site.domain}:{login}:{client_ip(request)}"
