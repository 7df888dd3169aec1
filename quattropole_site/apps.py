from axes import apps as axes_apps
from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project package as an app of its own: what belongs to the whole site (the cleaning of
    text on every save, the deploy checks, the lock-outs' message to staff, the error pages'
    template tags) rather than to events."""

    name = "quattropole_site"
    verbose_name = _("QuattroPole site")
    # The Sekretariat sees failed logins to the admin and lifts a lock-out (deleting its access
    # attempt): a secretary locked out before an event need not wait for an administrator.
    secretariat_permissions = (
        ("axes", "accessattempt", "view"),
        ("axes", "accessattempt", "delete"),
        ("axes", "accesslog", "view"),
    )

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import text

        from . import checks, logins, roles  # noqa: F401 - importing checks registers them

        user_logged_in.connect(logins.tell_about_failures_elsewhere, dispatch_uid="tell-about-failures-elsewhere")
        # Every model's saves (historical models of data migrations too); text.CLEANED_APPS says whose.
        pre_save.connect(text.clean_on_save, dispatch_uid="text-clean-on-save")
        # The staff roles, in step with what the apps define after every migrate.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="sync-roles")


class LoginProtectionConfig(axes_apps.AppConfig):
    """django-axes (failed logins, lock-outs) under a name a secretary understands: its section of
    the admin is "Zugang zur Verwaltung" / "Accès à l’administration", not "Axes". Named in
    INSTALLED_APPS in axes' place; not the config of "quattropole_site" (default = False)."""

    default = False
    verbose_name = _("Access to the admin")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # axes' rows name themselves in English and in UTC ("Attempted Access: 2026-12-06
        # 16:51:59+00:00"), which the admin shows as their title, in its breadcrumbs, on the
        # page that deletes one to lift a lock-out, and in the history. Named by who, from where
        # and when (local time) instead: words of no language.
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.__str__ = login_description


def login_description(row):
    """ "sekretariat, 192.0.2.1, 06.12.2026 17:51": an axes row, in any language."""
    when = formats.date_format(timezone.localtime(row.attempt_time), "SHORT_DATETIME_FORMAT")
    return ", ".join(str(part) for part in (row.username, row.ip_address, when) if part)
