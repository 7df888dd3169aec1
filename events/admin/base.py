"""What every admin screen of the events app shares."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

# Addresses typed without a scheme ("www.example.org") are taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def object_or_none(model_admin, request, object_id):
    """The object an admin page's address names, among those the admin shows to this staff member
    (``get_queryset``), or ``None``: deleted meanwhile, or a key that is no key (a mistyped address).
    The project's keys are numbers, which the admin writes into its addresses as they are."""
    try:
        return model_admin.get_queryset(request).get(pk=object_id)
    except (model_admin.model.DoesNotExist, ValidationError, ValueError):
        return None


def object_missing(model_admin, request, object_id):
    """A page of an object that is not there (deleted meanwhile, or a mistyped address): Django's
    own warning, in the staff member's language (Django's message, so Django's translations),
    and back to the list of that model."""
    opts = model_admin.opts
    message = _("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?") % {
        "name": opts.verbose_name,
        "key": object_id,
    }
    messages.warning(request, message)
    name = f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
    return redirect(reverse(name, current_app=model_admin.admin_site.name))


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
