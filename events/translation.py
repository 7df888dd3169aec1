"""The fields django-modeltranslation keeps in French and German."""

from modeltranslation.translator import TranslationOptions, register

from .models import TRANSLATED_EVENT_FIELDS, Category, City, Event, Person, ProgrammeSlot, ProjectGroup, Venue, Workshop


@register(City)
class CityTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("de", "fr")


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("de", "fr")


@register(ProjectGroup)
class ProjectGroupTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("de",)


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    # Places have names in both languages: Saarbrücken is Sarrebruck, Deutschland is Allemagne.
    fields = ("name", "locality", "country", "accessibility_note")
    # The accessibility note is optional in both languages (the completeness check asks for the
    # other language once one is written).
    required_languages = {"de": ("name", "locality", "country")}


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("role", "affiliation")


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = TRANSLATED_EVENT_FIELDS
    # One language is enough to start with: the other falls back until it is written
    # (Event.clean() insists on a title and a slug in at least one language).
    required_languages = ()
    empty_values = {"slug": None}


@register(ProgrammeSlot)
class ProgrammeSlotTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


@register(Workshop)
class WorkshopTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()
