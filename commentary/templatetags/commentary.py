"""How edition pages show the discussion: the edition never imports commentary, its
templates load these tags."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import ngettext

from commentary.layers import layer_links, reader_layers
from commentary.models import Comment
from commentary.pages.discussion import get_discussed_paragraph
from commentary.pages.passages_gone import passages_gone
from commentary.pages.threads import paragraph_discussion_context
from commentary.permissions import allowed

register = template.Library()


@register.inclusion_tag("commentary/paragraph_discussion.html", takes_context=True)
def paragraph_discussion(context, paragraph, entry):
    """The paragraph's whole discussion and a comment form, for the paragraph page.

    ``entry`` is the paragraph's VersionParagraph in the version the page shows (with its
    revision and version): the current one, or the one of a version's own page; None when
    the passage is no longer in the current version: then it takes no new comments. One
    query for the comments, whatever their number.
    """
    request = context["request"]
    is_current = entry is None or entry.version_id == paragraph.work.current_version_id
    data = paragraph_discussion_context(
        request, paragraph=paragraph, entry=entry, is_current=is_current, standalone=True
    )
    data.update(request=request, csrf_token=context.get("csrf_token"))
    return data


@register.inclusion_tag("commentary/passages_gone.html", takes_context=True)
def comments_on_passages_gone(context, version):
    """Under a version's text: the passages it no longer holds that have comments the reader
    may see, each linking to its page. ``version.work`` must be loaded."""
    return {"passages": passages_gone(context["request"].user, version)}


@register.inclusion_tag("commentary/paragraph_discussion.html", takes_context=True)
def reading_discussion(context, work, version, key):
    """The discussion of passage ``key`` in the reading page's panel, opened by the server
    (``?discussion=<key>``): the same fragment htmx loads there."""
    request = context["request"]
    paragraph, entry = get_discussed_paragraph(work.slug, key, version.number)
    data = paragraph_discussion_context(
        request,
        paragraph=paragraph,
        entry=entry,
        is_current=version.pk == work.current_version_id,
    )
    data.update(request=request, csrf_token=context.get("csrf_token"))
    return data


@register.inclusion_tag("commentary/discussion_layers.html", takes_context=True)
def discussion_layers(context, work, page_url, discussion=None):
    """The layer switch near the top of a reading page, for a member of reading groups that
    read ``work``: links to ``page_url`` in the public layer and in each group's (keeping
    the ``discussion`` open); nothing for anybody else. The layers were read with the page,
    so it costs no query."""
    layers = reader_layers(context["request"], work)
    if not layers.groups:
        return {"links": []}
    return {
        "links": layer_links(layers, page_url, discussion=discussion, anchor=discussion or ""),
        "post_first": layers.group if layers.hides_until_posted else None,
    }


@register.simple_tag(takes_context=True)
def comments_left_by_removal(context, work, rows) -> dict[str, int]:
    """For a draft's review: {key: number of comments the editor may see} for each passage
    the draft removes (``rows`` whose status is "removed"); those comments will be shown as
    on a passage no longer in the text. One query."""
    keys = [row.key for row in rows if row.status == "removed"]
    if not keys:
        return {}
    comments = Comment.objects.visible_to(context["request"].user).live().on_work(work)
    return comments.counts_by_key(keys)


@register.simple_tag
def removal_warning(counts: dict[str, int], key: str | None = None) -> str:
    """What removing passage ``key`` (or, without it, every passage of ``counts``) does to
    its comments; empty when it has none."""
    count = counts.get(key, 0) if key is not None else sum(counts.values())
    if not count:
        return ""
    if key is not None:
        text = ngettext(
            "%(count)s comment on this passage will be shown as on a passage no longer in "
            "the text.",
            "%(count)s comments on this passage will be shown as on a passage no longer in "
            "the text.",
            count,
        )
    else:
        text = ngettext(
            "Publishing this draft removes passages that have %(count)s comment: it will be shown "
            "as on a passage no longer in the text.",
            "Publishing this draft removes passages that have %(count)s comments: they will be "
            "shown as on a passage no longer in the text.",
            count,
        )
    return text % {"count": count}


@register.simple_tag(takes_context=True)
def allowed_to(context, name: str, obj=None) -> bool:
    """The permission table's answer for the page's reader: ``{% allowed_to "group.change"
    group as may_change %}``, so that no template compares roles itself."""
    return allowed(context["request"].user, name, obj)


@register.inclusion_tag("commentary/discussion_downloads.html")
def discussion_downloads(work, version, chapter=None, layer_query=""):
    """Where a reading page offers its text with its discussion to take away: the TEI,
    Markdown and EPUB exports (EPUB where the server has pandoc) and the W3C annotation
    container, of the chapter ``chapter`` (a part) or of the whole work, in the reader's
    layer (``layer_query``: a reading group's, which only its members reach). Nothing in
    it is personal: the shared reading page carries it."""
    from commentary.annotations.pages.exports import pandoc_path

    group = QueryDict(layer_query).get("group")
    is_current = version.pk == work.current_version_id
    scope = [("chapter", chapter.slug)] if chapter else []
    export_query = urlencode(
        [
            *scope,
            *([] if is_current else [("version", version.number)]),
            *QueryDict(layer_query).items(),
        ]
    )
    if group:
        container = reverse("api:group-annotations", kwargs={"slug": group})
    else:
        container = reverse("api:work-annotations", kwargs={"slug": work.slug})
    return {
        "work": work,
        "chapter": chapter,
        "query": f"?{export_query}" if export_query else "",
        "epub": pandoc_path() is not None,
        # The containers hold the current version's passages.
        "annotations": f"{container}?{urlencode(scope)}" if scope else container,
        "annotations_shown": is_current,
    }
