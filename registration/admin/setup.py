"""An event's registration form in the admin: opening and closing, places, city quotas,
workshop seats, the questions and the privacy notice (FR/DE tabs).

Adding one starts with the event (``add_view``): a list of the upcoming events that have no
registration form yet (past ones only when asked for), or the event's own page ("Set up
registration"). The form then knows the event: it asks for a workshop when the programme has
workshops, and offers a row of seats for each of them and a row of places for each member city.
A row left without a number is no quota (no limit): it comes back blank, city and workshop
included. The rows' choices are read once per page, however many rows, cities and workshops."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import City, Event, Workshop

from ..models import CityQuota, Registration, RegistrationSettings, WorkshopSeats
from ..services import booking, capacity
from .choosing import choose_event

STATES = {
    capacity.State.NOT_YET_OPEN: _("not open yet"),
    capacity.State.OPEN: _("open"),
    capacity.State.CLOSED: _("closed"),
    capacity.State.STARTED: _("event started"),
    capacity.State.ENDED: _("event ended"),
    capacity.State.CANCELLED: _("event cancelled"),
}


class PlainChoiceMixin:
    """A plain choice of event, city or workshop: no buttons to add, change or delete them from
    here (that is done where they are kept). The admin puts those buttons around the select of
    every foreign key of its forms; each foreign key of the form made here is therefore asked
    again of ``formfield_for_foreignkey``, which gives the select alone."""

    def plain_choices(self, form, request):
        """``form`` (a class the admin has just made for this request) with plain selects."""
        for field in self.model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.name in form.base_fields:  # one-to-one too
                form.base_fields[field.name] = self.formfield_for_foreignkey(field, request)
        return form


class PlainChoiceInline(PlainChoiceMixin, admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        self.plain_choices(formset.form, request)
        return formset


@dataclass
class Rows:
    """What the quota and seat rows of one page offer, read once: the member cities, the event's
    workshops, and those of each that have no row yet."""

    cities: list
    workshops: list
    missing_cities: list
    missing_workshops: list

    def workshop_choice(self):
        """The question to ask by default: one workshop per workshop slot of the programme (one
        workshop, when they all run at once), or none when the programme has no workshop."""
        slots = {workshop.slot_id for workshop in self.workshops}
        if not slots:
            return RegistrationSettings.WorkshopChoice.NONE
        if len(slots) == 1:
            return RegistrationSettings.WorkshopChoice.ONE
        return RegistrationSettings.WorkshopChoice.PER_SLOT


def rows(request, form_settings=None):
    """The rows' choices for this request's page (read on the first call, then kept on the
    request: the inlines ask several times while the page is built)."""
    if getattr(request, "registration_rows", None) is None:
        event = form_settings.event if form_settings is not None and form_settings.pk else request.registration_event
        saved = form_settings is not None and form_settings.pk is not None
        cities = list(City.objects.all())
        workshops = list(
            Workshop.objects.filter(slot__event=event).select_related("slot").order_by("slot__start", "order", "pk")
            if event is not None
            else []
        )
        taken_cities = set(form_settings.quotas.values_list("city_id", flat=True)) if saved else set()
        taken_workshops = set(form_settings.workshop_seats.values_list("workshop_id", flat=True)) if saved else set()
        request.registration_rows = Rows(
            cities=cities,
            workshops=workshops,
            missing_cities=[city for city in cities if city.pk not in taken_cities],
            missing_workshops=[workshop for workshop in workshops if workshop.pk not in taken_workshops],
        )
    return request.registration_rows


def workshop_label(workshop):
    return f"{workshop.slot.title} – {workshop.title}"


class RowForm(forms.ModelForm):
    """A quota or seats row. Its choices come from the formset (``choices``), read once for all
    rows. A new row without a number is no row: when the page comes back (an error elsewhere),
    it comes back blank, whatever it showed."""

    choice_field = number_field = None

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields[self.choice_field].choices = choices
        if self.is_bound and self.instance.pk is None and not self.data.get(self.add_prefix(self.number_field), ""):
            self.data = self.data.copy()
            self.data[self.add_prefix(self.choice_field)] = ""


class QuotaForm(RowForm):
    choice_field, number_field = "city", "places"


class SeatsForm(RowForm):
    choice_field, number_field = "workshop", "seats"


class CityQuotaInline(PlainChoiceInline):
    model = CityQuota
    form = QuotaForm
    fields = ("city", "places")
    verbose_name_plural = _("Quotas of the member cities (empty: no quota)")

    def get_extra(self, request, obj=None, **kwargs):
        return len(rows(request, obj).missing_cities)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city")  # each row is named after its city


class WorkshopSeatsInline(PlainChoiceInline):
    model = WorkshopSeats
    form = SeatsForm
    fields = ("workshop", "seats")
    verbose_name_plural = _("Seats of the workshops (empty: no limit)")

    def get_extra(self, request, obj=None, **kwargs):
        return len(rows(request, obj).missing_workshops)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workshop")  # each row is named after it

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        event_id = obj.pk if obj is not None and obj.pk else getattr(request.registration_event, "pk", None)
        field = formset.form.base_fields["workshop"]
        field.queryset = Workshop.objects.filter(slot__event_id=event_id).select_related("slot")
        field.label_from_instance = workshop_label
        return formset


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(PlainChoiceMixin, TabbedTranslationAdmin):
    list_display = ("event", "event_start", "state", "confirmed_of_places", "held", "waitlisted", "overview_link")
    list_select_related = ("event",)
    search_fields = ("event__title_de", "event__title_fr")
    inlines = [CityQuotaInline, WorkshopSeatsInline]
    fieldsets = [
        (_("Event"), {"fields": ["event"]}),  # named: pa11y wants a legend for every fieldset
        (_("When"), {"fields": [("opens_at", "closes_at")]}),
        (_("Places"), {"fields": ["capacity", "other_places"]}),
        (
            _("Questions"),
            {"fields": ["workshop_choice", "ask_lunch", "ask_dietary_needs", "ask_bus", "ask_language"]},
        ),
        (_("Privacy"), {"fields": ["privacy_notice"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        return self.plain_choices(super().get_form(request, obj, **kwargs), request)

    def get_queryset(self, request):
        confirmed = Count("event__registrations", filter=Q(event__registrations__status=Registration.Status.CONFIRMED))
        waitlisted = Count(
            "event__registrations", filter=Q(event__registrations__status=Registration.Status.WAITLISTED)
        )
        held = Count(
            "event__registrations",
            filter=Q(event__registrations__status=Registration.Status.HELD, event__registrations__expires_at__gt=Now()),
        )
        return super().get_queryset(request).annotate(confirmed=confirmed, waitlisted=waitlisted, held=held)

    # --- Adding: the event first ---------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        """The form for the event chosen (``?event=``), or the list of events to choose from."""
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)  # Django refuses it
        chosen = request.GET.get("event") or request.POST.get("event")
        request.registration_event = None
        if chosen and chosen.isdigit():
            request.registration_event = self.events_to_set_up().filter(pk=chosen).select_related("venue").first()
        if request.registration_event is None:
            return self.choose_event_view(request)
        event = request.registration_event
        subtitle = f"{event} – {date_format(timezone.localtime(event.start), 'SHORT_DATE_FORMAT')}"
        return super().add_view(request, form_url, {**(extra_context or {}), "subtitle": subtitle})

    @staticmethod
    def events_to_set_up():
        return Event.objects.filter(registration_settings__isnull=True)

    def choose_event_view(self, request):
        return choose_event(
            self,
            request,
            self.events_to_set_up().exclude(registration_url_de__gt="").exclude(registration_url_fr__gt=""),
            title=_("Add a registration form: choose the event"),
            intro=(
                _("Upcoming events without a registration form of their own:"),
                _("All events without a registration form of their own, the latest first:"),
            ),
            empty=(_("Every upcoming event has a registration form."), _("Every event has a registration form.")),
            note=_("Events that link to an external registration form are not listed: remove the link first."),
        )

    def get_changeform_initial_data(self, request):
        initial = {**RegistrationSettings.default_privacy_notice(), **super().get_changeform_initial_data(request)}
        event = getattr(request, "registration_event", None)
        if event is not None:
            initial.update(event=event.pk, workshop_choice=rows(request).workshop_choice())
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        event = getattr(request, "registration_event", None)
        if db_field.name == "event" and event is not None:
            kwargs.update(queryset=Event.objects.filter(pk=event.pk), empty_label=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- The rows -------------------------------------------------------------------------------

    def get_inlines(self, request, obj):
        # Workshop seats once the event is known, if its programme has workshops.
        event_known = obj is not None or getattr(request, "registration_event", None) is not None
        if not event_known or not rows(request, obj).workshops:
            return [CityQuotaInline]
        return self.inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        offered = rows(request, obj)
        if isinstance(inline, CityQuotaInline):
            choices = [("", "---------"), *((city.pk, str(city)) for city in offered.cities)]
            missing = [{"city": city.pk} for city in offered.missing_cities]
        else:
            choices = [("", "---------"), *((workshop.pk, workshop_label(workshop)) for workshop in offered.workshops)]
            missing = [{inline.form.choice_field: workshop.pk} for workshop in offered.missing_workshops]
        kwargs["form_kwargs"] = {"choices": choices}
        if obj is None or obj.pk is None and request.method != "POST":
            # The first page of a new form offers a row per city and workshop, ready for a number.
            kwargs["initial"] = missing
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The form, its quotas and seats saved: places now free (more capacity, a larger quota,
        # more seats) go to the waiting list, in order, in the same transaction.
        booking.fill_waiting_list(form.instance.event)

    def get_readonly_fields(self, request, obj=None):
        return ("event",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # The form of an event with registrations stays: they refer to its rules.
        if obj is not None and Registration.objects.filter(event_id=obj.pk).exists():
            return False
        return super().has_delete_permission(request, obj)

    # --- The list -------------------------------------------------------------------------------

    @admin.display(description=_("start"), ordering="event__start")
    def event_start(self, obj):
        return date_format(timezone.localtime(obj.event.start), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("registration"))
    def state(self, obj):
        return STATES[capacity.state(obj.event, obj)]

    @admin.display(description=_("confirmed / places"), ordering="confirmed")
    def confirmed_of_places(self, obj):
        return f"{obj.confirmed} / {obj.capacity}" if obj.capacity is not None else str(obj.confirmed)

    @admin.display(description=_("held, awaiting confirmation"), ordering="held")
    def held(self, obj):
        return obj.held

    @admin.display(description=_("waiting list"), ordering="waitlisted")
    def waitlisted(self, obj):
        return obj.waitlisted

    @admin.display(description=_("registrations"))
    def overview_link(self, obj):
        url = reverse("admin:registration_registration_overview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Overview, list, export, sign-in sheet"))
