"""The embed generator in the admin: staff choose the filters and the language, see the list as
it will appear, and copy the ``iframe`` snippet for a partner's site. For the Sekretariat (who
may view events: quattropole_site/roles.py); the sites allowed to embed are in the settings.
The snippet's script, served from this site, sizes the iframe to the list; the height chosen
here is the iframe's height where that script does not run."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.models import Category, City, ProjectGroup

from .parameters import EMBED

PERMISSION = "events.view_event"
RESIZE_SCRIPT = "js/embed-resize.js"


class SnippetForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.all(), to_field_name="code", required=False, empty_label=_("All cities")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
    )
    project_group = forms.ModelChoiceField(
        label=_("Project group"),
        queryset=ProjectGroup.objects.all(),
        required=False,
        empty_label=_("All project groups"),
    )
    height = forms.IntegerField(
        label=_("Height in pixels"),
        min_value=200,
        max_value=3000,
        initial=600,
        help_text=_("The code's script gives the list the height it needs; this height is kept where it cannot run."),
    )


def embed_address(request, data):
    """The embeddable list's absolute address for the chosen language and filters."""
    query = []
    for name in EMBED:
        value = data.get(name)
        if value:
            query.append(f"{name}={getattr(value, 'code', None) or value.pk}")
    with translation.override(data["language"]):
        path = reverse("embed")
    return request.build_absolute_uri(path + (f"?{'&'.join(query)}" if query else ""))


def resize_script_address(request):
    """The address of the script that sizes the iframe to the list on the partner's page
    (static/js/embed-resize.js): its unhashed name, which stays valid when the file changes (the
    snippet lives on in the partner's page; the file is cached for a minute, WHITENOISE_MAX_AGE)."""
    return request.build_absolute_uri(f"{settings.STATIC_URL}{RESIZE_SCRIPT}")


def generator(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = SnippetForm(request.GET or None, initial={"language": translation.get_language()})
    context = {
        **admin.site.each_context(request),
        "title": _("Embed the events on another site"),
        "form": form,
        "allowed": settings.EMBED_ALLOWED_ORIGINS,
    }
    if form.is_bound and form.is_valid():
        address = embed_address(request, form.cleaned_data)
        with translation.override(form.cleaned_data["language"]):
            title = str(_("QuattroPole events"))
        context.update(
            address=address,
            snippet=(
                f'<iframe src="{address}" title="{title}" width="100%" '
                f'height="{form.cleaned_data["height"]}" loading="lazy"></iframe>\n'
                f'<script src="{resize_script_address(request)}" defer></script>'
            ),
        )
    return render(request, "admin/api/generator.html", context)
