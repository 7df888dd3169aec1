"""The "Sekretariat" group (events/0002) gets what registration needs, and nothing more: set up
an event's registration form (places, quotas, workshop seats, questions, privacy notice); see,
add, change (answers, attendance, moves), cancel and delete registrations; confirm beyond the
rules (an explicit, logged override); read each registration's history and e-mails.

The Sekretariat's permissions are defined once, in the apps' AppConfigs, and kept in step after
every migrate (quattropole_site/roles.py, ``manage.py sync_roles``): this migration, which granted
them when it ran, does nothing now.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
        ("events", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
