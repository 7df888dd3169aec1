"""The texts of a site page for the side-by-side translation page (events' ``texts_view``, routed
by ``SitePageAdmin`` as ``<id>/translate/``): the page's title, address, summary and text in German
and French, and for the Impressum and the privacy notice the publisher's data kept in both
languages (legal form, town, country, representatives, register court, host), which those pages show.

A text is "missing" where the page needs it (``SitePage.required_texts``, ``Organisation.REQUIRED``)
and it is empty in that language, as the change form's warnings count it — or, for an optional
text, where the other language has it.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.translation_forms import Section, Texts, TextsForm

from .models import Organisation, SitePage

LEGAL_KINDS = (SitePage.Kind.LEGAL_NOTICE, SitePage.Kind.PRIVACY)


class RequiredTextsForm(TextsForm):
    """Marks a required text missing in a language even when the other language lacks it too."""

    required_texts = ()

    def is_missing(self, name, code, values):
        return (name in self.required_texts and not values[code]) or super().is_missing(name, code, values)


class SitePageTextsForm(RequiredTextsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_texts = self.instance.required_texts()
        for name, form_field in self.fields.items():
            if name.startswith("body_"):
                form_field.widget.attrs["rows"] = 12  # a whole page of Markdown
            elif name.startswith("summary_"):
                # A sentence of up to 300 characters: read whole, not scrolled in a one-line box.
                form_field.widget = forms.Textarea(attrs={**form_field.widget.attrs, "rows": 2})


class OrganisationTextsForm(RequiredTextsForm):
    required_texts = Organisation.REQUIRED


class SitePageTexts(Texts):
    intro = _(
        "Every text of the page, German and French side by side. A text the page needs is marked “missing” "
        "where it is empty. Save once when you are done; publishing and the order are changed on the page’s form."
    )
    return_label = _("Save and return to the page")
    back_label = _("Back to the page without saving")

    def __init__(self, page, data=None, *, can_edit=lambda model: True):
        super().__init__(page, data, can_edit=can_edit)
        # The address of the four legal pages is fixed (pages/urls.py): only other pages have a slug.
        exclude = () if page.kind == SitePage.Kind.OTHER else ("slug",)
        self.sections.append(Section(_("Page"), [self.block(page, str(page), form=SitePageTextsForm, exclude=exclude)]))
        if page.kind in LEGAL_KINDS:
            organisation = Organisation.current()
            note = _("Shared: the Impressum and the privacy notice both show these data.")
            block = self.block(organisation, str(organisation), note=note, form=OrganisationTextsForm)
            self.sections.append(Section(capfirst(Organisation._meta.verbose_name), [block]))
