""" "Paste the programme": the programme table of the invitation, pasted, previewed and saved.

Reached from the event's change form. The secretary pastes the table (both languages, or one
and then the other), sees the preview — every slot with its time and both titles, its kind
(changeable), its speakers (people already known, or new people with their affiliation in each
language), its workshops and every problem the parser or the event's days and hours raise —
and confirms: the slots are added to the programme, or replace it when the secretary chooses
so and confirms it. Every submit parses the pasted text again (it travels in the form); a
preview stores nothing, so a preview left is nothing saved. Saving is one transaction and one
revision in the history, with the secretary's name.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from reversion import add_to_revision, create_revision, set_comment, set_user

from .. import history
from ..language import language_codes, language_name, native_name
from ..models import Event
from ..programme.paste import example
from ..programme.paste.problems import WORKSHOPS_EXAMPLE
from ..programme.paste_forms import ChoicesForm, PasteForm
from ..programme.planner import ProgrammeImport
from .base import object_missing

# What adding a pasted programme takes, besides changing the event.
ADD_PERMISSIONS = ("events.add_programmeslot", "events.add_workshop", "events.add_slotspeaker")
REPLACE_PERMISSIONS = ("events.delete_programmeslot", "events.delete_workshop", "events.delete_slotspeaker")


def paste_view(model_admin, request, object_id):
    """The page, for ``EventAdmin`` (which routes ``<id>/programme/paste/`` here)."""
    try:
        event = Event.objects.select_related("venue").get(pk=object_id)
    except (Event.DoesNotExist, ValueError):
        return object_missing(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, event) or not request.user.has_perms(ADD_PERMISSIONS):
        raise PermissionDenied
    can_replace = request.user.has_perms(REPLACE_PERMISSIONS)
    change_url = reverse("admin:events_event_change", args=[event.pk])

    paste, plan, choices, checksum = PasteForm(), None, None, ""
    if request.method == "POST":
        paste = PasteForm(request.POST)
        if paste.is_valid():
            proposal = paste.proposal()
            plan = ProgrammeImport(
                event,
                proposal,
                can_add_people=request.user.has_perm("events.add_person"),
                two_pastes=bool(paste.cleaned_data["second_text"].strip()),
            )
            if plan.is_one_language:
                label = _("The programme in %(language)s") % {"language": language_name(plan.missing_language)}
                paste["second_text"].label = paste.fields["second_text"].label = label
            checksum = paste.checksum()
            # The choices made on this very preview are kept; a changed text starts afresh.
            same = request.POST.get("checksum") == checksum
            confirming = "_confirm" in request.POST
            choices = ChoicesForm(
                request.POST if same else None, plan=plan, can_replace=can_replace, confirming=confirming
            )
            if choices.is_bound and choices.is_valid():
                choices.apply()
            if confirming and not same:
                messages.warning(request, _("The pasted text changed since the preview: check it again, then save."))
            elif confirming and choices.is_valid() and plan.can_confirm:
                replace = choices.replaces
                recorder = history.Recorder("pasted", replaced=replace)
                with create_revision():
                    set_user(request.user)
                    recorder.before(event)
                    slots = plan.save(replace=replace)
                    recorder.params["count"] = len(slots)
                    add_to_revision(event)  # with its whole programme, as every version of an event
                    change = recorder.after(event)
                    set_comment(recorder.comment())
                model_admin.log_change(request, event, change)
                model_admin.message_user(request, history.programme_message(len(slots), replace), messages.SUCCESS)
                return redirect(f"{change_url}#programme")
            elif confirming:
                messages.error(request, _("Nothing was saved: solve the problems marked below first."))

    names = {code: native_name(code) for code in language_codes()}
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Paste the programme"),
        "subtitle": str(event),
        "opts": model_admin.opts,
        "original": event,
        "event": event,
        "paste": paste,
        "plan": plan,
        "choices": choices,
        "rows": preview_rows(plan, choices) if plan else [],
        "checksum": checksum,
        "languages": [(code, names[code]) for code in language_codes()],
        "missing_language_name": language_name(plan.missing_language) if plan and plan.is_one_language else "",
        "change_url": change_url,
        "example": example.ROWS,
        "example_headings": [_("French time"), _("French text"), _("German time"), _("German text")],
        "workshops_example": WORKSHOPS_EXAMPLE,
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/events/event/paste_programme.html", context)


def preview_rows(plan, choices):
    """Each planned slot with the fields of its choices: (slot, kind field, [(speaker, field)])."""
    return [
        (slot, choices[slot.field_name], [(speaker, choices[speaker.field_name]) for speaker in slot.speakers])
        for slot in plan.slots
    ]
