"""E-mail addresses and clients as the rules compare them."""

import hashlib
import hmac
import ipaddress
import unicodedata

from django.conf import settings as django_settings


def normalise_email(address):
    """One spelling per address: trimmed, Unicode-normalised (NFKC) and lower-case."""
    return unicodedata.normalize("NFKC", address or "").strip().lower()


def client_key(address):
    """What identifies a client for the limit on unconfirmed registrations: a keyed hash of
    its network — the IPv4 address, or the /64 of an IPv6 address (one household or phone) —
    so that no address is stored. "" when there is no usable address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    network = ipaddress.ip_network(f"{ip}/{64 if ip.version == 6 else 32}", strict=False)
    key = hashlib.sha256(f"registration.client:{django_settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(network).encode(), hashlib.sha256).hexdigest()[:32]
