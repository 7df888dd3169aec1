"""The fields django-modeltranslation keeps in German and French."""

from modeltranslation.translator import TranslationOptions, register

from .models import AccessibilityStatement, ManualFinding, Organisation, SitePage


@register(SitePage)
class SitePageTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "body")
    # One language is enough to save a draft; SitePage.clean() asks for a title in one, and the
    # admin warns about every text missing in the other.
    required_languages = ()
    empty_values = {"slug": ""}


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = Organisation.TRANSLATED
    required_languages = ()


@register(AccessibilityStatement)
class AccessibilityStatementTranslationOptions(TranslationOptions):
    fields = ("method",)
    required_languages = ()


@register(ManualFinding)
class ManualFindingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "alternative")
    required_languages = ("de", "fr")
