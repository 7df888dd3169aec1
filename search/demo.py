"""The demo's equivalent place names: the four cities under their French, German and
Luxembourgish names. Idempotent: names staff added or removed elsewhere stay as they are."""

from events.folding import fold

from .models import Place, PlaceName

PLACES = {
    "Luxembourg": ["Luxembourg", "Luxemburg", "Lëtzebuerg"],
    "Metz": ["Metz"],
    "Saarbrücken": ["Saarbrücken", "Sarrebruck", "Sarrebrück", "Saarbrécken"],
    "Trier": ["Trier", "Trèves", "Tréier"],
}


def load():
    """Creates the demo places and their names where missing; returns the places."""
    places = []
    for label, names in PLACES.items():
        place, _created = Place.objects.get_or_create(label=label)
        for name in names:
            if not PlaceName.objects.filter(folded=fold(name)).exists():
                PlaceName.objects.create(place=place, name=name)
        places.append(place)
    return places
