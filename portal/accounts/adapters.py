"""The allauth adapter: where to go after logging in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

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
