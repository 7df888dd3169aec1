"""The texts of the registration app kept in French and German (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import RegistrationSettings


@register(RegistrationSettings)
class RegistrationSettingsTranslationOptions(TranslationOptions):
    fields = ("privacy_notice",)
    required_languages = ("de", "fr")
