from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project package as an app of its own: what belongs to the whole site (the page cache's
    signals, the cleaning of text on every save, the deploy checks, the lock-outs' message to
    staff, the error pages' template tags) rather than to events."""

    name = "quattropole_site"
    verbose_name = _("QuattroPole site")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import cache, checks, logins, text  # noqa: F401 - importing checks registers them

        cache.connect_signals()
        user_logged_in.connect(logins.tell_about_failures_elsewhere, dispatch_uid="tell-about-failures-elsewhere")
        # Every model's saves (historical models of data migrations too); text.CLEANED_APPS says whose.
        pre_save.connect(text.clean_on_save, dispatch_uid="text-clean-on-save")
