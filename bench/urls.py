"""The portal's URLs plus the floor: a plain Django view served by the same stack, the baseline of every ratio."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal_urlpatterns]
