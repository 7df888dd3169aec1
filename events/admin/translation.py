"""The side-by-side translation page of an event: every text of the event and its programme in two
columns, Deutsch | Français, in programme order, the missing ones marked, saved in one submit.
``texts_view`` is the page itself, for any model whose texts a ``translation_forms.Texts`` gathers
(the site pages use it too).

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
from ..translation_forms import EventTexts
from .base import object_missing


def translation_view(model_admin, request, object_id):
    """The page, for ``EventAdmin`` (which routes ``<id>/translate/`` here)."""
    try:
        event = EventTexts.load(object_id)
    except (Event.DoesNotExist, ValueError):
        return object_missing(model_admin, request, object_id)
    return texts_view(model_admin, request, event, EventTexts)


def texts_view(model_admin, request, obj, texts_class):
    """The side-by-side page of ``obj`` (read by the caller), its texts as ``texts_class`` (a
    ``translation_forms.Texts``) gives them: any model admin's ``<id>/translate/`` (the site pages'
    too, pages/admin.py). Saving is one revision of ``obj`` with everything saved with it."""
    if not model_admin.has_change_permission(request, obj):
        raise PermissionDenied

    def can_edit(model):
        return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")

    info = model_admin.opts.app_label, model_admin.opts.model_name
    change_url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
    texts = texts_class(obj, request.POST if request.method == "POST" else None, can_edit=can_edit)
    if request.method == "POST" and texts.is_valid():
        # The history records what changed, from the database as it was (events.history).
        edited = [form.instance for form in texts.changed_forms()]
        shared = [other for other in edited if other._meta.model_name not in history.PROGRAMME and other is not obj]
        recorder = history.Recorder("translated", count=len(edited))
        with create_revision():
            set_user(request.user)
            recorder.before(obj, *shared)
            changed = texts.save()
            if changed:
                add_to_revision(obj)  # an event with its whole programme, as every version of an event
                change = recorder.after(obj, *shared)
                set_comment(recorder.comment())
        if changed:
            model_admin.log_change(request, obj, change)
            message = ngettext(
                "The texts of %(count)d object were saved.", "The texts of %(count)d objects were saved.", len(changed)
            ) % {"count": len(changed)}
            model_admin.message_user(request, message, messages.SUCCESS)
        else:
            model_admin.message_user(request, _("Nothing was changed."), messages.INFO)
        if "_return" in request.POST:
            return redirect(change_url)
        return redirect(request.path)

    names = {code: native_name(code) for code in language_codes()}
    missing = texts.missing_counts()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Translate side by side"),
        "subtitle": str(obj),
        "opts": model_admin.opts,
        "original": obj,
        "texts": texts,
        "languages": [(code, names[code]) for code in language_codes()],
        "missing_counts": [(names[code], missing[code]) for code in language_codes()],
        "has_errors": request.method == "POST",
        "change_url": change_url,
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/translate.html", context)
