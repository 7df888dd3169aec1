"""The "Sekretariat" group: everything the secretariat needs to publish events, and nothing more
(no users, no groups, no deleting member cities)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"

PERMISSIONS = {
    "event": ("add", "change", "delete", "view"),
    "programmeslot": ("add", "change", "delete", "view"),
    "slotspeaker": ("add", "change", "delete", "view"),
    "workshop": ("add", "change", "delete", "view"),
    "person": ("add", "change", "delete", "view"),
    "venue": ("add", "change", "delete", "view"),
    "category": ("add", "change", "view"),
    "projectgroup": ("add", "change", "view"),
    "city": ("change", "view"),
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    assert permissions.count() == len(codenames), "missing permissions for the Sekretariat group"
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
