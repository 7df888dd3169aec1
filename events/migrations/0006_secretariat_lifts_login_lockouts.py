"""The Sekretariat group may see failed logins to the admin and lift a lock-out (by deleting its
access attempt): a secretary locked out before an event need not wait for an administrator."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Sekretariat"
CODENAMES = ("view_accessattempt", "delete_accessattempt", "view_accesslog")


def grant(apps, schema_editor):
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_venue_place_names_translated"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
