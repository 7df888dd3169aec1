from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The secretariat's group, as events/migrations/0002_secretariat_group.py names it.
SECRETARIAT_GROUP = "Sekretariat"


def grant_secretariat_permissions(sender, using="default", **kwargs):
    """After every migrate (permissions exist by then: Django creates them in its own post_migrate
    receiver, which runs first since contenttypes and auth come earlier in INSTALLED_APPS), the
    Sekretariat group gets pages/roles.py's permissions."""
    from django.contrib.auth.models import Group, Permission

    from .roles import PERMISSIONS

    group = Group.objects.using(using).filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        return
    wanted = {f"{action}_{model}" for _app, model, action in PERMISSIONS}
    permissions = Permission.objects.using(using).filter(content_type__app_label="pages", codename__in=wanted)
    group.permissions.add(*permissions)


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages and accessibility")

    def ready(self):
        from . import signals  # noqa: F401  (the footer's accessibility status kept current)

        post_migrate.connect(grant_secretariat_permissions, sender=self, dispatch_uid="pages-secretariat-permissions")
