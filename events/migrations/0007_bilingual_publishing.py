"""Scheduled publishing ("publish at"), the memory of a first publication (for 410 Gone), and the
Sekretariat's rights on the history: view it and restore from it, never purge it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP_NAME = "Sekretariat"
# Reading the history (revisions and their versions); restoring needs only the rights on events
# the group already has. Deleting revisions or versions (purging the history) is not given.
HISTORY_PERMISSIONS = ("view_revision", "view_version")


def events_published_so_far(apps, schema_editor):
    """Published events were visible from when they were created, as far as anyone can tell."""
    Event = apps.get_model("events", "Event")
    Event.objects.filter(status="published").update(first_published_at=models.F("created"))


def let_the_secretariat_read_the_history(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(content_type__app_label="reversion", codename__in=HISTORY_PERMISSIONS)
    assert permissions.count() == len(HISTORY_PERMISSIONS), "missing permissions of django-reversion"
    group.permissions.add(*permissions)


def take_the_history_rights_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="reversion", codename__in=HISTORY_PERMISSIONS)
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_secretariat_lifts_login_lockouts"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When visitors could first see the event; its addresses answer “gone” if it is unpublished.",
                null=True,
                verbose_name="first published",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="publish_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "With the status “Published”, the event appears on the site at this moment by itself. "
                    "Leave empty to publish at once."
                ),
                null=True,
                verbose_name="publish at",
            ),
        ),
        migrations.RunPython(events_published_so_far, migrations.RunPython.noop),
        migrations.RunPython(let_the_secretariat_read_the_history, take_the_history_rights_back),
    ]
