from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EVERYTHING = ("add", "change", "delete", "view")


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    # What the Sekretariat may do here (quattropole_site/roles.py keeps the group in step): publish
    # events with their programme, people and venues; no deleting categories, project groups or
    # member cities, no adding cities. Reading the history (django-reversion's revisions and
    # versions) too; restoring needs only the rights on events, purging the history is not given.
    secretariat_permissions = (
        *(
            ("events", model, action)
            for model in ("event", "programmeslot", "slotspeaker", "workshop", "person", "venue")
            for action in EVERYTHING
        ),
        *(("events", model, action) for model in ("category", "projectgroup") for action in ("add", "change", "view")),
        ("events", "city", "change"),
        ("events", "city", "view"),
        ("reversion", "revision", "view"),
        ("reversion", "version", "view"),
    )

    def ready(self):
        # The history (django-reversion) records the models with their per-language fields,
        # which modeltranslation has added by now.
        from django.db.backends.signals import connection_created

        from .folding import register_sqlite_function
        from .history import register_models

        register_models()
        # The admin's searches compare folded texts (events/folding.py).
        connection_created.connect(register_sqlite_function)
