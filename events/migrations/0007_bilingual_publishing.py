"""Scheduled publishing ("publish at"), the memory of a first publication (for 410 Gone), and the
Sekretariat's rights on the history: view it and restore from it, never purge it (granted when
this migration ran; now defined in events/apps.py and kept in step by quattropole_site/roles.py)."""

from django.db import migrations, models


def events_published_so_far(apps, schema_editor):
    """Published events were visible from when they were created, as far as anyone can tell."""
    Event = apps.get_model("events", "Event")
    Event.objects.filter(status="published").update(first_published_at=models.F("created"))


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
    ]
