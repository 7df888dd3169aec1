"""Cities, categories, project groups and venues."""

from .facts import accessibility
from .texts import both


def city(obj):
    return {"code": obj.code, "name": both(obj, "name")}


def category(obj):
    return {"code": obj.code, "name": both(obj, "name")}


def project_group(obj):
    if obj is None:
        return None
    return {"id": obj.pk, "name": both(obj, "name")}


def venue(obj):
    if obj is None:
        return None
    return {
        "id": obj.pk,
        "name": both(obj, "name"),
        "street": obj.street or None,
        "postal_code": obj.postal_code or None,
        "locality": both(obj, "locality"),
        "country": both(obj, "country"),
        "website": obj.website or None,
        "latitude": float(obj.latitude) if obj.latitude is not None else None,
        "longitude": float(obj.longitude) if obj.longitude is not None else None,
        "time_zone": obj.time_zone,
        "accessibility": accessibility(obj),
    }
