"""The "Sekretariat" group: everything the secretariat needs to publish events, and nothing more
(no users, no groups, no deleting member cities).

The Sekretariat's permissions are defined once, in the apps' AppConfigs, and kept in step after
every migrate (quattropole_site/roles.py, ``manage.py sync_roles``): this migration, which granted
them when it ran, does nothing now.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
