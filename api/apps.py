from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open data of the site: the read-only JSON API (/api/v1/…) and the embeddable lists
    (/de/einbetten/, /fr/integrer/). Imports events and registration; the page cache knows its
    pages by URL name only (docs/api.md)."""

    name = "api"
    verbose_name = _("Open data")
