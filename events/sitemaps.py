"""/sitemap.xml: every public page in both languages, each with its alternates.

Django's i18n sitemap activates each language before asking for an address, so
``Event.get_absolute_url()`` gives that language's slug. Its own x-default would be
the German address without /de/, which does not exist here; x-default is the German
page instead, as in the <head> of each page.
"""

from django.conf import settings
from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.template.loader import get_template
from django.urls import reverse

from .derived import remembered_each
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


# One <url> element of the sitemap, as Django's sitemap.xml writes it (templates/events/sitemap.xml
# writes the others with it, and the events' as they come).
ENTRY_TEMPLATE = "events/sitemap_url.xml"


class EventSitemap(I18nSitemap):
    """Every published event in both languages. Each event's entries are built by Django's
    sitemap code, written as XML (``url["xml"]``, its <url> element as Django's template writes
    it) and remembered per version of that event's content (events.derived): after an edit, only
    the edited event's are built and written again, not the thousands of others', and the
    sitemap joins the elements kept."""

    changefreq = "weekly"
    only = None  # primary keys: the events whose entries are being built

    def items(self):
        events = Event.objects.published().order_by("-start", "-id")
        return events if self.only is None else events.filter(pk__in=self.only)

    def get_urls(self, page=1, site=None, protocol=None):
        if self.only is not None:
            return super().get_urls(page=page, site=site, protocol=protocol)
        # The page of (event, language) entries Django's paginator gives (an empty page is a 404).
        pairs = [(event, code) for event in self.items() for code in self.get_languages_for_item(event)]
        events = list(dict.fromkeys(event for event, _code in Paginator(pairs, self.limit).page(page).object_list))

        def entries(pks):
            builder = type(self)()
            builder.only = pks
            built = {}
            written = get_template(ENTRY_TEMPLATE)
            for url in builder.get_urls(site=site, protocol=protocol):
                item = url.pop("item")
                url["xml"] = written.render({"url": url}).strip()
                built.setdefault(item[0].pk, []).append(url)
            return built

        where = f"{protocol or self.protocol}:{site.domain if site is not None else ''}"
        kept = remembered_each(f"sitemap-entries:{where}", [event.pk for event in events], entries)
        urls = [url for event in events for url in kept[event.pk]]
        if urls and all(url["lastmod"] is not None for url in urls):
            self.latest_lastmod = max(url["lastmod"] for url in urls)  # the view's Last-Modified
        return urls

    def lastmod(self, event):
        return event.updated


SITEMAPS = {"pages": StaticPagesSitemap, "events": EventSitemap}
