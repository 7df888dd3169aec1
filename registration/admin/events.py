"""The event admin with the registration app's part: cancelling an event that has registrants,
and the object tool leading to the event's registrations.

Events know nothing of registration (the layers run one way), so this module extends the events
app's ``EventAdmin`` and registers the extension in its place (``admin.site.unregister`` /
``register``, Django's documented way). When staff save an event as cancelled — ticking
"cancelled", or restoring a cancelled version from the history — and registrants would be told,
the form asks first: "N registrants will be e-mailed …", to be answered "e-mail them" or "do not
e-mail them". Only then is the event saved, and ``services.booking.cancel_event`` called with
the answer. Saving a cancelled event again, or cancelling one without registrants, asks nothing.

Among the event form's object tools (``extra_object_tools`` of its template) a link to the
event's registrations (their overview), or, for an event without a registration form, to
setting one up (one query: whether the event has a registration form).
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.admin.events import EventAdmin
from events.models import Event

from ..models import RegistrationSettings
from ..services import booking, notifications

EMAIL, SILENT = "email", "silent"
NOTICE_FIELD = "cancellation_notice"
CHANGE_NOTICE_FIELD = "change_notice"
# What registrants plan by: a change of one of these asks whether to tell them (issue 27).
CHANGE_FIELDS = {"start", "end", "venue", "event_status", "attendance_mode", "online_url"}


def change_notice_field():
    return forms.ChoiceField(
        label=_("Registrants of the changed event"),
        choices=[
            (EMAIL, _("E-mail each of them the change, with the new calendar file")),
            (SILENT, _("Do not e-mail them")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Asked when the date, place, attendance or status of an event with registrants changes."),
    )


def notice_field():
    return forms.ChoiceField(
        label=_("Registrants of the cancelled event"),
        choices=[(EMAIL, _("E-mail them that the event is cancelled")), (SILENT, _("Do not e-mail them"))],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Asked when the event is saved as cancelled and has registrants to tell."),
    )


def registration_object_tool(user, event):
    """The object tool of the event's registrations, or "" when there is none for this user."""
    if RegistrationSettings.objects.filter(event_id=event.pk).exists():
        if not user.has_perm("registration.view_registration"):
            return ""
        url = reverse("admin:registration_registration_overview", args=[event.pk])
        label = gettext("Registrations")
    elif event.registration_url_de or event.registration_url_fr:
        return ""  # it links to an external form instead
    elif user.has_perm("registration.add_registrationsettings"):
        url = reverse("admin:registration_registrationsettings_add") + f"?event={event.pk}"
        label = gettext("Set up registration")
    else:
        return ""
    return format_html('<li><a href="{}" class="registrationlink">{}</a></li>', url, label)


class EventWithRegistrationAdmin(EventAdmin):
    # --- Was the event cancelled before this save? ------------------------------------------

    @staticmethod
    def _was_cancelled(request, object_id):
        """Read before reversion reverts the database for a restore (revision_view)."""
        if not hasattr(request, "event_was_cancelled"):
            request.event_was_cancelled = (
                object_id is not None and Event.objects.filter(pk=object_id, is_cancelled=True).exists()
            )
        return request.event_was_cancelled

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":  # only a save can cancel (showing the form reads nothing more)
            self._was_cancelled(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self._was_cancelled(request, object_id)
        request.event_restoring = True  # a restored date or status e-mails nobody
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.event_was_cancelled = False  # a deleted event's registrations were deleted with it
        request.event_restoring = True
        return super().recover_view(request, version_id, extra_context)

    # --- The question ----------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        was_cancelled = getattr(request, "event_was_cancelled", False)

        restoring = getattr(request, "event_restoring", False)

        class Form(kwargs.get("form", self.form)):
            cancellation_notice = notice_field()
            change_notice = change_notice_field()

            def clean(self):
                cleaned = super().clean()
                self.ask_about_change(cleaned)
                self.registrants_to_tell = 0
                if self.instance.pk is None or was_cancelled or not cleaned.get("is_cancelled"):
                    return cleaned
                self.registrants_to_tell = notifications.to_tell_of_cancellation(self.instance).count()
                if self.registrants_to_tell and not cleaned.get(NOTICE_FIELD):
                    self.add_error(
                        NOTICE_FIELD,
                        ngettext(
                            "%(count)d registrant will be e-mailed that the event is cancelled. "
                            "Confirm it below, or choose not to e-mail them.",
                            "%(count)d registrants will be e-mailed that the event is cancelled. "
                            "Confirm it below, or choose not to e-mail them.",
                            self.registrants_to_tell,
                        )
                        % {"count": self.registrants_to_tell},
                    )
                return cleaned

            def ask_about_change(self, cleaned):
                """The confirmation before registrants are told of a new date, place, attendance or
                status: the form comes back with the question until staff answer it."""
                self.registrants_to_tell_of_change = 0
                if self.instance.pk is None or restoring or cleaned.get("is_cancelled"):
                    return
                if not CHANGE_FIELDS & set(self.changed_data):
                    return
                self.registrants_to_tell_of_change = notifications.to_tell_of_change(self.instance).count()
                if self.registrants_to_tell_of_change and not cleaned.get(CHANGE_NOTICE_FIELD):
                    self.add_error(
                        CHANGE_NOTICE_FIELD,
                        ngettext(
                            "%(count)d registrant can be e-mailed about this change, in their language, with "
                            "the new calendar file. Choose below whether to e-mail them, then save again.",
                            "%(count)d registrants can be e-mailed about this change, in their language, with "
                            "the new calendar file. Choose below whether to e-mail them, then save again.",
                            self.registrants_to_tell_of_change,
                        )
                        % {"count": self.registrants_to_tell_of_change},
                    )

        return super().get_form(request, obj, change=change, **{**kwargs, "form": Form})

    def get_fieldsets(self, request, obj=None):
        """The questions beside "cancelled" and beside the status, on the form of an event not
        cancelled before."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or getattr(request, "event_was_cancelled", False):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        item
                        for field in options["fields"]
                        for item in (
                            (field, NOTICE_FIELD)
                            if field == "is_cancelled"
                            else (field, CHANGE_NOTICE_FIELD)
                            if field == ("event_status", "previous_start")
                            else (field,)
                        )
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            tool = registration_object_tool(request.user, obj)
            context["extra_object_tools"] = [*context.get("extra_object_tools", ()), *([tool] if tool else [])]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "registrants_to_tell", 0):
            booking.cancel_event(obj, notify=form.cleaned_data.get(NOTICE_FIELD) == EMAIL)
        elif getattr(form, "registrants_to_tell_of_change", 0) and form.cleaned_data.get(CHANGE_NOTICE_FIELD) == EMAIL:
            told = notifications.tell_event_changed(obj)
            self.message_user(
                request,
                ngettext(
                    "%(count)d registrant is being e-mailed about the change.",
                    "%(count)d registrants are being e-mailed about the change.",
                    told,
                )
                % {"count": told},
            )


admin.site.unregister(Event)
admin.site.register(Event, EventWithRegistrationAdmin)
