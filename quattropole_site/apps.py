from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project package as an app of its own: what belongs to the whole site (the page cache's
    signals, the error pages' template tags) rather than to events."""

    name = "quattropole_site"
    verbose_name = _("QuattroPole site")

    def ready(self):
        from . import cache

        cache.connect_signals()
