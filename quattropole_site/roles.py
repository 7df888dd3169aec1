"""The staff roles, defined once: the Sekretariat group and its permissions.

Each app lists what the secretariat may do with its models in its ``AppConfig`` (an attribute
``secretariat_permissions``: ``(app_label, model, action)`` tuples, the action "add", "change",
"delete" or "view", or the codename of a permission of the model's ``Meta.permissions`` such as
"override_capacity"); this module collects them from every installed app and keeps the group in
step — exactly those permissions, none more:

- after every ``migrate`` (a ``post_migrate`` receiver, connected in apps.py, once the last app
  has migrated and Django has created the permissions of every model);
- on demand: ``manage.py sync_roles`` (e.g. after someone changed the group by hand in the admin).

A new app gives the secretariat its screens by adding the attribute to its AppConfig, with no
data migration. The data migrations that granted the permissions before (events 0002, 0006, 0007,
registration 0002) stay in the history, doing nothing now.
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction

SECRETARIAT = "Sekretariat"
DEFAULT_ACTIONS = ("add", "change", "delete", "view")


def codename(model, action):
    return f"{action}_{model}" if action in DEFAULT_ACTIONS else action


def secretariat_permissions():
    """Every permission of the Sekretariat as ``(app_label, model, codename)``, sorted."""
    return sorted(
        {
            (app_label, model, codename(model, action))
            for config in global_apps.get_app_configs()
            for app_label, model, action in getattr(config, "secretariat_permissions", ())
        }
    )


def sync_roles(*, using=DEFAULT_DB_ALIAS, strict=True):
    """Gives the Sekretariat group (created if missing) exactly its permissions. Returns the
    codenames added and removed, as ``app_label.codename``. A permission that does not exist (a
    model renamed, a typo) raises ImproperlyConfigured when ``strict``, else is left out."""
    wanted = secretariat_permissions()
    found = {
        (p.content_type.app_label, p.content_type.model, p.codename): p
        for p in Permission.objects.using(using)
        .select_related("content_type")
        .filter(content_type__app_label__in={app_label for app_label, _model, _codename in wanted})
    }
    missing = [key for key in wanted if key not in found]
    if missing and strict:
        raise ImproperlyConfigured(
            "Permissions of the Sekretariat that do not exist: " + ", ".join(".".join(key) for key in missing)
        )
    with transaction.atomic(using=using):
        group, _created = Group.objects.using(using).get_or_create(name=SECRETARIAT)
        before = set(group.permissions.all())
        after = {found[key] for key in wanted if key in found}
        group.permissions.set(after)
    label = lambda permission: f"{permission.content_type.app_label}.{permission.codename}"  # noqa: E731
    return sorted(map(label, after - before)), sorted(map(label, before - after))


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate``: Django sends it once per app, in INSTALLED_APPS order, after creating
    that app's permissions; the roles are synced after the last one, when every permission
    exists. Not strict: migrating back to an older state may lack some."""
    migrated = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if migrated and sender is migrated[-1]:
        sync_roles(using=using, strict=False)
