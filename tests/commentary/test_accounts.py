"""Profiles, the public profile page, profile settings, and personal API tokens."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from commentary.accounts.models import ApiToken, Profile
from commentary.accounts.profiles import profile_update
from commentary.accounts.token_users import token_users_changed
from commentary.accounts.tokens import token_create, token_revoke
from commentary.models import Comment
from commentary.services import comment_create, comment_delete
from config.site.token_auth import ApiTokenAuthentication
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, **fields):
    return get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, **fields
    )


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")


@pytest.fixture
def paragraph():
    work = build_work()
    build_version(work, [para("Lenin quickly learned the necessary historical lesson.")])
    return work.paragraphs.get()


def bearer(raw_key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


# Profiles


def test_it_creates_a_profile_when_a_user_signs_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "carol@example.com",
            "username": "carol",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    carol = get_user_model().objects.get(username="carol")
    assert Profile.objects.filter(user=carol).exists()


def test_it_mails_a_confirmation_link_on_sign_up(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "carol@example.com",
            "username": "carol",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    [message] = mailoutbox
    assert message.to == ["carol@example.com"]
    assert message.body.startswith("Hello from Scholia!")
    assert "/accounts/confirm-email/" in message.body


def test_it_creates_a_profile_for_a_user_made_anywhere_else(alice):
    assert Profile.objects.filter(user=alice).count() == 1


def test_it_updates_a_profile_without_surrounding_spaces(alice):
    profile_update(user=alice, display_name="  Alice A. ", affiliation=" SOAS ", bio="Hi.\n")
    alice.profile.refresh_from_db()
    assert (alice.profile.display_name, alice.profile.affiliation, alice.profile.bio) == (
        "Alice A.",
        "SOAS",
        "Hi.",
    )


def test_it_shows_the_public_profile(client, alice):
    profile_update(user=alice, display_name="Alice A.", affiliation="SOAS", bio="Reads Amin.")
    response = client.get(reverse("people:user-detail", kwargs={"username": "alice"}))
    assert response.status_code == 200
    for text in ("Alice A.", "SOAS", "Reads Amin."):
        assert text in response.content.decode()


def test_it_answers_404_for_an_unknown_user(client):
    response = client.get(reverse("people:user-detail", kwargs={"username": "nobody"}))
    assert response.status_code == 404


def test_it_answers_404_for_an_inactive_user(client):
    make_user("gone", is_active=False)
    response = client.get(reverse("people:user-detail", kwargs={"username": "gone"}))
    assert response.status_code == 404


def test_it_lists_a_pending_comment_to_its_author_only(client, alice, bob, paragraph):
    comment_create(author=alice, paragraph=paragraph, body="A published remark.")
    pending = comment_create(author=alice, paragraph=paragraph, body="A remark on hold.")
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.PENDING)
    url = reverse("people:user-detail", kwargs={"username": "alice"})

    anonymous = client.get(url).content.decode()
    client.force_login(bob)
    as_bob = client.get(url).content.decode()
    client.force_login(alice)
    as_alice = client.get(url).content.decode()

    for page in (anonymous, as_bob):
        assert "A published remark." in page
        assert "A remark on hold." not in page
    assert "A published remark." in as_alice
    assert "A remark on hold." in as_alice


def test_it_links_each_comment_with_its_paragraph_number(client, alice, paragraph):
    comment = comment_create(author=alice, paragraph=paragraph, body="On *this* passage.")
    response = client.get(reverse("people:user-detail", kwargs={"username": "alice"}))
    page = response.content.decode()
    assert f'href="{comment.get_absolute_url()}"' in page
    assert "On ¶ 1 of October 1917" in page
    assert f"¶ {paragraph.key}" not in page
    assert "On this passage." in page  # the excerpt, without its Markdown


def test_it_leaves_deleted_comments_out_of_the_profile(client, alice, paragraph):
    comment = comment_create(author=alice, paragraph=paragraph, body="Second thoughts.")
    comment_delete(comment=comment, by=alice)
    client.force_login(alice)
    response = client.get(reverse("people:user-detail", kwargs={"username": "alice"}))
    assert "Second thoughts." not in response.content.decode()


def test_it_pages_comments_fifty_at_a_time_newest_first(
    client, alice, paragraph, django_assert_max_num_queries, settings
):
    settings.SCHOLIA_COMMENT_RATE = "100/60"  # this test writes 51 comments at once
    for number in range(51):
        comment_create(author=alice, paragraph=paragraph, body=f"Remark number {number}.")
    url = reverse("people:user-detail", kwargs={"username": "alice"})
    # The person, the count, the page of comments, their labels in one query, and each
    # work's current wordings (two queries, then cached): never one more per comment.
    with django_assert_max_num_queries(7):
        first = client.get(url)
    second = client.get(url, {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert "Remark number 50." in first.content.decode()
    assert [c.body for c in second.context["page"]] == ["Remark number 0."]


def test_it_requires_login_to_edit_a_profile(client):
    response = client.get(reverse("people:profile-edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_saves_the_profile_form(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("people:profile-edit"),
        {"display_name": "Alice A.", "affiliation": "SOAS", "bio": "Reads Amin."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:user-detail", kwargs={"username": "alice"})
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice A."


def test_it_ties_a_profile_error_to_its_field(client, alice):
    client.force_login(alice)
    response = client.post(reverse("people:profile-edit"), {"display_name": "x" * 81})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_display_name_helptext id_display_name_error"' in page
    assert 'id="id_display_name_error"' in page


# Account pages (allauth inside the site's layout)


def test_it_renders_the_sign_in_page_in_the_site_layout(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'class="site-header"' in page
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page


def test_it_announces_a_failed_sign_in(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert 'aria-describedby="form-errors"' in page


def test_it_shows_sign_in_links_to_anonymous_visitors(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert reverse("account_login") in page
    assert "Sign out" not in page


def test_it_shows_the_account_menu_when_signed_in(client, alice):
    client.force_login(alice)
    page = client.get(reverse("people:profile-edit")).content.decode()
    assert reverse("people:token-list") in page
    assert f'action="{reverse("account_logout")}"' in page
    assert "csrfmiddlewaretoken" in page


# API tokens


def test_it_shows_a_new_key_once(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("people:token-list"), {"name": "export script", "scopes": ["read"]}
    )
    assert response["Location"] == reverse("people:token-created")

    shown = client.get(reverse("people:token-created"))
    raw_key = shown.context["raw_key"]
    assert raw_key in shown.content.decode()
    assert "will not be shown again" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]

    again = client.get(reverse("people:token-created"))
    assert again.status_code == 302
    listing = client.get(reverse("people:token-list")).content.decode()
    assert "export script" in listing
    assert raw_key not in listing


def test_it_stores_only_a_hash_and_a_short_prefix(alice):
    token, raw_key = token_create(user=alice, name="export script")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key.startswith(token.prefix)
    assert len(token.prefix) < len(raw_key) // 3
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw_key not in stored


def test_it_refuses_a_token_without_a_name(client, alice):
    client.force_login(alice)
    response = client.post(reverse("people:token-list"), {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_it_authenticates_the_api_with_a_bearer_token(client, alice):
    token, raw_key = token_create(user=alice, name="script")
    response = client.get("/api/v1/", **bearer(raw_key))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()


def test_it_authenticates_as_the_token_owner(alice):
    token, raw_key = token_create(user=alice, name="script")
    for header in (f"Bearer {raw_key}", f"Token {raw_key}"):
        request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=header)
        assert ApiTokenAuthentication().authenticate(request) == (alice, token)


def test_it_leaves_other_schemes_to_other_authenticators():
    request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION="Basic YWxpY2U6eA==")
    assert ApiTokenAuthentication().authenticate(request) is None


def test_it_refuses_a_revoked_token_with_401(client, alice):
    token, raw_key = token_create(user=alice, name="script")
    token_revoke(token=token, by=alice)
    response = client.get("/api/v1/", **bearer(raw_key))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "authentication_failed"


def test_it_answers_an_unknown_key_like_a_revoked_one(client, alice):
    token, raw_key = token_create(user=alice, name="script")
    token_revoke(token=token, by=alice)
    revoked = client.get("/api/v1/", **bearer(raw_key))
    unknown = client.get("/api/v1/", **bearer("sch_" + "x" * 40))
    assert unknown.status_code == 401
    assert unknown.json() == revoked.json()


def test_it_refuses_the_token_of_an_inactive_user(client, alice):
    token, raw_key = token_create(user=alice, name="script")
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get("/api/v1/", **bearer(raw_key)).status_code == 401


def test_it_notes_the_day_a_token_was_used_at_most_once_a_day(client, alice):
    token, raw_key = token_create(user=alice, name="script")
    yesterday = timezone.localdate() - timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_on=yesterday)
    # update() sends no signal: forget the token's kept entry as a save would.
    token_users_changed()
    client.get("/api/v1/", **bearer(raw_key))
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()

    # The same day again: nothing is written (the token is read, or kept from the last use).
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/", **bearer(raw_key))
    assert not [query for query in queries if query["sql"].lstrip().upper().startswith("UPDATE")]


def test_it_revokes_a_token_from_the_settings_page(client, alice):
    token, _ = token_create(user=alice, name="script")
    client.force_login(alice)
    response = client.post(reverse("people:token-revoke", kwargs={"pk": token.pk}))
    assert response["Location"] == reverse("people:token-list")
    token.refresh_from_db()
    assert token.is_revoked


def test_it_answers_404_when_bob_revokes_alices_token(client, alice, bob):
    token, _ = token_create(user=alice, name="script")
    client.force_login(bob)
    response = client.post(reverse("people:token-revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked


def test_it_revokes_only_with_post(client, alice):
    token, _ = token_create(user=alice, name="script")
    client.force_login(alice)
    response = client.get(reverse("people:token-revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 405


def test_token_revoke_refuses_anyone_but_the_owner(alice, bob):
    token, _ = token_create(user=alice, name="script")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=bob)


def test_it_lists_only_the_users_own_tokens(client, alice, bob):
    token_create(user=alice, name="alice's script")
    token_create(user=bob, name="bob's script")
    client.force_login(bob)
    page = client.get(reverse("people:token-list")).content.decode()
    assert "bob&#x27;s script" in page
    assert "alice&#x27;s script" not in page


def test_it_requires_login_for_the_token_pages(client):
    for name in ("people:token-list", "people:token-created"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Admin


@pytest.fixture
def admin_client_of_staff(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_never_shows_a_tokens_hash(admin_client_of_staff, alice):
    token, raw_key = token_create(user=alice, name="script")
    url = reverse("admin:commentary_apitoken_change", args=[token.pk])
    page = admin_client_of_staff.get(url).content.decode()
    assert token.prefix in page
    assert token.key_hash not in page
    assert raw_key not in page


def test_the_admin_revokes_tokens_through_the_service(admin_client_of_staff, alice):
    token, _ = token_create(user=alice, name="script")
    response = admin_client_of_staff.post(
        reverse("admin:commentary_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_revoked


def test_the_admin_lists_comments_by_status_without_letting_them_be_edited(
    admin_client_of_staff, alice, paragraph
):
    comment = comment_create(author=alice, paragraph=paragraph, body="A remark.")
    changelist = reverse("admin:commentary_comment_changelist")
    assert admin_client_of_staff.get(changelist, {"status__exact": "published"}).status_code == 200
    change = reverse("admin:commentary_comment_change", args=[comment.pk])
    assert admin_client_of_staff.get(change).status_code == 200
    response = admin_client_of_staff.post(change, {"body": "Rewritten by staff."})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "A remark."
