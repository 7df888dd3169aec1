"""Cities, categories, project groups, venues and people: what events refer to. Each keeps its
history (who changed what, restorable) like the events themselves."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from ..models import Category, City, Person, ProjectGroup, Venue
from .base import URL_FIELDS
from .history import HistoryAdmin
from .search import FoldedSearchMixin


@admin.register(City)
class CityAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name_de", "name_fr", "code")


@admin.register(Category)
class CategoryAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "code")
    search_fields = ("name_de", "name_fr", "code")


@admin.register(ProjectGroup)
class ProjectGroupAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name",)
    search_fields = ("name_de", "name_fr")


@admin.register(Venue)
class VenueAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "street", "locality", "country")
    list_filter = ("country", "time_zone", "access_motor")
    search_fields = ("name_de", "name_fr", "street", "postal_code", "locality_de", "locality_fr")
    fieldsets = [
        # Named: a fieldset without a legend has no name for assistive technology (pa11y, make audit).
        (_("Name and address"), {"fields": ["name", "street", ("postal_code", "locality"), "country", "time_zone"]}),
        (_("Contact"), {"fields": ["phone", "website"]}),
        (_("Position on the map"), {"fields": [("latitude", "longitude")]}),
        (
            _("Accessibility"),
            {
                "fields": [
                    ("access_motor", "access_hearing", "access_visual", "access_psychic", "access_intellectual"),
                    "accessibility_note",
                    "accessibility_example",
                ],
                "description": _("Entered once here, shown on the page of every event at this venue."),
            },
        ),
    ]
    formfield_overrides = URL_FIELDS
    coordinate_limits = {"latitude": 90, "longitude": 180}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The database refuses impossible coordinates; say so on the field instead.
        if db_field.name in self.coordinate_limits:
            limit = self.coordinate_limits[db_field.name]
            kwargs.update(min_value=-limit, max_value=limit)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "role", "affiliation", "email")
    # Also what the programme editor's speaker choice searches as you type ("muller" finds Müller).
    search_fields = ("name", "role_de", "role_fr", "affiliation_de", "affiliation_fr", "email")
    fieldsets = [
        (_("Name and role"), {"fields": ["name", "role", "affiliation", "photo"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]
