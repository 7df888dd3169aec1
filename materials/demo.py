"""The materials demo: the 2017 conference's documentation after the event — its programme as a
German and a French PDF linked as versions of each other, the minutes only in French, and a
photo gallery (images drawn with Pillow, PDFs written by materials/pdf.py: nothing shipped).
The project's ``manage.py load_demo`` calls ``load()`` after the events' demo. Safe to run
again: the event's materials are made anew."""

import datetime
import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from events.demo.content import CONFERENCE_2017
from events.models import Event

from . import files
from .models import Material
from .pdf import tagged_pdf

PROGRAMME_DE = [
    "Zuwanderung als Chance für unsere vier Städte",
    "Mittwoch, 22. November 2017, Rathaus Metz",
    "9:30 Empfang - 10:00 Eröffnung - 11:00 Workshops - 14:00 Podium - 17:00 Ende",
]
PROGRAMME_FR = [
    "Immigrations : une chance pour nos quatre villes",
    "Mercredi 22 novembre 2017, Hôtel de Ville de Metz",
    "9h30 Accueil - 10h00 Ouverture - 11h00 Ateliers - 14h00 Table ronde - 17h00 Fin",
]
MINUTES_FR = [
    "Compte rendu de la conférence du 22 novembre 2017",
    "Les quatre villes ont présenté leurs pratiques d'accueil des personnes immigrées.",
    "Les ateliers ont retenu trois pistes : cours de langue, mentorat, accès au logement.",
]
PHOTOS = [
    # (title_de, title_fr, alt_de, alt_fr, colours)
    (
        "Eröffnung im Rathaus",
        "Ouverture à l'Hôtel de Ville",
        "Blick in den vollen Saal des Rathauses während der Eröffnungsrede.",
        "Vue de la salle comble de l'Hôtel de Ville pendant le discours d'ouverture.",
        ((32, 74, 135), (240, 196, 64)),
    ),
    (
        "Workshop Sprachkurse",
        "Atelier cours de langue",
        "Acht Personen an einem runden Tisch, auf einer Tafel Notizen in beiden Sprachen.",
        "Huit personnes autour d'une table ronde, des notes dans les deux langues au tableau.",
        ((20, 110, 90), (250, 250, 245)),
    ),
    (
        "Podiumsdiskussion",
        "Table ronde",
        "Vier Vertreterinnen und Vertreter der Städte auf dem Podium.",
        "Quatre représentantes et représentants des villes sur l'estrade.",
        ((120, 30, 60), (230, 230, 230)),
    ),
]
CREDIT = "Foto/Photo: Stadt Metz – Ville de Metz (Beispiel/exemple)"
LICENCE = "CC BY 4.0"
# Put online the day after the conference: before 23 September 2018, so the untagged minutes are
# outside the scope of the accessibility law (the statement lists them as such).
PUBLISHED_ON = datetime.date(2017, 11, 23)


def _photo(colours):
    background, accent = colours
    image = Image.new("RGB", (960, 640), background)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rounded_rectangle((60 + i * 140, 380 - i * 25, 160 + i * 140, 600), radius=18, fill=accent)
    draw.ellipse((640, 60, 880, 300), fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _add(event, data, filename, **fields):
    material = Material(event=event, published_on=PUBLISHED_ON, **fields)
    files.attach(material, ContentFile(data, name=filename))
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def load():
    """The 2017 conference's materials, made anew; None without that event."""
    event = Event.objects.filter(slug_de=CONFERENCE_2017["slug_de"]).first()
    if event is None:
        return None
    event.materials.all().delete()
    german = _add(
        event,
        tagged_pdf("Programm der Konferenz", PROGRAMME_DE, "de-DE"),
        "programm.pdf",
        kind=Material.Kind.PROGRAMME,
        language=Material.Language.GERMAN,
        title_de="Programm der Konferenz",
        title_fr="Programme de la conférence (allemand)",
        order=1,
    )
    french = _add(
        event,
        tagged_pdf("Programme de la conférence", PROGRAMME_FR, "fr-FR"),
        "programme.pdf",
        kind=Material.Kind.PROGRAMME,
        language=Material.Language.FRENCH,
        title_de="Programm der Konferenz (Französisch)",
        title_fr="Programme de la conférence",
        order=2,
        other_version=german,
    )
    _add(
        event,
        tagged_pdf("Compte rendu", MINUTES_FR, "fr-FR", tagged=False),
        "compte-rendu.pdf",
        kind=Material.Kind.MINUTES,
        language=Material.Language.FRENCH,
        title_de="Protokoll der Konferenz",
        title_fr="Compte rendu de la conférence",
        order=3,
    )
    for order, (title_de, title_fr, alt_de, alt_fr, colours) in enumerate(PHOTOS, start=10):
        _add(
            event,
            _photo(colours),
            f"foto-{order}.jpg",
            kind=Material.Kind.PHOTO,
            language=Material.Language.NONE,
            title_de=title_de,
            title_fr=title_fr,
            alt_text_de=alt_de,
            alt_text_fr=alt_fr,
            credit=CREDIT,
            licence=LICENCE,
            order=order,
        )
    french.refresh_from_db()
    return list(event.materials.in_order())
