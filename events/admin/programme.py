"""The programme, nested in the event form: slots, each with its speakers and workshops."""

import nested_admin
from modeltranslation.admin import TranslationStackedInline

from ..models import ProgrammeSlot, SlotSpeaker, Workshop
from .base import OptionalTranslationsMixin


class SlotSpeakerInline(nested_admin.NestedTabularInline):
    model = SlotSpeaker
    fields = ("person", "order")
    autocomplete_fields = ("person",)
    sortable_field_name = "order"
    extra = 0


# nested-admin's class comes first, so that its template and formset win over Django's.
class WorkshopInline(OptionalTranslationsMixin, nested_admin.NestedStackedInline, TranslationStackedInline):
    model = Workshop
    fields = ("title", "description", "order")
    sortable_field_name = "order"
    extra = 0


class ProgrammeSlotInline(OptionalTranslationsMixin, nested_admin.NestedStackedInline, TranslationStackedInline):
    model = ProgrammeSlot
    fields = (("start", "end"), "kind", "title", "description")
    inlines = [SlotSpeakerInline, WorkshopInline]
    is_sortable = False  # slots are ordered by their start time
    extra = 0
