"""How edition pages show the discussion: the edition never imports commentary, its
templates load these tags."""

from django import template

from commentary.pages.passages_gone import passages_gone
from commentary.pages.threads import paragraph_discussion_context

register = template.Library()


@register.inclusion_tag("commentary/paragraph_discussion.html", takes_context=True)
def paragraph_discussion(context, paragraph, entry):
    """The paragraph's whole discussion and a comment form, for the paragraph page.

    ``entry`` is the paragraph's VersionParagraph in the current version (with its revision
    and version), or None when the passage is no longer in it: then it takes no new
    comments. One query for the comments, whatever their number.
    """
    request = context["request"]
    data = paragraph_discussion_context(request, paragraph=paragraph, entry=entry, standalone=True)
    data.update(request=request, csrf_token=context.get("csrf_token"))
    return data


@register.inclusion_tag("commentary/passages_gone.html", takes_context=True)
def comments_on_passages_gone(context, version):
    """Under a version's text: the passages it no longer holds that have comments the reader
    may see, each linking to its page. ``version.work`` must be loaded."""
    return {"passages": passages_gone(context["request"].user, version)}
