"""``{% comment_citation_tags comment %}``: the Highwire meta tags of a comment's page;
``{% comment_citation_downloads comment %}``: its CSL-JSON, BibTeX and RIS links."""

from django import template

from commentary.annotations.citations import comment_cited, comment_downloads
from edition.citation_formats import highwire_tags

register = template.Library()


@register.inclusion_tag("includes/citation_meta.html", takes_context=True)
def comment_citation_tags(context, comment) -> dict:
    url = context["request"].build_absolute_uri(comment.get_absolute_url())
    return {"citation_tags": highwire_tags(comment_cited(comment, url))}


@register.inclusion_tag("includes/citation_downloads.html")
def comment_citation_downloads(comment) -> dict:
    return {"citation_downloads": comment_downloads(comment.pk)}
