"""The admin of the secretariat: every translated text in FR/DE tabs, and the whole
programme of an event (slots → speakers and workshops) on the event's own page.

The tabs come from django-modeltranslation (``TabbedTranslationAdmin``), with jQuery UI
from our own static files (settings.JQUERY_UI_URL); the nesting comes from
django-nested-admin.
"""

import nested_admin
from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from modeltranslation.translator import translator

from .language import language_codes
from .models import (
    RESERVED_SLUGS,
    Category,
    City,
    Event,
    Person,
    ProgrammeSlot,
    ProjectGroup,
    SlotSpeaker,
    Venue,
    Workshop,
)

# Addresses typed without a scheme ("www.example.org") are taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}

admin.site.site_header = _("QuattroPole events")
admin.site.site_title = _("QuattroPole events")


class OptionalTranslationsMixin:
    """Leaves a translated field optional in every language when its model says so.

    modeltranslation makes the default-language field (German) required whenever the
    original field is; events, slots and workshops need their title in at least one
    language only, which their clean() checks and reports on the field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is not None and original is not None:
            options = translator.get_options_for_model(db_field.model)
            if db_field.language not in options.required_languages:
                field.required = False
        return field


# --- Reference data ------------------------------------------------------------------


@admin.register(City)
class CityAdmin(TabbedTranslationAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name_de", "name_fr", "code")


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ("name", "code")
    search_fields = ("name_de", "name_fr", "code")


@admin.register(ProjectGroup)
class ProjectGroupAdmin(TabbedTranslationAdmin):
    list_display = ("name",)
    search_fields = ("name_de", "name_fr")


@admin.register(Venue)
class VenueAdmin(TabbedTranslationAdmin):
    list_display = ("name", "street", "locality", "country")
    list_filter = ("country", "time_zone")
    search_fields = ("name_de", "name_fr", "street", "postal_code", "locality_de", "locality_fr")
    fieldsets = [
        (None, {"fields": ["name", "street", ("postal_code", "locality"), "country", "time_zone"]}),
        (_("Contact"), {"fields": ["phone", "website"]}),
        (_("Position on the map"), {"fields": [("latitude", "longitude")]}),
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
class PersonAdmin(TabbedTranslationAdmin):
    list_display = ("name", "role", "affiliation", "email")
    search_fields = ("name", "role_de", "role_fr", "affiliation_de", "affiliation_fr", "email")
    fieldsets = [
        (None, {"fields": ["name", "role", "affiliation", "photo"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]


# --- The programme, nested in the event form ------------------------------------------


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


# --- Events ----------------------------------------------------------------------------


class TimingFilter(admin.SimpleListFilter):
    """Upcoming or past, judged by the end: an event in progress is still upcoming."""

    title = _("timing")
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming or in progress")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


# What marks a copy, in the language of the text it is added to (not the admin's).
COPY_MARKERS = {"de": ("Kopie", "kopie"), "fr": ("copie", "copie")}


def _unique_copy_slug(slug, language, marker):
    """``<slug>-kopie``, or ``<slug>-kopie-2`` … when taken; shortened to fit, marker kept."""
    field = Event._meta.get_field(f"slug_{language}")
    number = 1
    while True:
        suffix = f"-{marker}" if number == 1 else f"-{marker}-{number}"
        candidate = slug[: field.max_length - len(suffix)] + suffix
        if candidate not in RESERVED_SLUGS and not Event.objects.filter(**{field.name: candidate}).exists():
            return candidate
        number += 1


def duplicate_event(event):
    """A draft copy of ``event`` with its cities and whole programme; titles say it
    is a copy and slugs get a suffix that no other event uses."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy._state.adding = True
    for field in Event._meta.concrete_fields:
        if not field.editable and not field.primary_key:
            setattr(copy, field.attname, field.get_default())  # bookkeeping starts afresh
    copy.status = Event.Status.DRAFT
    copy.is_cancelled = False
    max_title = Event._meta.get_field("title_de").max_length
    for code in language_codes():
        title_marker, slug_marker = COPY_MARKERS.get(code, ("copy", "copy"))
        title = getattr(event, f"title_{code}")
        if title:
            suffix = f" ({title_marker})"
            setattr(copy, f"title_{code}", title[: max_title - len(suffix)] + suffix)
        slug = getattr(event, f"slug_{code}")
        if slug:
            setattr(copy, f"slug_{code}", _unique_copy_slug(slug, code, slug_marker))
    copy.save()
    copy.cities.set(event.cities.all())
    for slot in event.slots.prefetch_related("workshops", "slotspeaker_set"):
        speakers, workshops = list(slot.slotspeaker_set.all()), list(slot.workshops.all())
        slot.pk = None
        slot._state.adding = True
        slot.event = copy
        slot.save()
        for item in speakers + workshops:
            item.pk = None
            item._state.adding = True
            item.slot = slot
            item.save()
    return copy


@admin.register(Event)
class EventAdmin(OptionalTranslationsMixin, TabbedTranslationAdmin, nested_admin.NestedModelAdmin):
    # Category is a filter on the right; without its column the list fits a laptop screen.
    list_display = ("title", "start_short", "status", "translation_status", "view_on_site_links")
    list_filter = ("status", TimingFilter, "category", "cities")
    list_select_related = ("category",)
    search_fields = (
        "title_de",
        "title_fr",
        "kicker_de",
        "kicker_fr",
        "teaser_de",
        "teaser_fr",
        "slug_de",
        "slug_fr",
    )
    date_hierarchy = "start"
    prepopulated_fields = {"slug_de": ("title_de",), "slug_fr": ("title_fr",)}
    autocomplete_fields = ("venue", "moderator", "contact", "host")
    filter_horizontal = ("cities",)
    readonly_fields = ("created", "updated")
    formfield_overrides = URL_FIELDS
    inlines = [ProgrammeSlotInline]
    actions = ["duplicate_as_draft"]
    fieldsets = [
        (
            _("Text"),
            {"fields": ["title", "slug", "kicker", "teaser", "description", "poster", "poster_alt"]},
        ),
        (_("When and where"), {"fields": [("start", "end"), "venue", "cities"]}),
        (_("People"), {"fields": ["moderator", "contact", "host", "host_letter"]}),
        (_("Registration"), {"fields": ["registration_url", "registration_deadline", "interpretation"]}),
        (
            _("Publication"),
            {"fields": ["status", "is_cancelled", "category", "project_group", ("created", "updated")]},
        ),
    ]

    class Media:
        # FR/DE tabs also in workshops of programme slots added on the page (see the file);
        # the files before it only say what it must follow.
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "js/admin-programme-tabs.js",
        )

    def site_urls(self, obj):
        """The event's public page in each language (drafts are previews for staff)."""
        names = dict(settings.LANGUAGES)
        return [
            {"code": code, "name": names.get(code, code), "url": obj.get_absolute_url(code)}
            for code in language_codes()
            if obj.slug_in(code)
        ]

    def view_on_site(self, obj):
        urls = self.site_urls(obj)
        return urls[0]["url"] if urls else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The change form's object tools link to the page in each language.
        context["site_urls"] = self.site_urls(obj) if obj is not None and obj.pk else []
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.display(description=_("start"), ordering="start")
    def start_short(self, obj):
        return date_format(timezone.localtime(obj.start), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("translations"))
    def translation_status(self, obj):
        missing = obj.missing_translations()
        if not missing:
            return format_html('<span title="{}">✓</span>', _("Complete in both languages"))
        by_language = {}
        for name in missing:
            field, code = name.rsplit("_", 1)
            by_language.setdefault(code, []).append(str(Event._meta.get_field(field).verbose_name))
        return format_html_join(
            mark_safe("<br>"),
            "{}",
            (
                (_("%(language)s missing: %(fields)s") % {"language": code.upper(), "fields": ", ".join(fields)},)
                for code, fields in by_language.items()
            ),
        )

    @admin.display(description=_("view on site"))
    def view_on_site_links(self, obj):
        links = ((u["url"], u["code"], u["name"], u["code"].upper()) for u in self.site_urls(obj))
        return format_html_join(" ", '<a href="{}" hreflang="{}" title="{}">{}</a>', links) or None

    @admin.action(description=_("Duplicate as new draft"), permissions=["add"])
    def duplicate_as_draft(self, request, queryset):
        with transaction.atomic():
            copies = [duplicate_event(event) for event in queryset]
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:events_event_change", args=[new.pk]), new) for new in copies),
        )
        count = len(copies)
        message = ngettext(
            "Duplicated %(count)d event as a new draft:",
            "Duplicated %(count)d events as new drafts:",
            count,
        ) % {"count": count}
        self.message_user(request, format_html("{} {}", message, links), messages.SUCCESS)
