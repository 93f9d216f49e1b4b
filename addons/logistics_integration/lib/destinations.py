"""Where a partner may ask us to send data: the public internet only.

A self-service subscription names a URL that Odoo's server then calls. Without
this check a partner could make the server post to its own network (the
database, an admin interface, a cloud metadata address)."""

import ipaddress
import socket


def private_address(hostname, port):
    """The first non-public address ``hostname`` resolves to, or None.

    A name that does not resolve is refused as well: it names nothing yet."""
    try:
        infos = socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return hostname
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global:
            return str(address)
    return None
