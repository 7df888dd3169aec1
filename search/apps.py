from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"
    # The Sekretariat keeps the table of equivalent place names (quattropole_site/roles.py).
    secretariat_permissions = [
        ("search", model, action) for model in ("place", "placename") for action in ("add", "change", "delete", "view")
    ]

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import receivers

        receivers.connect()
        post_migrate.connect(receivers.index_missing, sender=self, dispatch_uid="search-index-missing")
