"""What every admin screen of the events app shares."""

from django.db import models
from modeltranslation.translator import translator

# Addresses typed without a scheme ("www.example.org") are taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


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
