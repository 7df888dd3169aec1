"""``manage.py make_sample_events N``: N realistic, clearly fictional events for the benchmark
(``make bench``), in whatever database DATABASE_URL names — never run it on the real one.

Each event has both languages, a venue in one of the four cities, one to four participating
cities, a Markdown description, a poster (a handful of posters drawn once and shared, as a real
site reuses its visuals), and a programme of 8 to 12 slots with speakers and, in one slot,
workshops. A fifth of the events (at least twelve, or all but one when there are fewer) lie in the
next three years, the others over the past twenty, so both lists are long and the upcoming list has a
full first page at every size. The same N on the same day gives the same events (a fixed random
seed). Rows are written in bulk.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events.demo.loader import DemoLoader
from events.demo.poster import draw_poster
from events.models import Category, City, Event, Person, ProgrammeSlot, SlotSpeaker, Venue, Workshop

TOPICS = [
    ("mobilité transfrontalière", "grenzüberschreitende Mobilität"),
    ("politique sociale communale", "kommunale Sozialpolitik"),
    ("culture et patrimoine", "Kultur und Kulturerbe"),
    ("numérique dans les services publics", "Digitalisierung der Verwaltung"),
    ("climat et énergie", "Klima und Energie"),
    ("jeunesse et formation", "Jugend und Ausbildung"),
    ("tourisme urbain", "Städtetourismus"),
    ("santé publique", "öffentliche Gesundheit"),
]
FORMATS = [
    ("Conférence : {topic}", "Konferenz: {topic}"),
    ("Rencontre citoyenne : {topic}", "Bürgerbegegnung: {topic}"),
    ("Atelier d'échange sur la {topic}", "Austauschwerkstatt zur {topic}"),
    ("Journée d'étude : {topic}", "Studientag: {topic}"),
]
SLOT_TITLES = [
    ("reception", "Accueil des participants", "Empfang der Teilnehmer"),
    ("opening", "Ouverture par les maires des quatre villes", "Eröffnung durch die Bürgermeister der vier Städte"),
    ("talk", "Exposé introductif", "Einführungsvortrag"),
    ("talk", "Retour d'expérience de la ville de Metz", "Erfahrungsbericht der Stadt Metz"),
    ("discussion", "Échanges avec la salle", "Austausch mit dem Publikum"),
    ("workshops", "Travail en ateliers", "Arbeitsgruppen"),
    ("meal", "Déjeuner", "Mittagessen"),
    ("synthesis", "Synthèse des ateliers", "Zusammenfassung der Arbeitsgruppen"),
    ("talk", "Perspectives pour la Grande Région", "Perspektiven für die Großregion"),
    ("round_table", "Table ronde", "Podiumsdiskussion"),
    ("discussion", "Questions du public", "Fragen aus dem Publikum"),
    ("closing", "Clôture", "Abschluss"),
]
WORKSHOPS = [
    ("Emploi et insertion", "Beschäftigung und Eingliederung"),
    ("Logement", "Wohnen"),
    ("Éducation", "Bildung"),
    ("Culture", "Kultur"),
    ("Mobilité douce", "Sanfte Mobilität"),
]
ROLES = [("Chercheuse", "Forscherin"), ("Adjoint au maire", "Beigeordneter"), ("Chargée de mission", "Referentin")]
AFFILIATIONS = [
    ("Ville de Luxembourg", "Stadt Luxemburg"),
    ("Ville de Metz", "Stadt Metz"),
    ("Ville de Sarrebruck", "Landeshauptstadt Saarbrücken"),
    ("Ville de Trèves", "Stadt Trier"),
    ("Université de la Grande Région", "Universität der Großregion"),
]
VENUES = [
    (
        "luxembourg",
        "Cercle Cité",
        "Cercle Cité",
        "Place d'Armes",
        "1136",
        "Luxembourg",
        "Luxemburg",
        "Europe/Luxembourg",
    ),
    ("metz", "Hôtel de Ville", "Rathaus", "1 place d'Armes", "57036", "Metz", "Metz", "Europe/Paris"),
    (
        "saarbruecken",
        "Hôtel de Ville",
        "Rathaus",
        "Rathausplatz 1",
        "66111",
        "Sarrebruck",
        "Saarbrücken",
        "Europe/Berlin",
    ),
    ("trier", "Hôtel de Ville", "Rathaus", "Am Augustinerhof", "54290", "Trèves", "Trier", "Europe/Berlin"),
]
POSTERS = 8
PAST_DAYS = 20 * 365
FUTURE_DAYS = 3 * 365
BATCH = 2000


class Command(BaseCommand):
    help = "Create N realistic fictional events for the benchmark (in the database DATABASE_URL names)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many events to create.")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, count, seed, **options):
        if count < 1:
            raise CommandError("Give a number of events of at least 1.")
        rng = random.Random(seed)
        demo = DemoLoader()
        with transaction.atomic():
            demo.load_reference_data()
            cities = list(City.objects.all())
            categories = list(Category.objects.all())
            venues = self.venues()
            people = self.people(rng)
            posters = self.posters()
            events = self.events(count, rng, categories, venues, posters)
            self.cities(events, cities, rng)
            self.programmes(events, people, rng)
        self.stdout.write(self.style.SUCCESS(f"{count} sample events created."))

    def venues(self):
        venues = []
        for _code, name_fr, name_de, street, postal_code, locality_fr, locality_de, time_zone in VENUES:
            venue, _created = Venue.objects.get_or_create(
                name_de=f"{name_de} (Beispiel)",
                locality_de=locality_de,
                defaults={
                    "name_fr": f"{name_fr} (exemple)",
                    "name": f"{name_de} (Beispiel)",
                    "street": street,
                    "postal_code": postal_code,
                    "locality_fr": locality_fr,
                    "locality": locality_de,
                    "time_zone": time_zone,
                },
            )
            venues.append(venue)
        return venues

    def people(self, rng):
        first = ["Anne", "Marc", "Julia", "Paul", "Claire", "Jonas", "Lea", "Luc", "Nina", "Tom", "Eva", "Jean"]
        last = ["Muller", "Schmitt", "Weber", "Klein", "Hoffmann", "Martin", "Bernard", "Becker", "Wagner", "Petit"]
        people = []
        for index in range(300):
            role, affiliation = rng.choice(ROLES), rng.choice(AFFILIATIONS)
            people.append(
                Person(
                    name=f"{rng.choice(first)} {rng.choice(last)} ({index + 1})",
                    role=role[1],
                    role_de=role[1],
                    role_fr=role[0],
                    affiliation=affiliation[1],
                    affiliation_de=affiliation[1],
                    affiliation_fr=affiliation[0],
                )
            )
        return Person.objects.bulk_create(people)

    def posters(self):
        """A few posters drawn once; the events share them (names under posters/)."""
        names = []
        field = Event._meta.get_field("poster")
        for number in range(POSTERS):
            name = field.generate_filename(None, f"sample-poster-{number + 1}.jpg")
            if not field.storage.exists(name):
                image = draw_poster(
                    title_fr=f"Exemple n° {number + 1}",
                    title_de=f"Beispiel Nr. {number + 1}",
                    cities=["Luxembourg", "Metz", "Saarbrücken", "Trier"][: 1 + number % 4],
                    date_line="Exemple · Beispiel",
                    place_line="QuattroPole",
                )
                probe = Event(poster=None)
                probe.poster.save(name.rsplit("/", 1)[-1], ContentFile(image), save=False)
                name = probe.poster.name
            names.append(name)
        return names

    def days(self, count):
        """The day of each event: the past ones spread over twenty years, the upcoming ones over
        the next three."""
        today = datetime.date.today()
        upcoming = max(min(count - 1, 12), count // 5)  # at least one past event
        past = count - upcoming
        days = [today - datetime.timedelta(days=PAST_DAYS - PAST_DAYS * n // max(past, 1)) for n in range(past)]
        days += [today + datetime.timedelta(days=7 + FUTURE_DAYS * n // max(upcoming, 1)) for n in range(upcoming)]
        return days

    def events(self, count, rng, categories, venues, posters):
        events, published = [], timezone.now()
        for index, day in enumerate(self.days(count)):
            topic = TOPICS[index % len(TOPICS)]
            form = FORMATS[(index // len(TOPICS)) % len(FORMATS)]
            venue = venues[index % len(venues)]
            start = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=ZoneInfo(venue.time_zone))
            title_fr = form[0].format(topic=topic[0]) + f" ({index + 1})"
            title_de = form[1].format(topic=topic[1]) + f" ({index + 1})"
            description_de, description_fr = self.description(rng, topic)
            events.append(
                Event(
                    title=title_de,
                    title_de=title_de,
                    title_fr=title_fr,
                    slug=f"beispiel-{index + 1}",
                    slug_de=f"beispiel-{index + 1}",
                    slug_fr=f"exemple-{index + 1}",
                    kicker=f"QuattroPole – {topic[1]}",
                    kicker_de=f"QuattroPole – {topic[1]}",
                    kicker_fr=f"QuattroPole – {topic[0]}",
                    teaser=f"Die vier Städte tauschen sich über {topic[1]} aus.",
                    teaser_de=f"Die vier Städte tauschen sich über {topic[1]} aus.",
                    teaser_fr=f"Les quatre villes échangent sur la {topic[0]}.",
                    description=description_de,
                    description_de=description_de,
                    description_fr=description_fr,
                    poster=rng.choice(posters),
                    poster_alt="Plakat mit den Farben der vier Städte",
                    poster_alt_de="Plakat mit den Farben der vier Städte",
                    poster_alt_fr="Affiche aux couleurs des quatre villes",
                    interpretation_de="Simultanübersetzung Deutsch/Französisch",
                    interpretation_fr="Interprétation simultanée français/allemand",
                    category=categories[index % len(categories)],
                    venue=venue,
                    start=start,
                    end=start + datetime.timedelta(hours=7, minutes=30),
                    status=Event.Status.PUBLISHED,
                    # As a save of a published event notes it (bulk_create does not call save()):
                    # else every event's first save afterwards would change what the lists read.
                    first_published_at=published,
                )
            )
        created = []
        for offset in range(0, len(events), BATCH):
            created += Event.objects.bulk_create(events[offset : offset + BATCH])
        return created

    def description(self, rng, topic):
        paragraphs = rng.randint(2, 4)
        german = "\n\n".join(
            f"Absatz {n + 1}: Vertreterinnen und Vertreter der vier Städte berichten über **{topic[1]}** "
            "und diskutieren mit dem Publikum, was sich von einer Stadt auf die andere übertragen lässt."
            for n in range(paragraphs)
        )
        french = "\n\n".join(
            f"Paragraphe {n + 1} : des représentants des quatre villes présentent leurs projets de **{topic[0]}** "
            "et débattent avec le public de ce qui peut être transposé d'une ville à l'autre."
            for n in range(paragraphs)
        )
        return german, french

    def cities(self, events, cities, rng):
        through = Event.cities.through
        links = [
            through(event_id=event.pk, city_id=city.pk)
            for event in events
            for city in rng.sample(cities, rng.randint(1, len(cities)))
        ]
        through.objects.bulk_create(links, batch_size=BATCH)

    def programmes(self, events, people, rng):
        slots, speakers, workshops = [], [], []
        for event in events:
            titles = rng.sample(SLOT_TITLES, rng.randint(8, 12))
            titles.sort(key=SLOT_TITLES.index)
            for position, (kind, title_fr, title_de) in enumerate(titles):
                slot = ProgrammeSlot(
                    event=event,
                    start=event.start + datetime.timedelta(minutes=40 * position),
                    kind=kind,
                    title=title_de,
                    title_de=title_de,
                    title_fr=title_fr,
                )
                slots.append(slot)
        slots = ProgrammeSlot.objects.bulk_create(slots, batch_size=BATCH)
        for slot in slots:
            if slot.kind in ("talk", "round_table", "opening"):
                for order, person in enumerate(rng.sample(people, 4 if slot.kind == "round_table" else 1), start=1):
                    speakers.append(SlotSpeaker(slot=slot, person=person, order=order))
            if slot.kind == "workshops":
                for order, (title_fr, title_de) in enumerate(rng.sample(WORKSHOPS, 3), start=1):
                    workshops.append(
                        Workshop(slot=slot, title=title_de, title_de=title_de, title_fr=title_fr, order=order)
                    )
        SlotSpeaker.objects.bulk_create(speakers, batch_size=BATCH)
        Workshop.objects.bulk_create(workshops, batch_size=BATCH)
