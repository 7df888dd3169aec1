"""Registrations in the admin: the list with filters and search, attendance ticked on the day,
moves between the waiting list and confirmed under the rules of registration/services/ (confirming
beyond them is a separate, explicit action that asks for a reason and is logged), cancelling
with e-mails, and staff adding or changing a registration with the visitors' form.

Answers are changed with the visitors' form (the rules apply, e.g. a full workshop), so the
standard change page shows them read-only, with the history and the e-mails sent.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.admin.base import object_or_none
from events.models import Event, Workshop

from .. import display
from ..forms import MoveForm, RegistrationForm
from ..models import Email, Registration, RegistrationSettings, StatusChange, WorkshopChoice
from ..services import booking, capacity, errors
from . import reports
from .choosing import choose_event


class HistoryInline(admin.TabularInline):
    model = StatusChange
    fields = ("at", "action", "old_status", "new_status", "by", "override", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EmailInline(admin.TabularInline):
    model = Email
    fields = ("kind", "position", "created", "sent_at", "attempts", "last_error", "given_up_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventFilter(admin.RelatedOnlyFieldListFilter):
    """Only events that have registrations, the latest first."""

    def field_choices(self, field, request, model_admin):
        ids = model_admin.get_queryset(request).values("event_id").distinct()
        return [(event.pk, str(event)) for event in Event.objects.filter(pk__in=ids).order_by("-start")]


class WorkshopFilter(admin.SimpleListFilter):
    title = gettext_lazy("workshop")
    parameter_name = "workshop"

    def lookups(self, request, model_admin):
        events = request.GET.get("event__id__exact")
        workshops = Workshop.objects.filter(slot__event__registration_settings__isnull=False).select_related(
            "slot__event"
        )
        if events:
            workshops = workshops.filter(slot__event_id=events)
        return [(str(w.pk), f"{w.slot.event} – {w.title}" if not events else w.title) for w in workshops]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(workshop_choices__workshop_id=self.value())
        return queryset


# Registrations that hold or wait for a place first, then the cancelled ones.
ACTIVE_FIRST = Case(
    When(status=Registration.Status.CONFIRMED, then=Value(0)),
    When(status=Registration.Status.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    # Fits a laptop screen (1366 px, with the admin's menu and the filters): the e-mail address
    # goes with the organisation; filtered to one event (as the overview's links are), the answers
    # to its questions share one column, and the event's column, which would repeat itself, goes
    # (get_list_display).
    list_display = ("name", "contact", "town", "status_and_position", "attended", "event_short")
    list_display_for_one_event = ("name", "contact", "town", "status_and_position", "answers", "attended")
    list_display_links = ("name",)
    list_editable = ("attended",)
    list_filter = (
        ("event", EventFilter),
        "status",
        ("city", admin.RelatedOnlyFieldListFilter),
        WorkshopFilter,
        "lunch",
        ("bus_city", admin.RelatedOnlyFieldListFilter),
        "language",
        "attended",
    )
    search_fields = ("first_name", "last_name", "email", "organisation", "other_town")
    list_select_related = ("event", "city", "bus_city")
    list_per_page = 100
    ordering = ("event", ACTIVE_FIRST, "queued_at", "last_name", "first_name")
    actions = [
        "export_csv",
        "mark_present",
        "mark_absent",
        "confirm",
        "confirm_beyond_the_rules",
        "move_to_waiting_list",
        "cancel_registrations",
        "delete_selected",
    ]
    inlines = [HistoryInline, EmailInline]
    readonly_fields = (
        "event",
        "status_and_position",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "town",
        "workshop_titles",
        "lunch",
        "dietary_needs",
        "bus_city",
        "language",
        "created",
        "consented_at",
        "privacy_notice_version",
        "anonymised_at",
    )
    fieldsets = [
        (gettext_lazy("Event and status"), {"fields": ["event", "status_and_position"]}),  # named, as pa11y asks
        (
            gettext_lazy("Answers"),
            {
                "fields": [
                    ("first_name", "last_name"),
                    "email",
                    "organisation",
                    "town",
                    "workshop_titles",
                    ("lunch", "dietary_needs"),
                    "bus_city",
                    "language",
                ]
            },
        ),
        (gettext_lazy("On the day"), {"fields": ["attended"]}),
        (
            gettext_lazy("Registered and consented"),
            {"fields": ["created", "consented_at", "privacy_notice_version", "anonymised_at"]},
        ),
    ]

    def get_queryset(self, request):
        ahead = (
            Registration.objects.filter(
                event=OuterRef("event"), status=Registration.Status.WAITLISTED, queued_at__isnull=False
            )
            .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), id__lt=OuterRef("id")))
            .order_by()
            .values("event")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(ahead=Subquery(ahead, output_field=IntegerField()))
            .prefetch_related(
                Prefetch(
                    "workshop_choices", queryset=WorkshopChoice.objects.select_related("workshop"), to_attr="choices"
                )
            )
        )

    class Media:
        css = {"all": ["css/admin-registration.css"]}

    def get_list_display(self, request):
        if request.GET.get("event__id__exact"):
            return self.list_display_for_one_event
        return self.list_display

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("event/<int:event_id>/", wrap(self.overview_view), name="registration_registration_overview"),
            path("event/<int:event_id>/export.csv", wrap(self.export_view), name="registration_registration_export"),
            path(
                "event/<int:event_id>/sign-in-sheet/",
                wrap(self.sign_in_sheet_view),
                name="registration_registration_sign_in_sheet",
            ),
            path("<path:object_id>/answers/", wrap(self.answers_view), name="registration_registration_answers"),
            *super().get_urls(),
        ]

    # --- Columns -----------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("name"), ordering="last_name")
    def name(self, obj):
        return f"{obj.last_name}, {obj.first_name}" if not obj.anonymised_at else str(obj)

    @admin.display(description=gettext_lazy("e-mail, organisation"), ordering="email")
    def contact(self, obj):
        if not obj.organisation:
            return obj.email or "—"
        return format_html('{}<br><span class="registration-list__organisation">{}</span>', obj.email, obj.organisation)

    @admin.display(description=gettext_lazy("city"), ordering="city__order")
    def town(self, obj):
        return obj.town or "—"

    @admin.display(description=gettext_lazy("answers"))
    def answers(self, obj):
        """The answers to the event's questions, one line each: workshop, lunch, bus, e-mails."""
        lines = []
        if obj.choices:
            label = _("Workshop") if len(obj.choices) == 1 else _("Workshops")
            lines.append(f"{label}: " + "; ".join(str(choice.workshop) for choice in obj.choices))
        if obj.lunch is not None:
            lines.append(_("Lunch: %(answer)s") % {"answer": display.yes_no(obj.lunch)})
        if obj.bus_city_id:
            lines.append(_("Bus from %(city)s") % {"city": obj.bus_city})
        lines.append(_("E-mails: %(language)s") % {"language": display.language_name(obj.language)})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description=gettext_lazy("status"), ordering=ACTIVE_FIRST)
    def status_and_position(self, obj):
        if obj.status == Registration.Status.WAITLISTED:
            # Annotated in the list (get_queryset): the number of people ahead on the list.
            number = (obj.ahead or 0) + 1 if hasattr(obj, "ahead") else obj.waiting_list_position()
            return display.status(obj, number)
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("workshops"))
    def workshop_titles(self, obj):
        choices = getattr(obj, "choices", None)
        if choices is None:
            choices = obj.workshop_choices.select_related("workshop")
        return "; ".join(str(choice.workshop) for choice in choices) or "—"

    @admin.display(description=gettext_lazy("event"), ordering="event__start")
    def event_short(self, obj):
        return obj.event

    # --- Permissions: rows are added and changed through the rules, not the raw form ------------

    def has_override_permission(self, request):
        return request.user.has_perm("registration.override_capacity")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_override_permission(request):
            actions.pop("confirm_beyond_the_rules", None)
        if not self.has_change_permission(request):
            for name in ("mark_present", "mark_absent", "confirm", "move_to_waiting_list", "cancel_registrations"):
                actions.pop(name, None)
        return actions

    def add_view(self, request, form_url="", extra_context=None):
        """Staff add a registration with the visitors' form, for an event they choose first."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        forms_ = RegistrationSettings.objects.select_related("event")
        event_id = request.GET.get("event") or request.POST.get("event")
        if not event_id:
            may_add_forms = request.user.has_perm("registration.add_registrationsettings")
            return choose_event(
                self,
                request,
                Event.objects.filter(registration_settings__isnull=False),
                title=_("Add a registration: choose the event"),
                intro=(
                    _("Upcoming events with a registration form:"),
                    _("All events with a registration form, the latest first:"),
                ),
                empty=(_("No upcoming event has a registration form."), _("No event has a registration form yet.")),
                add_form_url=reverse("admin:registration_registrationsettings_add") if may_add_forms else "",
            )
        form_settings = forms_.filter(event_id=event_id).first()
        if form_settings is None:
            raise Http404("No registration form")
        return self._answers_form(request, form_settings, None)

    def answers_view(self, request, object_id):
        registration = object_or_none(self, request, object_id)
        if registration is None:
            raise Http404("No such registration")
        # Answers are changed once the address is confirmed (staff confirm an unconfirmed one first).
        if (
            not self.has_change_permission(request, registration)
            or registration.status not in Registration.CONFIRMED_ADDRESS
        ):
            raise PermissionDenied
        return self._answers_form(request, capacity.form_settings(registration.event), registration)

    def _answers_form(self, request, form_settings, registration):
        event = Event.objects.prefetch_related("slots__workshops").get(pk=form_settings.pk)
        places = capacity.availability(event, form_settings)
        data = request.POST if request.method == "POST" else None
        form = RegistrationForm(
            data, event=event, form=form_settings, places=places, staff=True, registration=registration
        )
        if form.is_valid():
            try:
                if registration is None:
                    registration = booking.register(
                        event, form.answers(), language=form.chosen_language(), join_waiting_list=True, by=request.user
                    )
                    self.log_addition(request, registration, [{"added": {}}])
                    self.message_user(request, added_message(registration), messages.SUCCESS)
                else:
                    registration = booking.change(
                        registration, form.answers(), language=form.chosen_language(), by=request.user
                    )
                    self.log_change(request, registration, _("Answers changed"))
                    self.message_user(
                        request, _("The answers of %(name)s are saved.") % {"name": registration}, messages.SUCCESS
                    )
                return HttpResponseRedirect(reverse("admin:registration_registration_change", args=[registration.pk]))
            except errors.AlreadyRegistered:
                form.add_error("email", _("This e-mail address is already registered for this event."))
            except errors.NoPlace as no_place:
                for problem in no_place.problems:
                    form.add_error(form.problem_field(problem), problem.message())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the answers of %(name)s") % {"name": registration}
            if registration
            else _("Add a registration for %(event)s") % {"event": event},
            "form": form,
            "event": event,
            "registration": registration,
            "opts": self.model._meta,
            "places": display.places_left(places, form.cities),
        }
        return TemplateResponse(request, "admin/registration/registration/answers.html", context)

    def delete_queryset(self, request, queryset):
        booking.delete(queryset)

    def delete_model(self, request, obj):
        booking.delete([obj])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["answers_url"] = (
                reverse("admin:registration_registration_answers", args=[obj.pk])
                if obj.status in Registration.CONFIRMED_ADDRESS and self.has_change_permission(request, obj)
                else None
            )
            context["overview_url"] = reverse("admin:registration_registration_overview", args=[obj.event_id])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Actions ----------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Export the selected registrations (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return reports.csv_response(Registration.objects.filter(pk__in=queryset.values("pk")), "registrations")

    @admin.action(description=gettext_lazy("Mark as present"), permissions=["change"])
    def mark_present(self, request, queryset):
        count = booking.set_attendance(queryset, True)
        message = ngettext("%(count)d person marked present.", "%(count)d people marked present.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Mark as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        count = booking.set_attendance(queryset, False)
        message = ngettext("%(count)d person marked absent.", "%(count)d people marked absent.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Confirm (if places, quotas and seats allow)"), permissions=["change"])
    def confirm(self, request, queryset):
        self._move(request, queryset, Registration.Status.CONFIRMED)

    @admin.action(description=gettext_lazy("Move to the waiting list"), permissions=["change"])
    def move_to_waiting_list(self, request, queryset):
        self._move(request, queryset, Registration.Status.WAITLISTED)

    @admin.action(description=gettext_lazy("Cancel (the registrants are told by e-mail)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        self._move(request, queryset, Registration.Status.CANCELLED)

    @admin.action(description=gettext_lazy("Confirm beyond places, quotas and seats (override)…"))
    def confirm_beyond_the_rules(self, request, queryset):
        if not self.has_override_permission(request):
            raise PermissionDenied
        queryset = queryset.exclude(status=Registration.Status.CONFIRMED).exclude(anonymised_at__isnull=False)
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._move(request, queryset, Registration.Status.CONFIRMED, override=True, note=form.cleaned_data["note"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Confirm beyond places, quotas and seats"),
            "registrations": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/registration/registration/override.html", context)

    def _move(self, request, queryset, to_status, override=False, note=""):
        moved, refused, promoted = [], [], []
        for registration in queryset.select_related("event"):
            if registration.status == to_status or registration.anonymised_at:
                continue
            old = registration.get_status_display()
            try:
                promoted += booking.move(registration, to_status, by=request.user, override=override, note=note)
            except errors.NoPlace as no_place:
                refused.append((registration, " ".join(str(p.message()) for p in no_place.problems)))
                continue
            except errors.AlreadyRegistered:
                refused.append((registration, _("The address is registered again meanwhile.")))
                continue
            registration.refresh_from_db()
            message = _("%(old)s → %(new)s") % {"old": old, "new": registration.get_status_display()}
            if override:
                message += " – " + _("beyond the rules: %(reason)s") % {"reason": note}
            self.log_change(request, registration, message)
            moved.append(registration)
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration moved: %(names)s.", "%(count)d registrations moved: %(names)s.", len(moved)
                )
                % {"count": len(moved), "names": ", ".join(str(r) for r in moved)},
                messages.SUCCESS,
            )
        for registration, reason in refused:
            self.message_user(
                request,
                _("%(name)s was not moved: %(reason)s") % {"name": registration, "reason": reason},
                messages.WARNING,
            )
        if promoted:
            self.message_user(
                request,
                _("Given a place from the waiting list: %(names)s.") % {"names": ", ".join(str(r) for r in promoted)},
                messages.INFO,
            )

    # --- Per event: overview, CSV export, sign-in sheet -------------------------------------------

    def _event(self, request, event_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = Event.objects.select_related("venue").filter(pk=event_id).first()
        form_settings = capacity.form_settings(event) if event is not None else None
        if form_settings is None:
            raise Http404("No registration form")
        return event, form_settings

    def overview_view(self, request, event_id):
        event, form_settings = self._event(request, event_id)
        context = {
            **self.admin_site.each_context(request),
            **reports.overview(event, form_settings),
            "title": _("Registrations: %(event)s") % {"event": event},
            "opts": self.model._meta,
            "changelist_url": reverse("admin:registration_registration_changelist"),
            "form_url": reverse("admin:registration_registrationsettings_change", args=[event.pk]),
            "export_url": reverse("admin:registration_registration_export", args=[event.pk]),
            "sign_in_url": reverse("admin:registration_registration_sign_in_sheet", args=[event.pk]),
            "add_url": reverse("admin:registration_registration_add") + f"?event={event.pk}",
        }
        return TemplateResponse(request, "admin/registration/registration/overview.html", context)

    def export_view(self, request, event_id):
        event, _form = self._event(request, event_id)
        return reports.csv_response(event.registrations.all(), event.slug_in(translation.get_language()))

    def sign_in_sheet_view(self, request, event_id):
        event, form_settings = self._event(request, event_id)
        return TemplateResponse(
            request, "admin/registration/registration/sign_in_sheet.html", reports.sign_in_sheet(event, form_settings)
        )


def added_message(registration):
    if registration.status == Registration.Status.CONFIRMED:
        return _("%(name)s is registered and confirmed; the confirmation is sent.") % {"name": registration}
    return _("No place left for %(name)s: on the waiting list at number %(position)s; the e-mail is sent.") % {
        "name": registration,
        "position": registration.position,
    }
