"""The side-by-side translation page of an event: every text of the event and its programme in two
columns, Deutsch | Français, in programme order, the missing ones marked, saved in one submit.

This is the page a translator is sent to (the event's change form links to it, and so does the
events list where texts are missing). It edits texts only; the programme's slots, times and order
stay on the change form. Saving is one revision in the history, with the translator's name.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion import add_to_revision, create_revision, set_comment, set_user

from .. import history
from ..language import language_codes, native_name
from ..models import Event
from ..programme.completeness import by_language, missing_texts
from ..translation_forms import EventTexts
from .base import object_missing


def translation_view(model_admin, request, object_id):
    """The page, for ``EventAdmin`` (which routes ``<id>/translate/`` here)."""
    try:
        event = EventTexts.load(object_id)
    except (Event.DoesNotExist, ValueError):
        return object_missing(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, event):
        raise PermissionDenied

    def can_edit(model):
        return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")

    texts = EventTexts(event, request.POST if request.method == "POST" else None, can_edit=can_edit)
    if request.method == "POST" and texts.is_valid():
        # The history records what changed, from the database as it was (events.history).
        edited = [form.instance for form in texts.changed_forms()]
        shared = [obj for obj in edited if obj._meta.model_name not in history.PROGRAMME and obj is not event]
        recorder = history.Recorder("translated", count=len(edited))
        with create_revision():
            set_user(request.user)
            recorder.before(event, *shared)
            changed = texts.save()
            if changed:
                add_to_revision(event)  # with its whole programme, as every version of an event
                change = recorder.after(event, *shared)
                set_comment(recorder.comment())
        if changed:
            model_admin.log_change(request, event, change)
            message = ngettext(
                "The texts of %(count)d object were saved.", "The texts of %(count)d objects were saved.", len(changed)
            ) % {"count": len(changed)}
            model_admin.message_user(request, message, messages.SUCCESS)
        else:
            model_admin.message_user(request, _("Nothing was changed."), messages.INFO)
        if "_return" in request.POST:
            return redirect(reverse("admin:events_event_change", args=[event.pk]))
        return redirect(request.path)

    names = {code: native_name(code) for code in language_codes()}
    missing = by_language(missing_texts(event))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Translate side by side"),
        "subtitle": str(event),
        "opts": model_admin.opts,
        "original": event,
        "event": event,
        "texts": texts,
        "languages": [(code, names[code]) for code in language_codes()],
        "missing_counts": [(names[code], len(missing[code])) for code in language_codes()],
        "has_errors": request.method == "POST",
        "change_url": reverse("admin:events_event_change", args=[event.pk]),
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/events/event/translate.html", context)
