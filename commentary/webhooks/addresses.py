"""Where a webhook may be sent: never inside the site's own network.

A receiver's address is refused if it is loopback, private, link-local, multicast,
reserved, unspecified, or otherwise not a global address (shared address space, ...), and
always if it is a cloud metadata address; networks listed in the setting
``SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS`` are allowed nonetheless (the tests allow 127.0.0.1).

A host name is resolved once, when sending (``resolve_checked``), and every address it
resolves to must pass: a name that answers with one public and one private address is
refused. The caller connects to the address checked, never resolving the name again, so
a second answer from a name server cannot send the request elsewhere.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address) for address in ("169.254.169.254", "fd00:ec2::254")
)


class AddressRefused(Exception):
    """The URL or the address it leads to may not be sent to; the message says why."""


def _allowed_networks() -> list:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS", [])
    ]


def address_check(address: str) -> None:
    """Raise AddressRefused unless ``address`` (an IP address) may receive webhooks."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        raise AddressRefused(_("%(address)s is a cloud metadata address.") % {"address": ip})
    if any(ip in network for network in _allowed_networks()):
        return
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        raise AddressRefused(
            _(
                "%(address)s is a loopback, private, link-local, multicast or reserved "
                "address: webhooks are sent only to public addresses."
            )
            % {"address": ip}
        )


def url_check(url: str) -> None:
    """What can be checked of a receiver's URL without the network: raise AddressRefused
    with a message for its owner unless it is http or https with a host, no credentials,
    and, if the host is an address or ``localhost``, an address that may receive."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise AddressRefused(_("This is not a valid URL.")) from error
    if parts.scheme not in ("http", "https"):
        raise AddressRefused(_("Use an http:// or https:// URL."))
    if not parts.hostname:
        raise AddressRefused(_("The URL names no host."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(_("Put no user name or password in the URL."))
    if port == 0:
        raise AddressRefused(_("Port 0 cannot be sent to."))
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return  # a name: resolved and checked when sending
    address_check(host)


def resolve_checked(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, each checked (``address_check``); raise
    AddressRefused if it resolves to none or any of them is refused."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(
            _("The host name did not resolve: %(error)s") % {"error": error}
        ) from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise AddressRefused(_("The host name resolved to no address."))
    for address in addresses:
        address_check(address)
    return addresses
