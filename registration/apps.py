from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        # Model signals that keep e-mails, the waiting list and the page cache in step.
        from . import receivers  # noqa: F401
