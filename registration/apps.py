from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EVERYTHING = ("add", "change", "delete", "view")


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")
    # What the Sekretariat may do here (quattropole_site/roles.py keeps the group in step): set up
    # registration forms, manage registrations (confirming beyond the places, with a reason, too),
    # read their history and e-mails.
    secretariat_permissions = (
        *(
            ("registration", model, action)
            for model in ("registrationsettings", "cityquota", "workshopseats", "registration")
            for action in EVERYTHING
        ),
        ("registration", "registration", "override_capacity"),
        ("registration", "statuschange", "view"),
        ("registration", "email", "view"),
    )

    def ready(self):
        from events import fullness, page_sections

        # Model signals that announce changes of the registration box (the page cache listens).
        from . import receivers  # noqa: F401
        from .page_sections import render_box, render_summary
        from .services.capacity import full_event_ids, opening

        # The registration box and summary on the event page, which events leaves to this app.
        page_sections.provide("registration_box", render_box)
        page_sections.provide("registration_summary", render_summary)
        # Whether an event is full, which the event's status says on its page and in the lists.
        fullness.provide(full_event_ids)
        # When registration opens, while it is still to come (the JSON-LD offer is a pre-order).
        fullness.provide_opening(opening)
