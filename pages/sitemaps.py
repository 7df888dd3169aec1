"""The published site pages in the sitemap, in both languages with their hreflang alternates."""

from events.sitemaps import I18nSitemap

from .models import SitePage


class SitePageSitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return SitePage.objects.published().order_by("order", "pk")

    def location(self, page):
        return page.get_absolute_url()

    def lastmod(self, page):
        return page.updated
