from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .roles import PERMISSIONS


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages and accessibility")
    # What the Sekretariat may do here; quattropole_site/roles.py keeps the group in step.
    secretariat_permissions = PERMISSIONS

    def ready(self):
        from . import (
            sign_language,
            signals,  # noqa: F401  (the footer's accessibility status kept current)
        )
        from .models import SignLanguageVideo

        sign_language.connect(SignLanguageVideo)  # a replaced or deleted video's files removed
