"""``manage.py load_demo``: the seed text, demo accounts and a small discussion, then the
chapter's second version, idempotently.

The discussion is written on the first version and the second is published over it, so a
newcomer sees the version switcher and comments "written on v1". Running it again changes
nothing that is there already: the import leaves an unchanged text alone, accounts are
created only when missing (a password someone changed stays changed), the discussion is
written only on a site that has no comment at all, and the second version is imported only
over the first.
The moderation queue gets a held comment (the newcomer's first) and a flagged one, each
once. ``reader`` owns a reading group that ``reader2`` is in, with a short discussion of
its own, so that signing in as either shows a group's layer at once; made once.
"""

from dataclasses import dataclass, field
from io import StringIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from commentary.accounts.models import Profile
from commentary.accounts.profiles import profile_update
from commentary.groups.invitations import group_join
from commentary.groups.models import ReadingGroup
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.moderation.models import Flag
from commentary.moderation.moderators import moderators_group
from commentary.services import comment_create
from edition.models import Paragraph, VersionParagraph, Work
from edition.seed import SEED_SLUG, seed_import

DEMO_PASSWORD = "scholia-demo"
# The revision an editor would publish: corrected spellings, a split, a move. Without the
# file, the demo has the first version only.
REVISION_FILE = settings.BASE_DIR / "fixtures" / "october-1917-chapter-one-v2.txt"
REVISION_NOTE = "Names spelt as most English sources now spell them; a paragraph split, one moved."
EDITORS, MODERATORS = "Editors", "Moderators"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    bio: str
    group: str = ""
    is_staff: bool = False
    # The cast of the demo discussion are established members; only the newcomer is new.
    trusted: bool = True

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


ACCOUNTS = [
    DemoAccount(
        "editor",
        "Editor (demo)",
        "Prepares the edition: imports, reviews and publishes versions of the text.",
        group=EDITORS,
        is_staff=True,
    ),
    DemoAccount(
        "moderator",
        "Moderator (demo)",
        "Keeps the discussion on topic and decides on flagged comments.",
        group=MODERATORS,
    ),
    DemoAccount("reader", "Reader One (demo)", "Reads the chapter with a study group."),
    DemoAccount("reader2", "Reader Two (demo)", "Interested in the history of the Third World."),
    DemoAccount(
        "newcomer",
        "Newcomer (demo)",
        "Joined this week: their first comments wait for a moderator.",
        trusted=False,
    ),
]

HELD = (
    "The NEP implemented this strategy",
    "Is the NEP not simply capitalism under another name? I would like to see the chapter "
    "argue this against its critics.",
)
# (phrase of the thread, its author, who flags it, reason, note)
FLAGGED = (
    "The Jdanov doctrine pursued one main aim",
    "reader",
    "reader2",
    Flag.Reason.OFF_TOPIC,
    "Bandung comes much later in the chapter; this belongs there.",
)


@dataclass
class DemoComment:
    author: str
    body: str
    quote: str = ""
    replies: list["DemoComment"] = field(default_factory=list)


# Each thread is placed on the paragraph containing `phrase`, found in the published text
# rather than by key, so that a change of the importer does not misplace the discussion.
THREADS: list[tuple[str, DemoComment]] = [
    (
        "storming of the skies",
        DemoComment(
            "reader",
            "The phrase echoes Marx on the Communards, who in his letter to Kugelmann of "
            "April 1871 were *storming heaven*. Setting 1871 beside 1917 frames October as "
            "one moment of a longer arc rather than a one-off.",
            quote="storming of the skies",
            replies=[
                DemoComment(
                    "reader2",
                    "Note the order of the argument: the chapter first grants the Soviet "
                    "record its due (the Red Army, support for the liberation struggles) "
                    "and only then turns to the critique.",
                    replies=[
                        DemoComment(
                            "reader",
                            "Yes, and the next paragraph says so outright: neither to "
                            "denigrate nor to look back with nostalgia.",
                            replies=[
                                DemoComment(
                                    "editor",
                                    "Editorial note: the single quotation marks around "
                                    "‘storming of the skies’ are the author's; the edition "
                                    "keeps the typography of the source.",
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
    ),
    (
        "historical capitalism has always been imperialist",
        DemoComment(
            "moderator",
            "The key theoretical move of the chapter: against Lenin's *highest stage*, "
            "imperialism is as old as capitalism itself, a polarisation between centres and "
            "peripheries since the sixteenth century.",
            replies=[
                DemoComment(
                    "reader",
                    "Is the claim that the pre-monopolist system was *not less imperialist* "
                    "argued anywhere beyond the example of India?",
                    replies=[
                        DemoComment(
                            "reader2",
                            "The example carries more weight than it seems: British "
                            "hegemony rested on the colonial domination of India. A reading "
                            "group could pair this paragraph with Lenin's pamphlet itself.",
                        )
                    ],
                )
            ],
        ),
    ),
    (
        "The NEP implemented this strategy",
        DemoComment(
            "reader2",
            "*Mainly a peasant revolution*: this is the hinge for everything said later "
            "about collectivisation. The NEP appears here as a way of linking the peasantry "
            "to the construction of socialism, not as a retreat from it.",
            replies=[
                DemoComment(
                    "editor",
                    "Collectivisation comes back a few paragraphs further on, in the "
                    "paragraph that opens “Collectivization was the price of that choice”.",
                )
            ],
        ),
    ),
    (
        "The Jdanov doctrine pursued one main aim",
        DemoComment(
            "reader",
            "Worth reading against Bandung (1955): only after it did Moscow support the "
            "countries in conflict with imperialism and break out of its isolation.",
        ),
    ),
]


READING_GROUP = (
    "Tuesday reading group",
    "Reader One's seminar on chapter one: our notes stay between us until we share them.",
)
# Placed like THREADS, inside the reading group.
GROUP_THREADS: list[tuple[str, DemoComment]] = [
    (
        "storming of the skies",
        DemoComment(
            "reader",
            "For Tuesday: before the discussion, note where the chapter first weighs the "
            "Soviet record, and where it turns to critique.",
            replies=[
                DemoComment(
                    "reader2",
                    "It grants the achievements in this very paragraph; the turn comes with "
                    "*neither to denigrate nor to look back with nostalgia*.",
                )
            ],
        ),
    ),
    (
        "historical capitalism has always been imperialist",
        DemoComment(
            "reader2",
            "Question for the group: does this paragraph contradict Lenin, or only date "
            "his *highest stage* differently?",
        ),
    ),
]


class Command(BaseCommand):
    help = (
        "Import the seed text, create demo accounts (password: scholia-demo) and a small "
        "demo discussion. Safe to run again: it duplicates nothing."
    )

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        self._import_seed(verbosity)
        with transaction.atomic():
            users = {account.username: self._ensure_account(account) for account in ACCOUNTS}
        written = self._write_discussion(users)
        if written:
            self.stdout.write(f"Wrote a demo discussion of {written} comments.")
        else:
            self.stdout.write("The site already has comments: no demo discussion written.")
        queued = self._write_moderation_queue(users)
        if queued:
            self.stdout.write(f"Put {queued} comments in the moderation queue (/moderation/).")
        in_group = self._write_reading_group(users)
        if in_group:
            self.stdout.write(
                f"Made the reading group “{READING_GROUP[0]}” (reader, reader2) with "
                f"{in_group} comments."
            )
        self._import_revision(verbosity)
        self._print_logins()

    def _import_seed(self, verbosity: int) -> None:
        work = Work.objects.filter(slug=SEED_SLUG).select_related("current_version").first()
        if work is None or work.current_version is None or work.current_version.number == 1:
            # Imported again over a later version, the seed would make a draft reverting it.
            work = seed_import(report=self.stdout if verbosity > 1 else None)
        self.stdout.write(f"Seed text: {work.title}, version {work.current_version.number}.")

    def _import_revision(self, verbosity: int) -> None:
        work = Work.objects.select_related("current_version").get(slug=SEED_SLUG)
        if work.current_version.number != 1 or not REVISION_FILE.exists():
            return
        call_command(
            "import_text",
            SEED_SLUG,
            str(REVISION_FILE),
            "--note",
            REVISION_NOTE,
            "--publish",
            stdout=self.stdout if verbosity > 1 else StringIO(),
        )
        work.refresh_from_db()
        self.stdout.write(f"Second version of the text published: v{work.current_version.number}.")

    def _ensure_account(self, account: DemoAccount):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": account.email, "is_staff": account.is_staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            profile_update(
                user=user, display_name=account.display_name, affiliation="", bio=account.bio
            )
        if account.trusted:
            # Only where no moderator decided otherwise.
            Profile.objects.filter(user=user, trusted__isnull=True).update(trusted=True)
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if account.group:
            user.groups.add(self._group(account.group))
        return user

    def _group(self, name: str) -> Group:
        if name == MODERATORS:
            return moderators_group()
        group, created = Group.objects.get_or_create(name=name)
        if created and name == EDITORS:
            # Editors work on the text in the admin; nothing published is ever deleted.
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="edition").exclude(
                    codename__startswith="delete_"
                )
            )
        return group

    @transaction.atomic
    def _write_discussion(self, users: dict) -> int:
        if Comment.objects.exists():
            return 0
        work = Work.objects.get(slug=SEED_SLUG)
        written = 0
        for phrase, root in THREADS:
            paragraph, text = self._paragraph_with(work, phrase)
            if paragraph is None:
                self.stderr.write(f"No paragraph contains “{phrase}”: thread left out.")
                continue
            written += self._write_thread(root, users, paragraph=paragraph, text=text)
        return written

    @transaction.atomic
    def _write_moderation_queue(self, users: dict) -> int:
        """A held comment and a flagged one, each written once, through the services a
        member would use: the newcomer's first comment is held as every new member's is.
        Only beside the demo discussion: a site with a discussion of its own gets none."""
        cast = [users["reader"], users["reader2"]]
        if not Comment.objects.filter(author__in=cast).exists():
            return 0
        work = Work.objects.get(slug=SEED_SLUG)
        queued = 0
        phrase, body = HELD
        paragraph, _text = self._paragraph_with(work, phrase)
        if paragraph is not None and not Comment.objects.filter(author=users["newcomer"]).exists():
            comment_create(author=users["newcomer"], body=body, paragraph=paragraph)
            queued += 1
        phrase, author, flagger, reason, note = FLAGGED
        paragraph, _text = self._paragraph_with(work, phrase)
        flagged = (
            Comment.objects.filter(author=users[author], paragraph=paragraph, parent=None).first()
            if paragraph is not None
            else None
        )
        if flagged is not None and not Flag.objects.exists():
            flag_create(comment=flagged, user=users[flagger], reason=reason, note=note)
            queued += 1
        return queued

    @transaction.atomic
    def _write_reading_group(self, users: dict) -> int:
        """reader's reading group, reader2 in it, and its discussion: made once, and only
        beside the demo discussion, like the moderation queue."""
        owner, member = users["reader"], users["reader2"]
        if not Comment.objects.filter(author=owner, group__isnull=True).exists():
            return 0
        if ReadingGroup.objects.filter(memberships__user=owner, name=READING_GROUP[0]).exists():
            return 0
        name, description = READING_GROUP
        group = group_create(owner=owner, name=name, works=[SEED_SLUG], description=description)
        group_join(user=member, code=group.invite_code)
        work = Work.objects.get(slug=SEED_SLUG)
        written = 0
        for phrase, root in GROUP_THREADS:
            paragraph, text = self._paragraph_with(work, phrase)
            if paragraph is not None:
                written += self._write_thread(
                    root, users, paragraph=paragraph, text=text, group=group
                )
        return written

    def _write_thread(
        self, demo: DemoComment, users, *, paragraph=None, text="", parent=None, group=None
    ):
        quote = {"exact": demo.quote} if demo.quote and demo.quote in text else None
        comment = comment_create(
            author=users[demo.author],
            body=demo.body,
            paragraph=None if parent else paragraph,
            parent=parent,
            quote=quote,
            group=None if parent else group,
        )
        return 1 + sum(self._write_thread(reply, users, parent=comment) for reply in demo.replies)

    @staticmethod
    def _paragraph_with(work: Work, phrase: str) -> tuple[Paragraph | None, str]:
        entry = (
            VersionParagraph.objects.filter(
                version=work.current_version, revision__text__contains=phrase
            )
            .select_related("paragraph", "revision")
            .order_by("position")
            .first()
        )
        return (entry.paragraph, entry.revision.text) if entry else (None, "")

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                f"Demo accounts, all with the password “{DEMO_PASSWORD}”. "
                "A demo only: never load them on a public site."
            )
        )
        self.stdout.write(f"  {'username':<10} {'email':<22} role")
        roles = {EDITORS: "editor (staff, admin)", MODERATORS: "moderator"}
        for account in ACCOUNTS:
            role = roles.get(account.group, "reader" if account.trusted else "new member")
            self.stdout.write(f"  {account.username:<10} {account.email:<22} {role}")
        self.stdout.write("Sign in at /accounts/login/ with the username or the email.")
