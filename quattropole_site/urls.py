"""Root URLs. Public pages live under /de/ and /fr/ with translated path words; the admin at
settings.ADMIN_URL; /healthz, /sitemap.xml and /robots.txt outside the language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from api import docs as api_docs
from api import embed, generator
from events import views as event_views
from events.sitemaps import SITEMAPS
from pages.sitemaps import SitePageSitemap

from . import views

handler400 = "quattropole_site.views.bad_request"
handler403 = "quattropole_site.views.permission_denied"
handler404 = "quattropole_site.views.page_not_found"
handler500 = "quattropole_site.views.server_error"

urlpatterns = [
    path("", views.root_redirect, name="root"),
    # The embed generator (api/generator.py), among the admin's pages.
    path(f"{settings.ADMIN_URL}embed/", admin.site.admin_view(generator.generator), name="embed_generator"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The admin's FR/DE switch posts here (Django's set_language for the site's languages only).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path(
        "sitemap.xml",
        views.sitemap_xml,
        # Django's sitemap.xml, but for the entries that come written already (events/sitemaps.py).
        {"sitemaps": {**SITEMAPS, "site_pages": SitePageSitemap}, "template_name": "events/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    # The open data's JSON API, outside the languages' paths: each record holds both languages.
    path("", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", event_views.HomeView.as_view(), name="home"),
    path(_("events/"), include("events.urls")),
    path(_("search/"), include("search.urls")),
    path("", include("registration.urls")),
    path("", include("pages.urls")),
    path(_("embed/"), embed.embed, name="embed"),
    path("api/", api_docs.guide, name="api_docs"),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA and settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Development and `make serve`; in production the web server in front serves MEDIA_ROOT.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
