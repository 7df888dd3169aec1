"""The embeddable list (/de/einbetten/, /fr/integrer/): the upcoming events, filtered by city,
category or project group, in the page's language, for an ``iframe`` on a partner's site. A page
of its own — no header, no menu, no script — whose links open on the site itself (``target=_top``
would leave the partner's page: they open in a new tab). Which sites may frame it:
settings.EMBED_ALLOWED_ORIGINS (api/middleware.py)."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from events.forms import MonthFilterForm
from events.models import Event, ProjectGroup

from .parameters import EMBED as PARAMETERS

# The most events an embed lists (a city's page shows a few; the link leads to the rest).
EMBED_LIMIT = 20


class EmbedFilterForm(MonthFilterForm):
    """The lists' city and category filters, and the project group (by id)."""

    project_group = forms.ModelChoiceField(
        label=_("Project group"),
        queryset=ProjectGroup.objects.all(),
        required=False,
        empty_label=_("All project groups"),
    )

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data.get("project_group"):
            queryset = queryset.filter(project_group=self.cleaned_data["project_group"])
        return queryset


@require_safe
def embed(request):
    form = EmbedFilterForm(request.GET or None)
    unknown = sorted(set(request.GET) - set(PARAMETERS))
    if unknown or (form.is_bound and not form.is_valid()):
        names = unknown or sorted(form.errors)
        return render(request, "api/embed.html", {"invalid": ", ".join(names)}, status=400)
    now = timezone.now()
    events = Event.objects.published(now)
    if form.is_bound:
        events = form.filter(events)
    events = events.upcoming(now).for_listing()
    return render(request, "api/embed.html", {"events": list(events[:EMBED_LIMIT]), "form": form})
