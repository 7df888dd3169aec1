"""The events list and the event form: the whole programme on the event's page (one compact
editor, and pasting it from the invitation), which texts are missing in which language, a
confirmation before an incomplete event is published, the side-by-side translation page, the
history with restoring, and scheduled publishing."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from ..language import language_codes, native_name
from ..models import CALENDAR_RELEVANT_FIELDS, RESERVED_SLUGS, Event
from ..programme import completeness
from ..programme.editor_forms import ProgrammeFormSet
from .base import URL_FIELDS, OptionalTranslationsMixin
from .history import HistoryAdmin
from .paste import paste_view
from .programme import ProgrammeInline
from .search import FoldedSearchMixin
from .translation import translation_view

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
    copy.publish_at = None
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


def programme_from_formsets(formsets):
    """The programme as the change form holds it (not yet saved), for the completeness check."""
    for formset in formsets:
        if isinstance(formset, ProgrammeFormSet):
            return formset.entries()
    return []


def kept_on_instance(formset_class):
    """``formset_class``, whose formsets list themselves on the object of the form they belong to
    (``admin_formsets``), for that form's own checks."""

    class Kept(formset_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.instance.admin_formsets = [*getattr(self.instance, "admin_formsets", ()), self]

    Kept.__name__ = Kept.__qualname__ = formset_class.__name__
    return Kept


class EventAdminForm(forms.ModelForm):
    """The event form, asking before an event goes out with texts missing in one language.

    When the status becomes "Published" (now or at a "publish at" moment) and the completeness check
    finds texts missing in the event or its programme as typed, the form comes back with the list
    and the "publish anyway" box; ticking it and saving again publishes. Everything typed, the
    programme included, stays in the form meanwhile. A complete event is published at once."""

    publish_anyway = forms.BooleanField(
        label=_("Publish anyway, with these texts missing"),
        required=False,
        help_text=_("Visitors then read the other language's text where one is missing."),
    )

    def clean(self):
        cleaned = super().clean()
        # A rescheduled event keeps the start it had: filled in from the form's own start when
        # staff move the start and say "rescheduled" without typing the previous one.
        initial_start = self.initial.get("start") if self.instance.pk else None
        if (
            cleaned.get("event_status") == Event.EventStatus.RESCHEDULED
            and not cleaned.get("previous_start")
            and initial_start
            and cleaned.get("start")
            and cleaned["start"] != initial_start
        ):
            cleaned["previous_start"] = initial_start
        return cleaned

    def is_valid(self):
        """Valid, and when it publishes, complete or published anyway. The check comes once the
        form is clean, so it reads the event as typed (Django's ModelForm has put the typed values
        on the instance) with the programme as typed (the admin's formsets, see
        ``EventAdmin.get_formsets_with_inlines``)."""
        if not super().is_valid():
            return False
        if not hasattr(self, "missing_texts"):
            self.missing_texts = self.texts_missing_before_publishing()
            if self.missing_texts:
                self.add_error(
                    None,
                    ValidationError(
                        _("Some texts are missing in one language. Fill them in, or publish anyway."),
                        code="incomplete",
                    ),
                )
        return not self.errors

    def texts_missing_before_publishing(self):
        """What the "publish anyway" question lists: nothing unless this save publishes the event,
        its programme is valid and the box is not ticked."""
        if not self.publishes() or self.cleaned_data.get("publish_anyway"):
            return []
        formsets = getattr(self.instance, "admin_formsets", ())
        valid = [formset.is_valid() for formset in formsets]  # every formset checked, every error shown
        if not all(valid):
            return []  # the programme's own errors first; the question comes when they are fixed
        return completeness.missing_texts(
            self.instance, programme=programme_from_formsets(formsets), cities=self.cleaned_data.get("cities", [])
        )

    def publishes(self):
        """Whether this save sets the event to "Published" (it was a draft, or is new)."""
        was = self.initial.get("status") if self.instance.pk else None
        return self.cleaned_data.get("status") == Event.Status.PUBLISHED and was != Event.Status.PUBLISHED


class StatusFilter(admin.SimpleListFilter):
    """Draft, scheduled (published, waiting for its moment) or online."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("online", _("Online"))]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(status=Event.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "online":
            return queryset.published()
        return queryset


# Inlines that apps above events add to the event form (``add_inline``), in the order added.
EXTRA_INLINES = []


def add_inline(inline):
    """Adds ``inline`` (an InlineModelAdmin class of a model linked to Event) to the event form,
    below the programme: one submit saves the event with it, one revision in the history.
    Called from that app's admin module."""
    if inline not in EXTRA_INLINES:
        EXTRA_INLINES.append(inline)


@admin.register(Event)
class EventAdmin(FoldedSearchMixin, OptionalTranslationsMixin, HistoryAdmin, TabbedTranslationAdmin):
    form = EventAdminForm
    # Category is a filter on the right; without its column the list fits a laptop screen.
    list_display = ("shown_title", "start_short", "publication", "translation_status", "view_on_site_links")
    list_filter = (StatusFilter, TimingFilter, "category", "cities")
    # Searched in both languages at once, accents and case ignored (admin/search.py).
    search_fields = (
        "title_de",
        "title_fr",
        "kicker_de",
        "kicker_fr",
        "teaser_de",
        "teaser_fr",
        "slug_de",
        "slug_fr",
        "venue__locality_de",
        "venue__locality_fr",
    )
    date_hierarchy = "start"
    prepopulated_fields = {"slug_de": ("title_de",), "slug_fr": ("title_fr",)}
    autocomplete_fields = ("venue", "moderator", "contact", "host")
    filter_horizontal = ("cities",)
    readonly_fields = ("created", "updated", "first_published_at")
    formfield_overrides = URL_FIELDS
    inlines = [ProgrammeInline]
    actions = ["duplicate_as_draft"]
    fieldsets = [
        (
            _("Text"),
            {"fields": ["title", "slug", "kicker", "teaser", "description", "poster", "poster_alt"]},
        ),
        (
            _("When and where"),
            {
                "fields": [
                    ("start", "end"),
                    ("event_status", "previous_start"),
                    "venue",
                    ("attendance_mode", "online_url", "online_url_visibility"),
                    "cities",
                ]
            },
        ),
        (
            _("Languages and interpretation"),
            {
                "fields": [
                    ("held_in_de", "held_in_fr", "held_in_lb", "held_in_en", "held_in_other"),
                    ("interpretation_kind", "interpretation_from", "interpretation_to"),
                    "sign_language",
                    "interpretation",
                ]
            },
        ),
        (_("People"), {"fields": ["moderator", "contact", "host", "host_letter"]}),
        (_("Registration"), {"fields": ["registration_url", "registration_deadline"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "publish_at",
                    "is_cancelled",
                    "category",
                    "project_group",
                    ("created", "updated", "first_published_at"),
                ]
            },
        ),
    ]
    revision_form_template = "admin/events/event/revision_form.html"
    recover_form_template = "admin/events/event/recover_form.html"

    def get_queryset(self, request):
        # The list's translation column reads the whole programme: a fixed number of queries.
        return completeness.with_texts(super().get_queryset(request))

    def get_urls(self):
        translate = self.admin_site.admin_view(self.translation_view)
        paste = self.admin_site.admin_view(self.paste_view)
        return [
            path("<path:object_id>/translate/", translate, name="events_event_translate"),
            path("<path:object_id>/programme/paste/", paste, name="events_event_paste_programme"),
            *super().get_urls(),
        ]

    def translation_view(self, request, object_id):
        return translation_view(self, request, object_id)

    def paste_view(self, request, object_id):
        return paste_view(self, request, object_id)

    # --- The change form --------------------------------------------------------------

    def get_inlines(self, request, obj):
        # The inlines of apps above events (their materials: ``add_inline``) after the programme.
        return [*super().get_inlines(request, obj), *EXTRA_INLINES]

    def get_formsets_with_inlines(self, request, obj=None):
        # The form's completeness check reads the programme as typed (EventAdminForm.is_valid):
        # each inline formset, once made for the event of the form, is kept on that event.
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):
            yield kept_on_instance(formset_class), inline

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
        # The change form's object tools link to the page in each language and to the translation page.
        saved = obj is not None and obj.pk
        context["site_urls"] = self.site_urls(obj) if saved else []
        form = context["adminform"].form
        asked = getattr(form, "missing_texts", [])
        if asked:
            missing = asked
        elif saved:
            # Shown, the event is as get_queryset() read it (with_texts); sent back, as it is saved.
            shown = obj if request.method == "GET" else completeness.with_texts().get(pk=obj.pk)
            missing = completeness.missing_texts(shown)
        else:
            missing = []
        context.update(
            publish_question=bool(asked),
            publish_anyway_field=form["publish_anyway"],
            missing_by_language=[
                (code, native_name(code), items) for code, items in completeness.by_language(missing).items() if items
            ],
            translate_url=reverse("admin:events_event_translate", args=[obj.pk]) if saved else "",
            paste_url=reverse("admin:events_event_paste_programme", args=[obj.pk]) if saved else "",
        )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- Restoring from the history ---------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.event_before_restore = (
            Event.objects.filter(pk=object_id).values(*CALENDAR_RELEVANT_FIELDS, "ical_sequence").first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.event_before_restore = {}
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        """A restored version is a new calendar revision when its time, venue, status or
        cancellation differ from what calendars had (django-reversion writes the old version's
        counter back); a recovered event is one in any case."""
        before = getattr(request, "event_before_restore", None)
        if before is not None:
            changed = not before or any(before[name] != getattr(obj, name) for name in CALENDAR_RELEVANT_FIELDS)
            obj.ical_sequence = max(obj.ical_sequence, before.get("ical_sequence", obj.ical_sequence)) + changed
        super().save_model(request, obj, form, change)

    # --- The list ---------------------------------------------------------------------------

    @admin.display(description=_("title"), ordering="title")
    def shown_title(self, obj):
        """The title as the site shows it (French typography in French)."""
        return str(obj)

    @admin.display(description=_("start"), ordering="start")
    def start_short(self, obj):
        return date_format(timezone.localtime(obj.start), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("status"), ordering="status")
    def publication(self, obj):
        if obj.is_scheduled():
            moment = date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
            return format_html("{}<br>{}", _("Scheduled"), moment)
        return obj.get_status_display()

    @admin.display(description=_("translations"))
    def translation_status(self, obj):
        missing = completeness.by_language(completeness.missing_texts(obj))
        if not any(missing.values()):
            return format_html('<span class="translation-complete">✓ {}</span>', _("complete"))
        translate_url = reverse("admin:events_event_translate", args=[obj.pk])
        lines = (
            (
                code.upper(),
                native_name(code),
                ngettext("%(count)d text missing", "%(count)d texts missing", len(items)) % {"count": len(items)},
                ", ".join(item.label for item in items[:3]) + (" …" if len(items) > 3 else ""),
            )
            for code, items in missing.items()
            if items
        )
        return format_html(
            '{}<a class="translation-link" href="{}">{}</a>',
            format_html_join(
                "",
                '<p class="translation-missing"><abbr title="{1}">{0}</abbr>: {2}<br><small>{3}</small></p>',
                lines,
            ),
            translate_url,
            _("Translate side by side"),
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
