"""Every fieldset of the Sekretariat's forms has a name that assistive technology reads out (a
legend, or a heading it is labelled by), in both admin languages: the venue and person forms,
the person pop-up of the programme editor, the registration settings and a registration; and
the header cells of their tables are never empty."""

import html
import re

import pytest
from django.urls import reverse

from registration.models import Registration
from tests.factories import PersonFactory, VenueFactory
from tests.registration.factories import RegistrationFactory, RegistrationSettingsFactory

pytestmark = pytest.mark.django_db

FIRST_FIELDSET = {
    "venue": {"de": "Name und Adresse", "fr": "Nom et adresse"},
    "person": {"de": "Name und Funktion", "fr": "Nom et fonction"},
    "person pop-up": {"de": "Name und Funktion", "fr": "Nom et fonction"},
    "registration settings": {"de": "Veranstaltung", "fr": "Événement"},
    "registration": {"de": "Veranstaltung und Status", "fr": "Événement et statut"},
}


def form_address(form):
    if form == "venue":
        return reverse("admin:events_venue_change", args=[VenueFactory().pk])
    if form == "person":
        return reverse("admin:events_person_change", args=[PersonFactory().pk])
    if form == "person pop-up":  # as the programme editor's "add another person" opens it
        return reverse("admin:events_person_add") + "?_to_field=id&_popup=1"
    if form == "registration settings":
        return reverse("admin:registration_registrationsettings_change", args=[RegistrationSettingsFactory().pk])
    registration = RegistrationFactory(status=Registration.Status.CONFIRMED)
    return reverse("admin:registration_registration_change", args=[registration.pk])


def fieldset_names(page):
    """The name of each fieldset of the page, "" for one without: its legend, or the text of the
    element its aria-labelledby names."""
    names = []
    for opening, content in re.findall(r"(<fieldset\b[^>]*>)(.*?)</fieldset>", page, re.DOTALL):
        legend = re.search(r"<legend\b[^>]*>(.*?)</legend>", content, re.DOTALL)
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening)
        name = legend[1] if legend else ""
        if labelled_by:
            label = re.search(rf'id="{re.escape(labelled_by[1])}"[^>]*>(.*?)</', page, re.DOTALL)
            name = label[1] if label else ""
        names.append(" ".join(html.unescape(re.sub(r"<[^>]+>", "", name)).split()))
    return names


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("form", FIRST_FIELDSET)
def test_every_fieldset_of_the_secretariats_forms_has_a_name(secretary, form, language):
    address = form_address(form)
    secretary.post(reverse("set_language"), {"language": language, "next": address})
    response = secretary.get(address)
    assert response.status_code == 200
    names = fieldset_names(response.content.decode())
    assert names[0] == FIRST_FIELDSET[form][language]
    assert "" not in names, names


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("form", ["registration settings", "registration"])
def test_the_tables_of_the_registration_forms_have_no_empty_header(secretary, form, language):
    """Their tables (quotas and seats; history and e-mails) are Django's tabular inlines, whose
    first column holds each row's entry: its header is named for screen readers."""
    address = form_address(form)
    secretary.post(reverse("set_language"), {"language": language, "next": address})
    page = secretary.get(address).content.decode()
    headers = [
        " ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S)
    ]
    assert len(headers) > 10
    assert "" not in headers
    assert {"de": "Eintrag", "fr": "Entrée"}[language] in headers
