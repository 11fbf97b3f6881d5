"""URL configuration. Language-prefixed public URLs (/fr/, /nl/, /en/); Wagtail serves the page tree last."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import views

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("health/", views.health, name="health"),
    # Wagtail's own login form checks the password only: everybody logs in through allauth (second factor).
    path("admin/login/", views.admin_login, name="portal_admin_login"),
    # Wagtail's logout drops the session cookie even on a GET it refuses: only a POST logs out.
    path("admin/logout/", views.admin_logout, name="portal_admin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("captcha/", include("captcha.urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("portal.accounts.urls")),
    # Domain apps add their URLs here (one include per app).
    path("meetings/", include("meetings.urls")),
    path("elections/", include("elections.urls")),
    path("projects/", include("projectcall.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# Development only (`make run`, DEBUG on or off): public uploads from MEDIA_ROOT. Production's proxy serves /media/.
if settings.DEBUG or getattr(settings, "PORTAL_SERVE_MEDIA", False):
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        )
    ]
