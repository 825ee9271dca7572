"""Atom feeds (``django.contrib.syndication``): the recent public comments of a work, of
a paragraph and of a member; and a member's private feed, at a secret address, of their
notifications and their reading groups' comments.

The public feeds read ``Comment.objects.visible_to(None)``: what an anonymous reader sees,
never a group's comment. The private feed reads as its owner, when it is fetched: a member
removed from a group stops reading the group in it at once; a revoked address is a 404.
It is sent ``Cache-Control: private`` and ``X-Robots-Tag: noindex``.

Entry ids are ``tag:`` URIs (RFC 4151) naming the site and the comment, stable whatever
the feed it appears in.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from commentary.models import Comment, display_name_of
from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Notification, NotificationSettings
from edition.models import Paragraph, Work
from edition.numbering import passage_labels

ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    content: str
    guid: str
    written: datetime
    author: str


def _tag(request: HttpRequest, written: datetime, what: str) -> str:
    return f"tag:{request.get_host().split(':')[0]},{written:%Y-%m-%d}:{what}"


def comment_entries(request: HttpRequest, comments) -> list[Entry]:
    """Entries of comments read ``with_related()``; their passages labelled in one query."""
    comments = list(comments)
    labels = passage_labels((c.version_id, c.paragraph_id) for c in comments)
    return [
        Entry(
            title=_("%(author)s on %(passage)s of %(work)s")
            % {
                "author": display_name_of(comment.author),
                "passage": labels.get((comment.version_id, comment.paragraph_id), ""),
                "work": comment.work.title,
            },
            link=comment.get_absolute_url(),
            content=comment.body_html,
            guid=_tag(request, comment.created_at, f"comment:{comment.pk}"),
            written=comment.edited_at or comment.created_at,
            author=display_name_of(comment.author),
        )
        for comment in comments
    ]


def public_comments():
    return Comment.objects.visible_to(None).live().with_related().order_by("-pk")


class CommentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        return item.content

    def item_guid(self, item: Entry) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry) -> datetime:
        return item.written

    def item_updateddate(self, item: Entry) -> datetime:
        return item.written

    def item_author_name(self, item: Entry) -> str:
        return item.author

    def feed_guid(self, obj) -> str:
        return self.request.build_absolute_uri(self.request.path)

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)


def per_request(feed_class: type[Feed]):
    """A view making a feed object per request: the feeds keep the request they serve."""

    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        return feed_class()(request, **kwargs)

    return view


class WorkFeed(CommentFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Work:
        work = Work.objects.published().filter(slug=slug).first()
        if work is None:
            raise Http404("No such work.")
        return work

    def title(self, work: Work) -> str:
        return _("Comments on %(work)s") % {"work": work.title}

    def link(self, work: Work) -> str:
        return work.get_absolute_url()

    def items(self, work: Work) -> list[Entry]:
        return comment_entries(self.request, public_comments().filter(work=work)[:ENTRIES])


class ParagraphFeed(CommentFeed):
    def get_object(self, request: HttpRequest, slug: str, key: str) -> Paragraph:
        paragraph = (
            Paragraph.objects.published()
            .select_related("work")
            .filter(work__slug=slug, key=key)
            .first()
        )
        if paragraph is None:
            raise Http404("No such paragraph.")
        return paragraph

    def title(self, paragraph: Paragraph) -> str:
        return _("Comments on %(key)s of %(work)s") % {
            "key": paragraph.key,
            "work": paragraph.work.title,
        }

    def link(self, paragraph: Paragraph) -> str:
        return paragraph.get_absolute_url()

    def items(self, paragraph: Paragraph) -> list[Entry]:
        comments = public_comments().filter(paragraph=paragraph)[:ENTRIES]
        return comment_entries(self.request, comments)


class MemberFeed(CommentFeed):
    def get_object(self, request: HttpRequest, username: str):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}, is_active=True).first()
        if user is None:
            raise Http404("No such member.")
        return user

    def title(self, user) -> str:
        return _("Comments by %(name)s") % {"name": display_name_of(user)}

    def link(self, user) -> str:
        return reverse("people:user-detail", kwargs={"username": user.get_username()})

    def items(self, user) -> list[Entry]:
        return comment_entries(self.request, public_comments().filter(author=user)[:ENTRIES])


class PrivateFeed(CommentFeed):
    """A member's notifications and their groups' comments, as they may read them now."""

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, token: str):
        found = (
            NotificationSettings.objects.select_related("user")
            .filter(feed_token=token, user__is_active=True)
            .exclude(feed_token="")
            .first()
        )
        if found is None:
            raise Http404("No such feed.")
        return found.user

    def title(self, user) -> str:
        return _("Scholia for %(name)s") % {"name": display_name_of(user)}

    def link(self, user) -> str:
        return reverse("notifications:list")

    def items(self, user) -> list[Entry]:
        notes = Notification.objects.for_recipient(user).with_related()[:ENTRIES]
        told = [
            Entry(
                title=entry.summary,
                link=entry.url,
                content=entry.excerpt,
                guid=_tag(
                    self.request,
                    entry.notification.created_at,
                    f"notification:{entry.notification.pk}",
                ),
                written=entry.notification.created_at,
                author="Scholia",
            )
            for entry in notification_entries(notes)
        ]
        in_groups = (
            Comment.objects.visible_to(user)
            .live()
            .filter(group__isnull=False)
            .with_related()
            .order_by("-pk")[:ENTRIES]
        )
        entries = told + comment_entries(self.request, in_groups)
        return sorted(entries, key=lambda entry: entry.written, reverse=True)[:ENTRIES]
