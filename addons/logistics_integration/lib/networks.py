"""Per-backend address allowlists: "203.0.113.0/24, 2001:db8::/32, 198.51.100.7"."""

import ipaddress
import re


def parse(text):
    """The networks listed in ``text`` (commas, spaces or lines between them);
    raises ValueError naming the first entry that is none."""
    found = []
    for entry in re.split(r"[\s,;]+", text or ""):
        if not entry:
            continue
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"{entry!r} is no IP address or network") from error
    return tuple(found)


def allows(allowed, address):
    """Is ``address`` (text) inside one of ``allowed``? An empty list allows all."""
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:203.0.113.9 is 203.0.113.9
        ip = ip.ipv4_mapped
    return any(ip in network for network in allowed)
