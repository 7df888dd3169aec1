from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Documentation")
    # The secretariat adds, orders and removes an event's materials on the event form.
    secretariat_permissions = tuple(("materials", "material", action) for action in ("add", "change", "delete", "view"))

    def ready(self):
        from events import feeds as event_feeds
        from events import page_sections, structured_data
        from events.history import also_follow

        from . import feeds, files, sections
        from .models import Material
        from .structured_data import add_subject_of

        # An event's version in the history holds its materials: restoring it brings them back.
        also_follow(Material)
        files.connect()
        page_sections.provide("materials", sections.render_materials)
        page_sections.provide("slot_materials", sections.render_slot_materials)
        # Its public materials are what the event's JSON-LD calls ``subjectOf``.
        structured_data.extend(add_subject_of)
        # And what its feed entry links to; a material's change is a change of its event.
        event_feeds.provide_links(feeds.links_of)
        feeds.connect()
