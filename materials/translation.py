"""The fields of a material kept in French and German (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Material


@register(Material)
class MaterialTranslationOptions(TranslationOptions):
    # A title in one language is enough (a French-only minutes needs only its French title);
    # the other falls back to it.
    fields = ("title", "alt_text", "alternative")
    required_languages = ()
