"""The table of equivalent place names, kept by the Sekretariat."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Place, PlaceName


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
