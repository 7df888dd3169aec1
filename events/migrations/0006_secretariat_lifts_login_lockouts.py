"""The Sekretariat group may see failed logins to the admin and lift a lock-out (by deleting its
access attempt): a secretary locked out before an event need not wait for an administrator.

The Sekretariat's permissions are defined once, in the apps' AppConfigs, and kept in step after
every migrate (quattropole_site/roles.py, ``manage.py sync_roles``): this migration, which granted
them when it ran, does nothing now.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_venue_place_names_translated"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
