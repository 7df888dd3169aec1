"""People as the event page shows them: name, role and affiliation. Never an e-mail address or a
telephone number, and nothing of any registrant."""

from .texts import both


def person(obj):
    if obj is None:
        return None
    return {"id": obj.pk, "name": obj.name, "role": both(obj, "role"), "affiliation": both(obj, "affiliation")}
