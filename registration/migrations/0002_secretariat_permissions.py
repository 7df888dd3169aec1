"""The "Sekretariat" group (events/0002) gets what registration needs, and nothing more: set up
an event's registration form (places, quotas, workshop seats, questions, privacy notice); see,
add, change (answers, attendance, moves), cancel and delete registrations; confirm beyond the
rules (an explicit, logged override); read each registration's history and e-mails."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"

PERMISSIONS = {
    "registrationsettings": ("add", "change", "delete", "view"),
    "cityquota": ("add", "change", "delete", "view"),
    "workshopseats": ("add", "change", "delete", "view"),
    "registration": ("add", "change", "delete", "view", "override_capacity"),
    "statuschange": ("view",),
    "email": ("view",),
}


def codenames():
    return [
        action if action == "override_capacity" else f"{action}_{model}"
        for model, actions in PERMISSIONS.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(content_type__app_label="registration", codename__in=codenames())
    assert permissions.count() == len(codenames()), "missing permissions for the Sekretariat group"
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="registration", codename__in=codenames())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
        ("events", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
