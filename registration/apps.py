from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from events import page_sections

        # Model signals that announce changes of the registration box (the page cache listens).
        from . import receivers  # noqa: F401
        from .page_sections import render_box, render_summary

        # The registration box and summary on the event page, which events leaves to this app.
        page_sections.provide("registration_box", render_box)
        page_sections.provide("registration_summary", render_summary)
