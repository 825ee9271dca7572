"""What the webhooks wing hears (connected in ``CommentaryConfig.ready``), each after its
event's commit, and the event it makes of it (``deliveries.event_deliver``):

- a new comment: ``comment.created``; an edit: ``comment.updated``; a deletion by its
  author: ``comment.deleted``;
- a moderation decision: ``decision.made`` for those who moderate the comment, and, when
  it changed the comment's state, ``comment.updated`` for those who may read it now;
- a new current version of a work: ``version.published``.

It also registers a member's endpoints with their data: listed (never their secrets) in the
download of their data, deleted with their account.
"""

from commentary import events
from commentary.accounts.member_data import register_member_data
from commentary.webhooks import wanted
from commentary.webhooks.deliveries import event_deliver
from commentary.webhooks.models import EventType, WebhookEndpoint
from edition import events as edition_events


def _created(*, comment, **_ignored) -> None:
    event_deliver(EventType.COMMENT_CREATED, comment=comment)


def _edited(*, comment, **_ignored) -> None:
    event_deliver(EventType.COMMENT_UPDATED, comment=comment)


def _deleted(*, comment, **_ignored) -> None:
    event_deliver(EventType.COMMENT_DELETED, comment=comment)


def _decided(*, comment, status_changed=True, **_ignored) -> None:
    event_deliver(EventType.DECISION_MADE, comment=comment)
    if status_changed:
        event_deliver(EventType.COMMENT_UPDATED, comment=comment)


def _version_published(*, version, **_ignored) -> None:
    event_deliver(EventType.VERSION_PUBLISHED, version=version)


def _exported(user) -> list[dict]:
    return [
        {
            "target_url": endpoint.target_url,
            "description": endpoint.description,
            "events": endpoint.event_list,
            "created": endpoint.created_at.isoformat(),
            "enabled": endpoint.is_enabled,
        }
        for endpoint in WebhookEndpoint.objects.filter(owner=user).order_by("pk")
    ]


def _erased(user) -> None:
    WebhookEndpoint.objects.filter(owner=user).delete()


def listen() -> None:
    connections = [
        (events.comment_created, _created, "created"),
        (events.comment_edited, _edited, "edited"),
        (events.comment_deleted, _deleted, "deleted"),
        (events.comment_decided, _decided, "decided"),
        (edition_events.version_published, _version_published, "version-published"),
    ]
    for signal, receiver, name in connections:
        signal.connect(receiver, dispatch_uid=f"webhooks-{name}")
    register_member_data("webhooks", export=_exported, erase=_erased)
    wanted.listen()
