"""The materials' sections of the event page (events/page_sections.py), registered in
apps.ready(): ``materials`` — the "Documentation" section with the event's documents, links and
photo gallery — and ``slot_materials``, a slot's own materials beside it in the programme.

Public materials only; those for registrants are listed on the registrant's own page
(registration). The visitor's language comes first: of two linked versions, the one in the
page's language is the entry and the other is offered beside it, labelled in its own language
(``lang``, ``hreflang``); a document only in the other language says so ("nur auf
Französisch", "en allemand uniquement"). One query per page, whatever the number of
materials (both sections and the JSON-LD share it: ``materials_of``)."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Material

ONLY_IN = {"de": _("only in German"), "fr": _("only in French")}
# The other version's link, written in that version's language.
VERSION_IN = {"de": "Deutsche Fassung", "fr": "Version française"}


@dataclass
class Entry:
    material: Material
    other: Material | None  # the other-language version, offered beside it
    only_in: str  # the language it is only in, when it is not the page's ("" otherwise)

    @property
    def href(self):
        return self.material.url or self.material.file.url

    @property
    def other_label(self):
        return VERSION_IN[self.other.language] if self.other else ""

    @property
    def only_in_label(self):
        return ONLY_IN[self.only_in] if self.only_in else ""


def entries(materials, language):
    """The entries shown for ``materials`` (in their order) to a reader of ``language``: one per
    document, its version in ``language`` first; a linked pair is one entry."""
    by_pk = {m.pk: m for m in materials}
    result, done = [], set()
    for material in materials:
        if material.pk in done:
            continue
        other = by_pk.get(material.other_version_id)
        if other is not None and other.pk not in done and not material.shown_in(language) and other.shown_in(language):
            material, other = other, material
        done.update({material.pk, *([other.pk] if other else [])})
        only_in = "" if material.shown_in(language) else material.language
        result.append(Entry(material=material, other=other, only_in=only_in))
    return result


def _materials(context):
    return materials_of(context["event"])


def materials_of(event):
    """The event's materials, read once per request for the page's sections and its JSON-LD
    (kept on the event object the view shows)."""
    known = getattr(event, "materials_shown", None)
    if known is None:
        known = list(Material.objects.filter(event=event).select_related("workshop").in_order())
        event.materials_shown = known
    return known


def _render(context, template_name, data):
    return context.template.engine.get_template(template_name).render(context.new(data))


def render_materials(context):
    every = _materials(context)
    materials = [m for m in every if m.is_public and (m.slot_id is None and m.workshop_id is None or m.is_photo)]
    event = context["event"]
    has_private = any(not m.is_public for m in every)
    if not materials and not has_private:
        return ""
    language = translation.get_language()
    photos = [m for m in materials if m.is_photo]
    documents = [m for m in materials if not m.is_photo]
    return _render(
        context,
        "materials/section.html",
        {
            "event": event,
            "entries": entries(documents, language),
            "photos": photos,
            "has_private": has_private,
            "has_ended": context.get("has_ended"),
        },
    )


def render_slot_materials(context):
    slot = context["slot"]
    materials = [
        m
        for m in _materials(context)
        if m.is_public
        and not m.is_photo
        and (m.slot_id == slot.pk or (m.workshop_id and m.workshop.slot_id == slot.pk))
    ]
    if not materials:
        return ""
    return _render(context, "materials/slot.html", {"entries": entries(materials, translation.get_language())})
