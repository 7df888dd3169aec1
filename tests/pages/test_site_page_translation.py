"""The side-by-side translation page of a site page (``admin:pages_sitepage_translate``): both
languages of every text next to each other, the missing ones marked, saved in one submit as one
revision of the page's history, linked from its form and from the list where a text is missing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from reversion.models import Version

from pages.models import Organisation, SitePage
from tests.test_admin import form_values

pytestmark = pytest.mark.django_db


def translate_url(page):
    return reverse("admin:pages_sitepage_translate", args=[page.pk])


def test_a_secretary_sees_both_languages_side_by_side_with_the_missing_french_marked(secretary, site_pages):
    page = site_pages["easy_language"]
    SitePage.objects.filter(pk=page.pk).update(body_fr="")

    response = secretary.get(translate_url(page))

    assert response.status_code == 200
    html = response.content.decode()
    page.refresh_from_db()
    german, title_fr = (
        html.index(f'name="sitepage-{page.pk}-body_de"'),
        html.index(f'name="sitepage-{page.pk}-title_fr"'),
    )
    assert html.index(f'name="sitepage-{page.pk}-title_de"') < title_fr < german, "row by row, Deutsch | Français"
    assert f'value="{page.title_fr}"' in html and page.body_de.splitlines()[0] in html
    assert f'aria-describedby="id_sitepage-{page.pk}-body_fr_missing"' in html
    assert f'aria-describedby="id_sitepage-{page.pk}-body_de_missing"' not in html
    assert "Französisch: 1 Text fehlt" not in html and "Français: 1 Text fehlt" in html
    assert f'name="sitepage-{page.pk}-slug_de"' not in html, "the legal pages' addresses are fixed"


def test_the_legal_notice_shows_the_publishers_translated_data_too(secretary, site_pages):
    Organisation.objects.filter(pk=1).update(register_court_fr="")

    html = secretary.get(translate_url(site_pages["legal_notice"])).content.decode()

    assert 'name="organisation-1-register_court_de"' in html
    assert 'aria-describedby="id_organisation-1-register_court_fr_missing"' in html
    assert "Gemeinsam genutzt: Impressum und Datenschutzerklärung zeigen beide diese Angaben." in html


def test_saving_writes_both_languages_as_one_revision_by_the_translator(secretary, site_pages):
    page = site_pages["legal_notice"]
    data = form_values(secretary.get(translate_url(page)))
    data.update(
        {
            f"sitepage-{page.pk}-summary_de": "Wer diese Website herausgibt.",
            f"sitepage-{page.pk}-summary_fr": "Qui publie ce site.",
            "organisation-1-register_court_fr": "Tribunal d’instance de Sarrebruck",
        }
    )

    response = secretary.post(translate_url(page), data)

    assert response.status_code == 302 and response["Location"] == translate_url(page)
    page.refresh_from_db()
    assert (page.summary_de, page.summary_fr) == ("Wer diese Website herausgibt.", "Qui publie ce site.")
    assert Organisation.current().register_court_fr == "Tribunal d’instance de Sarrebruck"
    versions = Version.objects.get_for_object(page)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.user == secretary.user
    assert {v.content_type.model for v in revision.version_set.all()} == {"sitepage", "organisation"}
    history = secretary.get(reverse("admin:pages_sitepage_history", args=[page.pk])).content.decode()
    assert "Kurzbeschreibung (Französisch)" in history and "<ins>site.</ins>" in history
    assert "Registergericht (Französisch)" in history and "Tribunal d’instance de Sarrebruck" in history


def test_restoring_the_version_before_brings_the_old_text_back(secretary, site_pages):
    page = site_pages["privacy"]
    old_title = page.title_fr
    data = form_values(secretary.get(translate_url(page)))
    assert (
        secretary.post(translate_url(page), {**data, f"sitepage-{page.pk}-body_de": "Erste Fassung."}).status_code
        == 302
    )
    data = form_values(secretary.get(translate_url(page)))
    data[f"sitepage-{page.pk}-title_fr"] = "Vos données"
    assert secretary.post(translate_url(page), data).status_code == 302
    assert SitePage.objects.get(pk=page.pk).title_fr == "Vos données"

    first = Version.objects.get_for_object(page).order_by("pk").first()
    restore_url = reverse("admin:pages_sitepage_revision", args=[page.pk, first.pk])
    restore = secretary.get(restore_url)
    assert restore.status_code == 200
    response = secretary.post(restore_url, form_values(restore))

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title_fr == old_title and page.body_de == "Erste Fassung."


def test_nothing_is_saved_while_a_text_is_wrong(secretary, site_pages):
    page = site_pages["accessibility"]
    data = form_values(secretary.get(translate_url(page)))
    data.update(
        {
            f"sitepage-{page.pk}-title_de": "",
            f"sitepage-{page.pk}-title_fr": "",
            f"sitepage-{page.pk}-summary_fr": "Nouveau",
        }
    )

    response = secretary.post(translate_url(page), data)

    assert response.status_code == 200
    assert "Nouveau" in response.content.decode(), "the input is kept"
    assert "mindestens einer Sprache" in response.content.decode()
    page.refresh_from_db()
    assert page.title_de and page.summary_fr != "Nouveau"
    assert not Version.objects.get_for_object(page).exists()


def test_a_staff_member_without_the_right_to_change_pages_gets_403(client, site_pages):
    user = get_user_model().objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    page = site_pages["privacy"]
    assert client.get(translate_url(page)).status_code == 403
    assert client.post(translate_url(page), {}).status_code == 403


@pytest.mark.parametrize("object_id", ["999", "not-a-number"])
def test_an_unknown_page_leads_back_to_the_list(secretary, object_id):
    response = secretary.get(reverse("admin:pages_sitepage_translate", args=[object_id]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:pages_sitepage_changelist")
    assert "existiert nicht" in secretary.get(response["Location"]).content.decode()


def test_the_form_links_the_page_and_the_list_links_it_where_a_text_is_missing(secretary, site_pages):
    incomplete = site_pages["easy_language"]
    SitePage.objects.filter(pk=incomplete.pk).update(body_fr="")
    complete = site_pages["privacy"]

    form = secretary.get(reverse("admin:pages_sitepage_change", args=[complete.pk])).content.decode()
    changelist = secretary.get(reverse("admin:pages_sitepage_changelist")).content.decode()

    assert f'href="{translate_url(complete)}" class="translatelink"' in form
    assert f'href="{translate_url(incomplete)}"' in changelist
    assert f'href="{translate_url(complete)}"' not in changelist


def test_a_further_page_gets_its_french_address_from_the_french_title(secretary, db):
    page = SitePage.objects.create(
        title_de="Anfahrt", slug_de="anfahrt", body_de="Mit dem Bus.", kind=SitePage.Kind.OTHER, published=True
    )
    shown = secretary.get(translate_url(page)).content.decode()
    assert f'name="sitepage-{page.pk}-slug_fr"' in shown
    assert f'aria-describedby="id_sitepage-{page.pk}-title_fr_missing"' in shown
    data = form_values(secretary.get(translate_url(page)))
    data.update({f"sitepage-{page.pk}-title_fr": "Accès", f"sitepage-{page.pk}-body_fr": "En bus."})

    assert secretary.post(translate_url(page), data).status_code == 302

    page.refresh_from_db()
    assert (page.title_fr, page.slug_fr, page.body_fr) == ("Accès", "acces", "En bus.")
    assert secretary.get(page.get_absolute_url("fr")).status_code == 200


def test_the_page_reads_a_fixed_number_of_queries(secretary, site_pages, django_assert_num_queries):
    url = translate_url(site_pages["legal_notice"])
    secretary.get(url)
    # The session, the user, the page, the user's and the group's permissions, the publisher.
    with django_assert_num_queries(6):
        assert secretary.get(url).status_code == 200
