"""The Atom feeds' addresses (``/feeds/…`` and a ``feed/`` beside a work, a paragraph and a
member's profile); config/urls.py includes them before the pages they sit beside."""

from django.urls import path

from commentary.notifications.pages import feeds

app_name = "feeds"

urlpatterns = [
    path("works/<slug:slug>/feed/", feeds.per_request(feeds.WorkFeed), name="work"),
    path(
        "works/<slug:slug>/p/<slug:key>/feed/",
        feeds.per_request(feeds.ParagraphFeed),
        name="paragraph",
    ),
    path("users/<username:username>/feed/", feeds.per_request(feeds.MemberFeed), name="member"),
    path("feeds/<str:token>/", feeds.per_request(feeds.PrivateFeed), name="private"),
]
