"""An event's registration form in the admin: opening and closing, places, city quotas,
workshop seats, the questions and the privacy notice (FR/DE tabs)."""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import City, Event, Workshop

from .. import services
from ..models import CityQuota, Registration, RegistrationSettings, WorkshopSeats

STATES = {
    services.State.NOT_YET_OPEN: _("not open yet"),
    services.State.OPEN: _("open"),
    services.State.CLOSED: _("closed"),
    services.State.STARTED: _("event started"),
    services.State.ENDED: _("event ended"),
    services.State.CANCELLED: _("event cancelled"),
}


class PlainChoiceMixin:
    """A plain choice of city or workshop: no buttons to add, change or delete cities and
    workshops from here (that is done where they are kept)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(field, "widget", None), RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget
        return field


class CityQuotaInline(PlainChoiceMixin, admin.TabularInline):
    model = CityQuota
    fields = ("city", "places")
    verbose_name_plural = _("Quotas of the member cities (empty: no quota)")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_cities(obj))


class WorkshopSeatsInline(PlainChoiceMixin, admin.TabularInline):
    model = WorkshopSeats
    fields = ("workshop", "seats")
    verbose_name_plural = _("Seats of the workshops (empty: no limit)")

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_workshops(obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["workshop"]
        field.queryset = (
            Workshop.objects.filter(slot__event_id=obj.pk).select_related("slot").order_by("slot__start", "order")
            if obj is not None
            else Workshop.objects.none()
        )
        field.label_from_instance = lambda workshop: f"{workshop.slot.title} – {workshop.title}"
        return formset


def missing_cities(form):
    taken = set(form.quotas.values_list("city_id", flat=True)) if form is not None and form.pk else set()
    return [city for city in City.objects.all() if city.pk not in taken]


def missing_workshops(form):
    if form is None or not form.pk:
        return []
    taken = set(form.workshop_seats.values_list("workshop_id", flat=True))
    workshops = Workshop.objects.filter(slot__event_id=form.pk).order_by("slot__start", "order")
    return [workshop for workshop in workshops if workshop.pk not in taken]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(TabbedTranslationAdmin):
    list_display = ("event", "event_start", "state", "confirmed_of_places", "held", "waitlisted", "overview_link")
    list_select_related = ("event",)
    search_fields = ("event__title_de", "event__title_fr")
    inlines = [CityQuotaInline, WorkshopSeatsInline]
    fieldsets = [
        (None, {"fields": ["event"]}),
        (_("When"), {"fields": [("opens_at", "closes_at")]}),
        (_("Places"), {"fields": ["capacity", "other_places"]}),
        (
            _("Questions"),
            {"fields": ["workshop_choice", "ask_lunch", "ask_dietary_needs", "ask_bus", "ask_language"]},
        ),
        (_("Privacy"), {"fields": ["privacy_notice"]}),
    ]

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

    def get_inlines(self, request, obj):
        # Workshop seats once the event is chosen (saved): its programme has the workshops.
        return [CityQuotaInline] if obj is None else self.inlines

    def get_readonly_fields(self, request, obj=None):
        return ("event",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = Event.objects.filter(registration_settings__isnull=True).order_by("-start")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {**RegistrationSettings.default_privacy_notice(), **super().get_changeform_initial_data(request)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CityQuotaInline):
            kwargs["initial"] = [{"city": city.pk} for city in missing_cities(obj)]
        elif isinstance(inline, WorkshopSeatsInline):
            kwargs["initial"] = [{"workshop": workshop.pk} for workshop in missing_workshops(obj)]
        return kwargs

    def has_delete_permission(self, request, obj=None):
        # The form of an event with registrations stays: they refer to its rules.
        if obj is not None and Registration.objects.filter(event_id=obj.pk).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("start"), ordering="event__start")
    def event_start(self, obj):
        return timezone.localtime(obj.event.start).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("registration"))
    def state(self, obj):
        return STATES[services.state(obj.event, obj)]

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
