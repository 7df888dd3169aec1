"""The demo content loaded by ``manage.py load_demo``: plain data, no database access.

The 2017 conference "Immigrations : une chance pour nos quatre villes" / "Zuwanderung als
Chance für unsere vier Städte" is transcribed from QuattroPole's German event page and the
bilingual invitation (programme in two columns, FR | DE); where they differ, the invitation's
programme wins, except for the German registration link, which is the web page's clickable one.

The sample events are fictional, dated relative to the day the command runs, and say so in
their titles ("Beispiel: …" / "Exemple : …").

Times are (hour, minute) on the event's day, in the venue's time zone.
"""

import datetime

CITIES = [
    # code, name_fr, name_de, order
    ("luxembourg", "Luxembourg", "Luxemburg", 1),
    ("metz", "Metz", "Metz", 2),
    ("saarbruecken", "Sarrebruck", "Saarbrücken", 3),
    ("trier", "Trèves", "Trier", 4),
]

CATEGORIES = [
    # code, name_fr, name_de
    ("quattropole", "QuattroPole", "QuattroPole"),
    ("culture", "Culture", "Kultur"),
    ("economy", "Économie", "Wirtschaft"),
    ("tourism", "Tourisme", "Tourismus"),
]

PROJECT_GROUPS = {
    # key: (name_fr, name_de); name_de is the natural key
    "social": ("Politique sociale communale", "Kommunale Sozialpolitik"),
}

# The languages and interpretation of the events (events.models.Event's fields).
HELD_IN_FR_AND_DE = {"held_in_fr": True, "held_in_de": True}
SIMULTANEOUS_DE_FR = {"interpretation_kind": "simultaneous", "interpretation_from": "de", "interpretation_to": "fr"}

# The venues' accessibility in the demo is example data, not taken from the venues: each venue
# says so on every event page (``accessibility_example``).
EXAMPLE_ACCESSIBILITY = {
    "access_motor": True,
    "access_hearing": True,
    "accessibility_example": True,
    "accessibility_note_fr": (
        "Entrée de plain-pied côté place, ascenseur vers la salle, toilettes accessibles au rez-de-chaussée ; "
        "boucle magnétique dans la salle."
    ),
    "accessibility_note_de": (
        "Stufenloser Eingang zum Platz hin, Aufzug zum Saal, barrierefreies WC im Erdgeschoss; "
        "Induktionsschleife im Saal."
    ),
}

VENUES = {
    # key: fields; (name_de, locality_de) is the natural key
    "metz-hotel-de-ville": {
        "name_fr": "Hôtel de Ville",
        "name_de": "Rathaus",
        "street": "1, place d'Armes – J.F. Blondel",
        "postal_code": "57036",
        "locality_de": "Metz",
        "locality_fr": "Metz",
        "country_de": "Frankreich",
        "country_fr": "France",
        "phone": "+33 387 555000",
        "website": "http://www.mairie-metz.fr/",
        "latitude": "49.119700",
        "longitude": "6.175500",
        "time_zone": "Europe/Paris",
        **EXAMPLE_ACCESSIBILITY,
    },
    "saarbruecken-rathaus": {
        "name_fr": "Hôtel de Ville Saint-Jean",
        "name_de": "Rathaus St. Johann",
        "street": "Rathausplatz 1",
        "postal_code": "66111",
        "locality_de": "Saarbrücken",
        "locality_fr": "Sarrebruck",
        "country_de": "Deutschland",
        "country_fr": "Allemagne",
        "latitude": "49.236300",
        "longitude": "6.996100",
        "time_zone": "Europe/Berlin",
        "access_motor": True,
        "accessibility_example": True,
        "accessibility_note_fr": "Entrée accessible en fauteuil roulant par la cour, ascenseur.",
        "accessibility_note_de": "Rollstuhlgerechter Eingang über den Hof, Aufzug.",
    },
    "trier-rathaus": {
        "name_fr": "Hôtel de Ville",
        "name_de": "Rathaus",
        "street": "Am Augustinerhof",
        "postal_code": "54290",
        "locality_de": "Trier",
        "locality_fr": "Trèves",
        "country_de": "Deutschland",
        "country_fr": "Allemagne",
        "latitude": "49.753500",
        "longitude": "6.636900",
        "time_zone": "Europe/Berlin",
        "accessibility_example": True,
        "accessibility_note_fr": "Salle au premier étage, sans ascenseur.",
        "accessibility_note_de": "Saal im ersten Stock, ohne Aufzug.",
    },
    "luxembourg-hotel-de-ville": {
        "name_fr": "Hôtel de Ville",
        "name_de": "Rathaus",
        "street": "Place Guillaume II",
        "postal_code": "L-1648",
        "locality_de": "Luxemburg",
        "locality_fr": "Luxembourg",
        "country_de": "Luxemburg",
        "country_fr": "Luxembourg",
        "latitude": "49.611000",
        "longitude": "6.130000",
        "time_zone": "Europe/Luxembourg",
        **EXAMPLE_ACCESSIBILITY,
    },
}

# name (the natural key) → fields. "Name, role, affiliation" is how a person is shown.
PEOPLE = {
    # --- The 2017 conference ---
    "Lisa Huth": {"role_fr": "Journaliste SR3", "role_de": "Journalistin SR3"},
    "Jade Porcherot": {
        "role_fr": "Assistante au Secrétariat général",
        "role_de": "Assistentin der Geschäftsstelle",
        "phone": "+352 247 80115",
        "email": "jade.porcherot@granderegion.net",
    },
    "Dominique Gros": {
        "role_fr": "Maire de Metz, Président de l'association QuattroPole",
        "role_de": "Oberbürgermeister der Stadt Metz, Präsident von QuattroPole e.V.",
    },
    "Vincent Ferry": {
        "role_fr": "Chercheur au Laboratoire Lorrain de Sciences Sociales (2L2S)",
        "role_de": "Forscher am Lothringischen Institut für Sozialwissenschaften (2L2S)",
        "affiliation_fr": "Groupe de Recherche sur l'Education et l'Emploi (GREE)",
        "affiliation_de": "Forschungsgruppe für Bildung und Arbeit (GREE)",
    },
    "Madeleine Kayser": {"affiliation_fr": "Ville de Luxembourg", "affiliation_de": "Stadt Luxemburg"},
    "Sylvie Bortot": {"affiliation_fr": "CCAS Metz", "affiliation_de": "CCAS Metz"},
    # "Sarrebrück" as printed in the invitation.
    "Guido Freidinger": {"affiliation_fr": "Ville de Sarrebrück", "affiliation_de": "Landeshauptstadt Saarbrücken"},
    "Hans-Werner Meyer": {"affiliation_fr": "Ville de Trèves", "affiliation_de": "Stadt Trier"},
    # --- Fictional people of the sample events ---
    "Erika Musterfrau": {
        "role_fr": "Coordinatrice (personne fictive)",
        "role_de": "Koordinatorin (fiktive Person)",
        "email": "erika.musterfrau@example.org",
    },
    "Max Mustermann": {
        "role_fr": "Développeur (personne fictive)",
        "role_de": "Entwickler (fiktive Person)",
        "affiliation_fr": "Ville exemple",
        "affiliation_de": "Beispielstadt",
    },
    "Jeanne Exemple": {
        "role_fr": "Autrice (personne fictive)",
        "role_de": "Autorin (fiktive Person)",
    },
    "Jean Dupont": {
        "role_fr": "Guide touristique (personne fictive)",
        "role_de": "Fremdenführer (fiktive Person)",
        "email": "jean.dupont@example.org",
    },
}


def slot(time, kind, title_fr, title_de, speakers=(), workshops=()):
    return {
        "time": time,
        "kind": kind,
        "title_fr": title_fr,
        "title_de": title_de,
        "speakers": list(speakers),
        "workshops": list(workshops),
    }


CONFERENCE_2017 = {
    "slug_fr": "immigrations-une-chance-pour-nos-quatre-villes",
    "slug_de": "zuwanderung-als-chance-fuer-unsere-vier-staedte",
    "title_fr": "Immigrations : une chance pour nos quatre villes",
    "title_de": "Zuwanderung als Chance für unsere vier Städte",
    "kicker_fr": "Conférence QuattroPole – Politique sociale communale",
    "kicker_de": "QuattroPole-Konferenz – kommunale Sozialpolitik",
    "teaser_fr": (
        "Le mercredi 22 novembre 2017, le groupe de projet QuattroPole « Politique sociale communale » "
        "organise une conférence sur l'intégration des immigrés dans les quatre villes."
    ),
    "teaser_de": (
        "Mittwoch, den 22. November 2017, organisiert die QuattroPole-Projektgruppe „kommunale Sozialpolitik“ "
        "eine Konferenz über die Integration der Zuwanderer in den vier Kommunen."
    ),
    "description_fr": (
        "La question migratoire interroge les politiques sociales de tous les pays européens. C'est pourquoi "
        "le réseau de villes QuattroPole Luxembourg, Metz, Saarbrücken, Trier a souhaité, à travers son groupe "
        "de projet « Politique sociale communale », porter l'immigration au cœur de ses travaux.\n"
        "\n"
        "Suite à différentes rencontres des services municipaux des quatre villes, le groupe de projet invite "
        "les spécialistes du domaine à échanger sur les bonnes pratiques mises en œuvre dans les quatre villes "
        "et qui concourent à faire des « immigrations une chance pour nos quatre villes »."
    ),
    "description_de": (
        "Das Thema der Zuwanderung beschäftigt derzeit die politischen Akteure in allen europäischen Ländern. "
        "Das Städtenetz QuattroPole Luxemburg, Metz, Saarbrücken und Trier hat die eng damit verbundene Frage "
        "der „Integration“ im Rahmen seiner Arbeitsgruppe „kommunale Sozialpolitik“ in den Fokus seiner "
        "Aufmerksamkeit gerückt.\n"
        "\n"
        "Im Anschluss an verschiedene Arbeitssitzungen zwischen den vier Stadtverwaltungen lädt die "
        "Projektgruppe Spezialisten in diesem Bereich zu einem Austausch modellhafter Praktiken in den Städten "
        "Luxemburg, Metz, Saarbrücken und Trier sowie zu angeregten Diskussionen ein, die dazu beitragen sollen, "
        "die „Zuwanderung als Chance für unsere vier Städte“ zu gestalten."
    ),
    "category": "quattropole",
    "cities": ["luxembourg", "metz", "saarbruecken", "trier"],
    "project_group": "social",
    "venue": "metz-hotel-de-ville",
    "date": datetime.date(2017, 11, 22),
    "start": (9, 30),
    "end": (17, 0),
    "registration_url_fr": "https://goo.gl/forms/3v1FALhzgVWzGtJo2",
    # The German web page's clickable link; the invitation prints "…ogk6r6PHZwPlkiob2".
    "registration_url_de": "https://goo.gl/forms/ogk6r6PHZwplki0b2",
    "registration_deadline": datetime.date(2017, 11, 15),
    # The invitation's "Simultanübersetzung Deutsch/Französisch", as data.
    "facts": {**HELD_IN_FR_AND_DE, **SIMULTANEOUS_DE_FR},
    "moderator": "Lisa Huth",
    "contact": "Jade Porcherot",
    "host": "Dominique Gros",
    # The letters as printed, without the signature (the page adds the host's name and role).
    "host_letter_fr": """\
Madame, Monsieur,

La question migratoire interroge les politiques sociales de tous les pays européens. C'est pourquoi \
le réseau de villes QuattroPole Luxembourg, Metz, Saarbrücken, Trier a souhaité, à travers son groupe \
de projet "Politique sociale communale", porter l'immigration au cœur de ses travaux.

Suite à différentes rencontres des services municipaux des quatre villes, je vous invite à échanger \
sur les bonnes pratiques mises en œuvre dans nos territoires et qui concourent à faire des \
"immigrations une chance pour nos quatre villes".

**Mercredi 22 novembre 2017**

**9h30 - 17h**

**Hôtel de Ville**

**1 place d'Armes – J.F. Blondel**

**57036 Metz**

En vous remerciant par avance de nous faire l'honneur de votre présence, je vous prie d'agréer, \
Madame, Monsieur, l'expression de ma considération distinguée.""",
    "host_letter_de": """\
Sehr geehrte Damen und Herren,

das Thema der Zuwanderung beschäftigt derzeit die politischen Akteure in allen europäischen Ländern. \
Das Städtenetz QuattroPole Luxembourg, Metz, Saarbrücken und Trier hat die eng damit verbundene Frage \
der „Integration“ im Rahmen seiner Arbeitsgruppe „kommunale Sozialpolitik“ in den Fokus seiner \
Aufmerksamkeit gerückt.

Im Anschluss an verschiedene Arbeitssitzungen zwischen den vier Stadtverwaltungen lade ich Sie zu \
einem Austausch modellhafter Praktiken in den Städten Luxembourg, Metz, Saarbrücken und Trier sowie \
zu angeregten Diskussionen ein, die dazu beitragen sollen, die „Zuwanderung als Chance für unsere \
vier Städte“ zu gestalten.

**Mittwoch, den 22. November 2017**

**9:30 – 17 Uhr**

**Rathaus**

**1 place d'Armes – J.F. Blondel**

**57036 Metz**

Ich freue mich schon jetzt über Ihr Kommen am 22. November in Metz und verbleibe bis dahin mit \
freundlichen Grüßen.""",
    "poster": {
        "filename": "demo-quattropole-2017-zuwanderung.jpg",
        "cities": ["Luxembourg", "Metz", "Saarbrücken", "Trier"],
        "date_line": "22.11.2017 · 9:30 – 17:00",
        "place_line": "Hôtel de Ville / Rathaus · Metz",
        "alt_fr": (
            "Affiche de la conférence : quatre carrés de couleur pour Luxembourg, Metz, Sarrebruck et Trèves ; "
            "le titre « Immigrations : une chance pour nos quatre villes » et sa version allemande, "
            "quatre cercles de couleur entrelacés, la date, 22 novembre 2017, et le lieu, l'Hôtel de Ville de Metz."
        ),
        "alt_de": (
            "Konferenzplakat: vier farbige Quadrate für Luxemburg, Metz, Saarbrücken und Trier; der Titel "
            "„Zuwanderung als Chance für unsere vier Städte“ und seine französische Fassung, vier ineinander "
            "greifende farbige Kreise, Datum, 22. November 2017, und Ort, das Rathaus von Metz."
        ),
    },
    "programme": [
        slot((9, 30), "reception", "Accueil des participants", "Empfang der Teilnehmer"),
        slot(
            (10, 0),
            "opening",
            "Ouverture par Monsieur le Maire Dominique Gros, Président de l'association QuattroPole",
            "Eröffnung durch Herrn Oberbürgermeister Dominique Gros, Präsident von QuattroPole e.V.",
        ),
        slot(
            (10, 15),
            "talk",
            "L'immigration en Grande Région : une analyse historique comparée",
            "Einwanderung in der Großregion: eine vergleichende historische Analyse",
            speakers=["Vincent Ferry"],
        ),
        slot((10, 45), "discussion", "Echanges avec la salle", "Austausch mit den Teilnehmern"),
        slot(
            (11, 0),
            "workshops",
            "Travail en ateliers sur les projets mis en place dans les quatre villes et échanges de bonnes pratiques",
            "Vertiefung in Arbeitsgruppen zu konkreten Projekten in den vier Städten und Austausch modellhafter "
            "Praktiken",
            workshops=[
                ("Emploi et insertion professionnelle", "Beschäftigung und berufliche Eingliederung"),
                ("Education et petite enfance", "Bildung"),
                (
                    "Bien vivre sa ville (logement, culture, santé) « Stadtteilintegration »",
                    "Stadtteilintegration (« Bien vivre sa ville » - Wohnen, Gesundheit, Kultur)",
                ),
            ],
        ),
        slot((12, 45), "meal", "Déjeuner « Cuisine du monde »", "Mittagessen « Cuisine du monde »"),
        slot(
            (14, 0),
            "synthesis",
            "Synthèse des ateliers et discussion « Immigrations : une chance pour nos quatre villes ! »",
            "Kurzzusammenfassung der Arbeitsgruppen und Diskussion: „Zuwanderung: eine Chance für unsere vier Städte!“",
        ),
        slot(
            (15, 45),
            "round_table",
            "Table ronde de clôture et perspectives des travaux à venir au sein du groupe de projet "
            "« Politique sociale communale » de QuattroPole",
            "Abschlussrunde und Ausblick auf die künftigen Arbeiten der QuattroPole-Arbeitsgruppe "
            "„kommunale Sozialpolitik“",
            speakers=["Madeleine Kayser", "Sylvie Bortot", "Guido Freidinger", "Hans-Werner Meyer"],
        ),
        slot((16, 15), "closing", "Spectacle de clôture", "Abschlusszeremonie"),
    ],
}

# The sample events move with the day the command runs; their posters carry no date, so they
# never go stale.
SAMPLE_POSTER_LINE = "Exemple · Beispiel"
FICTIONAL_NOTE_FR = "*Cet événement est un exemple fictif, chargé avec les contenus de démonstration du site.*"
FICTIONAL_NOTE_DE = "*Diese Veranstaltung ist ein erfundenes Beispiel aus den Demo-Inhalten der Website.*"

SAMPLE_EVENTS = [
    {
        "slug_fr": "exemple-atelier-numerique-des-quatre-villes",
        "slug_de": "beispiel-digitalwerkstatt-der-vier-staedte",
        "title_fr": "Exemple : Atelier numérique des quatre villes",
        "title_de": "Beispiel: Digitalwerkstatt der vier Städte",
        "kicker_fr": "Événement d'exemple – Économie",
        "kicker_de": "Beispielveranstaltung – Wirtschaft",
        "teaser_fr": "Une journée fictive pour échanger sur les services numériques des villes.",
        "teaser_de": "Ein erfundener Tag zum Austausch über digitale Dienste der Städte.",
        "description_fr": (
            "Les services municipaux des quatre villes présentent leurs projets numériques et cherchent "
            "ensemble des solutions communes.\n\n" + FICTIONAL_NOTE_FR
        ),
        "description_de": (
            "Die Stadtverwaltungen der vier Städte stellen ihre digitalen Projekte vor und suchen gemeinsam "
            "nach Lösungen.\n\n" + FICTIONAL_NOTE_DE
        ),
        "category": "economy",
        "cities": ["metz", "saarbruecken"],
        "venue": "saarbruecken-rathaus",
        "days_ahead": 21,
        # Rescheduled: it was to be held a week earlier (the page shows the previous date).
        "previous_days_ahead": 14,
        "start": (9, 0),
        "end": (16, 0),
        "registration_url_fr": "https://example.org/inscription/atelier-numerique",
        "registration_url_de": "https://example.org/anmeldung/digitalwerkstatt",
        "registration_days_before": 7,
        "facts": {**HELD_IN_FR_AND_DE, **SIMULTANEOUS_DE_FR, "event_status": "rescheduled"},
        "contact": "Erika Musterfrau",
        "poster": {
            "filename": "demo-beispiel-digitalwerkstatt.jpg",
            "cities": ["Metz", "Saarbrücken"],
            "date_line": SAMPLE_POSTER_LINE,
            "place_line": "Rathaus St. Johann · Saarbrücken",
            "alt_fr": (
                "Affiche d'exemple : deux carrés de couleur pour Metz et Sarrebruck au-dessus du titre "
                "« Exemple : Atelier numérique des quatre villes » et de sa version allemande."
            ),
            "alt_de": (
                "Beispielplakat: zwei farbige Quadrate für Metz und Saarbrücken über dem Titel "
                "„Beispiel: Digitalwerkstatt der vier Städte“ und seiner französischen Fassung."
            ),
        },
        "programme": [
            slot((9, 0), "reception", "Accueil et café", "Empfang und Kaffee"),
            slot(
                (9, 30),
                "talk",
                "Des formulaires en ligne dans les deux langues",
                "Online-Formulare in beiden Sprachen",
                speakers=["Max Mustermann"],
            ),
            slot(
                (10, 30),
                "workshops",
                "Ateliers en petits groupes",
                "Arbeitsgruppen",
                workshops=[
                    ("Données ouvertes", "Offene Daten"),
                    ("Accessibilité des sites web", "Barrierefreie Websites"),
                ],
            ),
            slot((12, 30), "meal", "Déjeuner", "Mittagessen"),
            slot((14, 0), "synthesis", "Mise en commun des ateliers", "Ergebnisse der Arbeitsgruppen"),
            slot((15, 30), "closing", "Clôture", "Abschluss"),
        ],
    },
    {
        "slug_fr": "exemple-soiree-de-lecture-transfrontaliere",
        "slug_de": "beispiel-grenzueberschreitender-leseabend",
        "title_fr": "Exemple : Soirée de lecture transfrontalière",
        "title_de": "Beispiel: Grenzüberschreitender Leseabend",
        "kicker_fr": "Événement d'exemple – Culture",
        "kicker_de": "Beispielveranstaltung – Kultur",
        "teaser_fr": "Une soirée fictive de lectures en français et en allemand.",
        "teaser_de": "Ein erfundener Abend mit Lesungen auf Französisch und Deutsch.",
        "description_fr": (
            "Des textes d'autrices et d'auteurs des quatre villes, lus dans les deux langues.\n\n" + FICTIONAL_NOTE_FR
        ),
        "description_de": (
            "Texte von Autorinnen und Autoren aus den vier Städten, in beiden Sprachen gelesen.\n\n" + FICTIONAL_NOTE_DE
        ),
        "category": "culture",
        "cities": ["trier", "luxembourg"],
        "venue": "trier-rathaus",
        "days_ahead": 61,
        "start": (19, 0),
        "end": (21, 30),
        "facts": {
            **HELD_IN_FR_AND_DE,
            "event_status": "moved_online",
            "attendance_mode": "online",
            "online_url": "https://example.org/direct/lecture-transfrontaliere",
            "online_url_visibility": "public",
        },
        "contact": "Erika Musterfrau",
        "poster": {
            "filename": "demo-beispiel-leseabend.jpg",
            "cities": ["Trier", "Luxembourg"],
            "date_line": SAMPLE_POSTER_LINE,
            "place_line": "Rathaus · Trier",
            "alt_fr": (
                "Affiche d'exemple : deux carrés de couleur pour Trèves et Luxembourg au-dessus du titre "
                "« Exemple : Soirée de lecture transfrontalière » et de sa version allemande."
            ),
            "alt_de": (
                "Beispielplakat: zwei farbige Quadrate für Trier und Luxemburg über dem Titel "
                "„Beispiel: Grenzüberschreitender Leseabend“ und seiner französischen Fassung."
            ),
        },
        "programme": [
            slot((19, 0), "opening", "Mot d'accueil", "Begrüßung"),
            slot((19, 15), "talk", "Lectures", "Lesungen", speakers=["Jeanne Exemple"]),
            slot((20, 30), "discussion", "Échanges avec le public", "Gespräch mit dem Publikum"),
        ],
    },
    {
        # A citizens' meeting as the network holds them: 40 people, 10 from each city, a bus from
        # each city. Its built-in registration form comes with the registration app's demo
        # (registration/demo.py): 40 places, 10 per city, two workshops of 20, lunch, bus.
        "slug_fr": "exemple-rencontre-citoyenne-des-quatre-villes",
        "slug_de": "beispiel-buergertreffen-der-vier-staedte",
        "title_fr": "Exemple : Rencontre citoyenne des quatre villes",
        "title_de": "Beispiel: Bürgertreffen der vier Städte",
        "kicker_fr": "Événement d'exemple – Rencontre citoyenne",
        "kicker_de": "Beispielveranstaltung – Bürgertreffen",
        "teaser_fr": "Une journée fictive où dix habitants de chacune des quatre villes se rencontrent.",
        "teaser_de": "Ein erfundener Tag, an dem sich je zehn Menschen aus den vier Städten begegnen.",
        "description_fr": (
            "Quarante citoyennes et citoyens, dix de chaque ville, passent une journée ensemble à Luxembourg : "
            "deux ateliers, un déjeuner, et un bus au départ de chaque ville.\n\n" + FICTIONAL_NOTE_FR
        ),
        "description_de": (
            "Vierzig Bürgerinnen und Bürger, zehn aus jeder Stadt, verbringen einen Tag miteinander in "
            "Luxemburg: zwei Arbeitsgruppen, ein Mittagessen und ein Bus aus jeder Stadt.\n\n" + FICTIONAL_NOTE_DE
        ),
        "category": "quattropole",
        "cities": ["luxembourg", "metz", "saarbruecken", "trier"],
        "venue": "luxembourg-hotel-de-ville",
        "days_ahead": 42,
        "start": (9, 30),
        "end": (16, 30),
        "facts": {**HELD_IN_FR_AND_DE, **SIMULTANEOUS_DE_FR, "sign_language": True},
        "contact": "Jean Dupont",
        "poster": {
            "filename": "demo-beispiel-buergertreffen.jpg",
            "cities": ["Luxembourg", "Metz", "Saarbrücken", "Trier"],
            "date_line": SAMPLE_POSTER_LINE,
            "place_line": "Hôtel de Ville · Luxembourg",
            "alt_fr": (
                "Affiche d'exemple : quatre carrés de couleur pour les quatre villes au-dessus du titre "
                "« Exemple : Rencontre citoyenne des quatre villes » et de sa version allemande."
            ),
            "alt_de": (
                "Beispielplakat: vier farbige Quadrate für die vier Städte über dem Titel "
                "„Beispiel: Bürgertreffen der vier Städte“ und seiner französischen Fassung."
            ),
        },
        "programme": [
            slot((9, 30), "reception", "Arrivée des bus et accueil", "Ankunft der Busse und Empfang"),
            slot((10, 0), "opening", "Mot d'accueil", "Begrüßung", speakers=["Jean Dupont"]),
            slot(
                (10, 30),
                "workshops",
                "Ateliers",
                "Arbeitsgruppen",
                workshops=[
                    ("Se déplacer entre les quatre villes", "Unterwegs zwischen den vier Städten"),
                    ("Vivre la frontière au quotidien", "Alltag an der Grenze"),
                ],
            ),
            slot((12, 30), "meal", "Déjeuner", "Mittagessen"),
            slot((14, 0), "synthesis", "Mise en commun des ateliers", "Ergebnisse der Arbeitsgruppen"),
            slot((16, 0), "closing", "Clôture et départ des bus", "Abschluss und Abfahrt der Busse"),
        ],
    },
    {
        # Postponed: the new date is not known yet, the old one stays on the page.
        "slug_fr": "exemple-concert-des-quatre-villes",
        "slug_de": "beispiel-konzert-der-vier-staedte",
        "title_fr": "Exemple : Concert des quatre villes",
        "title_de": "Beispiel: Konzert der vier Städte",
        "kicker_fr": "Événement d'exemple – Culture",
        "kicker_de": "Beispielveranstaltung – Kultur",
        "teaser_fr": "Un concert fictif des écoles de musique des quatre villes, reporté.",
        "teaser_de": "Ein erfundenes Konzert der Musikschulen der vier Städte, verschoben.",
        "description_fr": (
            "Les écoles de musique des quatre villes jouent ensemble. Le concert est reporté ; la nouvelle "
            "date sera annoncée ici.\n\n" + FICTIONAL_NOTE_FR
        ),
        "description_de": (
            "Die Musikschulen der vier Städte spielen gemeinsam. Das Konzert ist verschoben; der neue Termin "
            "wird hier bekannt gegeben.\n\n" + FICTIONAL_NOTE_DE
        ),
        "category": "culture",
        "cities": ["luxembourg", "metz", "saarbruecken", "trier"],
        "venue": "metz-hotel-de-ville",
        "days_ahead": 28,
        "start": (20, 0),
        "end": (22, 0),
        "facts": {"event_status": "postponed"},
        "contact": "Erika Musterfrau",
        "poster": {
            "filename": "demo-beispiel-konzert.jpg",
            "cities": ["Luxembourg", "Metz", "Saarbrücken", "Trier"],
            "date_line": SAMPLE_POSTER_LINE,
            "place_line": "Hôtel de Ville · Metz",
            "alt_fr": (
                "Affiche d'exemple : quatre carrés de couleur pour les quatre villes au-dessus du titre "
                "« Exemple : Concert des quatre villes » et de sa version allemande."
            ),
            "alt_de": (
                "Beispielplakat: vier farbige Quadrate für die vier Städte über dem Titel "
                "„Beispiel: Konzert der vier Städte“ und seiner französischen Fassung."
            ),
        },
        "programme": [
            slot((20, 0), "talk", "Concert", "Konzert"),
        ],
    },
    {
        # Full: its few places are all taken (registration/demo.py registers the fictional people).
        "slug_fr": "exemple-visite-guidee-de-la-porta-nigra",
        "slug_de": "beispiel-fuehrung-durch-die-porta-nigra",
        "title_fr": "Exemple : Visite guidée de la Porta Nigra",
        "title_de": "Beispiel: Führung durch die Porta Nigra",
        "kicker_fr": "Événement d'exemple – Tourisme",
        "kicker_de": "Beispielveranstaltung – Tourismus",
        "teaser_fr": "Une visite fictive en petit groupe, complète.",
        "teaser_de": "Eine erfundene Führung in kleiner Gruppe, ausgebucht.",
        "description_fr": "Une heure autour de la porte romaine, en français.\n\n" + FICTIONAL_NOTE_FR,
        "description_de": "Eine Stunde rund um das römische Stadttor, auf Französisch.\n\n" + FICTIONAL_NOTE_DE,
        "category": "tourism",
        "cities": ["trier"],
        "venue": "trier-rathaus",
        "days_ahead": 35,
        "start": (14, 0),
        "end": (15, 0),
        "facts": {"held_in_fr": True},
        "contact": "Jean Dupont",
        "poster": {
            "filename": "demo-beispiel-fuehrung.jpg",
            "cities": ["Trier"],
            "date_line": SAMPLE_POSTER_LINE,
            "place_line": "Porta Nigra · Trier",
            "alt_fr": (
                "Affiche d'exemple : un carré de couleur pour Trèves au-dessus du titre "
                "« Exemple : Visite guidée de la Porta Nigra » et de sa version allemande."
            ),
            "alt_de": (
                "Beispielplakat: ein farbiges Quadrat für Trier über dem Titel "
                "„Beispiel: Führung durch die Porta Nigra“ und seiner französischen Fassung."
            ),
        },
        "programme": [
            slot((14, 0), "talk", "Visite guidée", "Führung", speakers=["Jean Dupont"]),
        ],
    },
]
