"""The admin screens of the packages the whole site uses, as the secretariat reads them.

- django-axes (failed logins and lock-outs): its section is "Access to the admin" (the app's
  verbose name, quattropole_site.apps.LoginProtectionConfig); its models are named in our
  catalogues (quattropole_site/admin_catalogue.py); its screens are re-registered here with
  translated filters, columns and fields, and without what a secretary lifting a lock-out does
  not need (the form data sent, the "clean up expired attempts" action).
- django-tasks-db's "Task results": not in the admin. The queue only sends the registration
  e-mails, whose state (sent, attempts, last error, given up) each registration's page shows;
  operators read the queue with `manage.py prune_db_task_results` and the database.
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)

# What the browser sent, on each row's page.
BROWSER = (_("Browser"), {"fields": ["user_agent", "http_accept", "path_info"]})


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    """axes' filter with a title of ours ("Nach Sperre", not "Nach Locked Out")."""

    title = _("lock-out")

    def lookups(self, request, model_admin):
        return [("yes", _("Locked out")), ("no", _("Not locked out"))]


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Failed logins per user name and address; deleting one lifts its lock-out."""

    list_display = ["username", "ip_address", "failures_since_start", "lock_out", "attempt_time"]
    list_filter = ["attempt_time", LockedOutFilter]
    actions = []
    fieldsets = [
        (None, {"fields": ["username", "ip_address", "failures_since_start", "attempt_time"]}),
        BROWSER,
    ]

    @admin.display(description=_("lock-out"))
    def lock_out(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}
        return _("Locked out")


admin.site.unregister(AccessLog)


@admin.register(AccessLog)
class AccessLogAdmin(axes_admin.AccessLogAdmin):
    """Who logged in to the admin, when, and from where."""

    list_display = ["username", "ip_address", "attempt_time", "logout_time"]
    list_filter = ["attempt_time", "logout_time"]
    fieldsets = [
        (None, {"fields": ["username", "ip_address", "attempt_time", "logout_time"]}),
        BROWSER,
    ]


admin.site.unregister(AccessFailureLog)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    """Every failed login (administrators only: the Sekretariat group has no right to it)."""

    list_display = ["username", "ip_address", "attempt_time", "locked_out"]
    list_filter = ["attempt_time", "locked_out"]
    fieldsets = [
        (None, {"fields": ["username", "ip_address", "attempt_time", "locked_out"]}),
        BROWSER,
    ]
