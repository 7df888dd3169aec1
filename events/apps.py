from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # The history (django-reversion) records the models with their per-language fields,
        # which modeltranslation has added by now.
        from .history import register_models

        register_models()
