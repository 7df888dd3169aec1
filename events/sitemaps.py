"""/sitemap.xml: every public page in both languages, each with its alternates.

Django's i18n sitemap activates each language before asking for an address, so
``Event.get_absolute_url()`` gives that language's slug. Its own x-default would be
the German address without /de/, which does not exist here; x-default is the German
page instead, as in the <head> of each page.
"""

from django.conf import settings
from django.contrib import sitemaps
from django.urls import reverse

from .models import Event


class I18nSitemap(sitemaps.Sitemap):
    i18n = True
    alternates = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = next((a for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None)
            if default:
                url["alternates"].append({"location": default["location"], "lang_code": "x-default"})
        return urls


class StaticPagesSitemap(I18nSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "events:list", "events:past"]

    def location(self, item):
        return reverse(item)


class EventSitemap(I18nSitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published().order_by("-start", "-id")

    def lastmod(self, event):
        return event.updated


SITEMAPS = {"pages": StaticPagesSitemap, "events": EventSitemap}
