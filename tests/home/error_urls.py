"""A test-only URLconf: the portal's URLs plus a view that fails, to see the production 500 page."""

from django.urls import path

from portal.urls import handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("Secret detail that must never reach a visitor")


urlpatterns = [path("broken/", broken_view), *portal_urlpatterns]
