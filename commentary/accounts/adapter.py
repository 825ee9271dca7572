"""Account mail (sign-up confirmation, password reset) as django-allauth sends it, with every
link on the site's own address.

allauth builds the links of its mail from the request, so a request that names another host
(``Host: evil.example``, still allowed by a port or a wildcard) would send a reset link
pointing there. With ``SCHOLIA_SITE_URL`` set, links and the site's name in the mail use it
whatever the request said; without it (development) the request is trusted.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter

from config.site.caching import site_origin


@dataclass(frozen=True)
class SiteAddress:
    """What the mail templates read of ``current_site``."""

    domain: str
    name: str


def on_site(url: str, origin: str) -> str:
    """``url`` with its scheme and host replaced by those of ``origin``."""
    parts, site = urlsplit(url), urlsplit(origin)
    if not parts.netloc:
        return url
    return parts._replace(scheme=site.scheme, netloc=site.netloc).geturl()


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        origin = site_origin()
        if origin:
            # Every link allauth hands its mail templates is named ``…_url``.
            context = {
                name: on_site(value, origin)
                if name.endswith("_url") and isinstance(value, str)
                else value
                for name, value in context.items()
            }
            host = urlsplit(origin).netloc
            context["current_site"] = SiteAddress(domain=host, name=host)
        super().send_mail(template_prefix, email, context)
