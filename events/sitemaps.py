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
    sitemap code, written as XML (its <url> elements as Django's template writes them) and
    remembered, with its modification time, per version of that event's content
    (events.derived): after an edit, only the edited event's are built and written again, not the
    thousands of others'. The sitemap reads the events' primary keys alone (no event is loaded
    but those built again) and joins the kept elements into one piece of XML (``url["xml"]``, which
    templates/events/sitemap.xml writes as it comes)."""

    changefreq = "weekly"
    only = None  # primary keys: the events whose entries are being built

    def items(self):
        events = Event.objects.published().order_by("-start", "-id")
        return events if self.only is None else events.filter(pk__in=self.only)

    def get_urls(self, page=1, site=None, protocol=None):
        if self.only is not None:
            return super().get_urls(page=page, site=site, protocol=protocol)
        # The page of (event, language) entries Django's paginator gives (an empty page is a 404).
        codes = self.languages or [code for code, _name in settings.LANGUAGES]
        pairs = [(pk, code) for pk in self.items().values_list("pk", flat=True) for code in codes]
        events = list(dict.fromkeys(pk for pk, _code in Paginator(pairs, self.limit).page(page).object_list))

        def entries(pks):
            builder = type(self)()
            builder.only = pks
            elements, lastmod = {pk: [] for pk in pks}, {}
            written = get_template(ENTRY_TEMPLATE)
            for url in builder.get_urls(site=site, protocol=protocol):
                event = url["item"][0]
                elements[event.pk].append(written.render({"url": url}).strip())
                lastmod[event.pk] = url["lastmod"]
            return {pk: ("".join(elements[pk]), lastmod[pk]) for pk in lastmod}

        where = f"{protocol or self.protocol}:{site.domain if site is not None else ''}"
        kept = remembered_each(f"sitemap-xml:{where}", events, entries)
        if not events:
            return []
        self.latest_lastmod = max(kept[pk][1] for pk in events)  # the view's Last-Modified
        return [{"xml": "".join(kept[pk][0] for pk in events)}]

    def lastmod(self, event):
        return event.updated


SITEMAPS = {"pages": StaticPagesSitemap, "events": EventSitemap}
