"""The table of equivalent place names, kept by the Sekretariat; the events' admin searching as
the public search does."""

from contextlib import nullcontext

from django.contrib import admin
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _

from events.models import Event

from . import index
from .models import Place, PlaceName
from .query import found, terms_of
from .text import query_words


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    fields = ["name"]
    extra = 2
    min_num = 1
    verbose_name = _("name")
    verbose_name_plural = _("Names of the place (a search for one finds all of them)")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["label", "names_list"]
    search_fields = ["label", "names__name"]
    inlines = [PlaceNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def names_list(self, place):
        return ", ".join(name.name for name in place.names.all())


class SearchingEventAdmin(type(admin.site.get_model_admin(Event))):
    """The events' admin as registered before (events', extended by registration: both apps
    come before this one in INSTALLED_APPS), with two things the search adds:

    - its search box finds events as the public search does (search.query: both languages,
      accents, German spellings, stemming, exonyms — "Trèves" finds the events in Trier —
      and, on PostgreSQL, typos);
    - a save of the event with its programme (the change form, a restored version, a pasted
      programme, the side-by-side translation) rebuilds the event's search document once, at
      the end, and before its transaction commits (search.index.collecting), instead of once
      per saved row."""

    def get_search_results(self, request, queryset, search_term):
        words = query_words(search_term)
        if not words:  # nothing the search can look for ("a", "?"): Django's way, folded
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(found(terms_of(words))), False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._collecting(request, super().changeform_view, request, object_id, form_url, extra_context)

    def paste_view(self, request, object_id):
        return self._collecting(request, super().paste_view, request, object_id)

    def translation_view(self, request, object_id):
        return self._collecting(request, super().translation_view, request, object_id)

    def _collecting(self, request, view, *args):
        if request.method != "POST":  # showing a form saves nothing
            return view(*args)
        # A transaction around the collecting block (unless the view runs in one already): the
        # documents are rebuilt before it commits.
        using = router.db_for_write(Event)
        around = nullcontext() if transaction.get_connection(using).in_atomic_block else transaction.atomic(using)
        with around, index.collecting():
            return view(*args)


admin.site.unregister(Event)
admin.site.register(Event, SearchingEventAdmin)
