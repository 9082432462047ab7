import hashlib
from datetime import date

import reversion
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from itb_portal.contacts.reviews import PageReview, numbers_confirmed
from itb_portal.datafiles.records import last_changed
from itb_portal.datafiles.schema import future_problem
from itb_portal.datafiles.signoff import SignOff, recorded_sign_off
from itb_portal.pagecache.outage import last_known

from . import blocks
from .markdown import render

# The language the booklet is written and signed off in; every other language is a translation of it.
ENGLISH = "en"


def base_language(code: str | None) -> str:
    """The language part of a language code ("en-gb" is English, "ur" is Urdu), in lower case."""
    return (code or ENGLISH).split("-")[0].lower()


class SectionQuerySet(models.QuerySet):
    def published(self):
        """The booklet as patients read it in English: translations are shown only on their section's page."""
        return self.filter(is_published=True, language=ENGLISH).order_by("order", "title")

    def english(self):
        return self.filter(language=ENGLISH)

    def at_address(self, slug: str) -> "Section | None":
        """The section an address means: the one using it now, else the one that used it before a rename.

        Addresses are stored in lower case, so one typed with capitals finds the same section."""
        slug = slug.lower()
        return self.filter(slug=slug).first() or self.filter(old_slugs__old_slug=slug).first()

    def overdue_for_review(self, today: date | None = None):
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def review_dates(self) -> PageReview | None:
        """The review of these sections together: the oldest booklet date, the soonest review due, the
        sign-offs if every section has one, and the last change. A page built from files alone keeps
        working while the database is down, so
        then the dates this process read last are used."""

        def read():
            dates = self.aggregate(
                last=models.Min("last_reviewed"), due=models.Min("next_review_due"), changed=models.Max("updated_at")
            )
            rows = list(self.values_list("signed_off_on", "approver_name", "added_advice"))
            return dates, rows

        try:
            dates, rows = last_known(f"review-dates:{self.query}", read)
        except DatabaseError:
            return None
        found = None
        if dates["last"] is not None:
            signed = [SignOff(on, name) for on, name, _ in rows if on and name and on <= timezone.localdate()]
            found = PageReview(
                dates["last"],
                dates["due"],
                numbers_confirmed(),
                last_changed=dates["changed"],
                # Reviewed only if every section is; the date the booklet is based on is the oldest.
                sign_offs=tuple(sorted(set(signed))) if len(signed) == len(rows) else (),
                added_advice=any(added.strip() for _, _, added in rows),
            )
        return found


@reversion.register()
class Section(models.Model):
    """One part of the booklet: a page of its own, written in Markdown."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        "web address", max_length=100, unique=True, help_text="The page address. Changing it keeps old links working."
    )
    summary = models.CharField(max_length=300, help_text="One line, shown in the contents and in link previews.")
    order = models.PositiveIntegerField(default=0, help_text="Position in the booklet, lowest first.")
    body = MarkdownxField(
        help_text="Markdown. Use ## and ### for headings. Never type a sign, a phone number or an opening "
        "hour: name a data block instead, such as [[signs withdrawal]] or [[phone nurse-specialist]] "
        "(README, Editing content)."
    )
    # The body as sanitised HTML, with data blocks left as markers: `body_html` fills them in.
    stored_html = models.TextField(editable=False, default="")
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    review_started_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set by the admin action when the team starts reviewing this section; the page then says so.",
    )
    sources = models.TextField(blank=True, help_text="Where the facts come from, one per line.")
    is_published = models.BooleanField("shown to patients", default=True)
    edited_in_admin = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set when an editor saves in the admin, so loading content/ never overwrites that work.",
    )
    # Advice this page adds to the booklet (front matter `safety_additions`), one per line: the page
    # then says that some of its advice came after the booklet, so the booklet's date does not cover it.
    added_advice = models.TextField(blank=True, editable=False)
    # The last clinical sign-off of the text patients see: only ever a clinical approver's approval or
    # review in the admin (datafiles/signoff.py, sign_off). A load or release from git is not a clinical
    # check: it records nothing here, and clears a sign-off of text it changes. Pages name the approver.
    signed_off_on = models.DateField(null=True, blank=True, editable=False)
    signed_off_by = models.CharField(max_length=150, blank=True, editable=False, help_text="The approver's username.")
    approver_name = models.CharField(
        max_length=300, blank=True, editable=False, help_text="The approver's name as pages show it."
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # A translation is a section of its own (content/sections/<language>/), with the English section's
    # address under its language's prefix. It is shown only once a named approver signs it off, naming the
    # translation reviewer who compared it with the English (editorial/translations.py).
    language = models.CharField(
        max_length=12, default=ENGLISH, db_index=True, editable=False, help_text="The language code, such as ur."
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="The English section this translates.",
    )
    translated_from = models.CharField(
        "translated from English text version",
        max_length=64,
        blank=True,
        help_text="The English section's text version (shown on its page in the admin) this translation was "
        "made from. When the English text changes, the translation is marked out of date.",
    )
    translation_reviewer = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Who compared this translation with the English, as the approver named them at sign-off.",
    )

    objects = SectionQuerySet.as_manager()

    # The address this section had in the database when a save began; None for a new section. Set
    # just before each save (by a signal, so a raw save that restores a revision sets it too), and
    # read just after it, to keep the old address working.
    slug_before_save: str | None = None

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["translation_of", "language"], name="one_translation_per_language")
        ]

    def __str__(self) -> str:
        return self.title if self.is_english else f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        # A translation lives at its English section's address; the language prefix comes from the active language.
        return reverse("booklet:section", args=[self.translation_of.slug if self.translation_of_id else self.slug])

    @property
    def is_english(self) -> bool:
        return self.language == ENGLISH

    @property
    def text_version(self) -> str:
        """A short hash of what this section tells patients (title, summary, text). A translation names the
        English text version it was made from, in git and in the admin alike, so it works without a database."""
        text = "\n\0".join(part.replace("\r\n", "\n").strip() for part in (self.title, self.summary, self.body))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    @property
    def translation_out_of_date(self) -> bool:
        """True for a translation made from English text that has changed since."""
        return bool(self.translation_of_id) and self.translated_from != self.translation_of.text_version

    def clean(self) -> None:
        # Addresses are lower case, so one typed with capitals still finds the page.
        self.slug = self.slug.lower()
        problems = blocks.problems(self.body or "")
        if problems:
            raise ValidationError({"body": problems})
        if self.translation_of_id and (missing := missing_blocks(self, self.translation_of)):
            raise ValidationError({"body": missing})
        # The same review dates a section file must give (datafiles/sections.py): in order, and not yet to come.
        if self.last_reviewed and (problem := future_problem(self.last_reviewed, "Last reviewed")):
            raise ValidationError({"last_reviewed": problem})
        if self.last_reviewed and self.next_review_due and self.next_review_due <= self.last_reviewed:
            raise ValidationError({"next_review_due": "The next review must be due after the last review."})

    @property
    def body_html(self) -> str:
        """The body as HTML, every data block filled in from the rules and contacts in use now."""
        return blocks.expand(self.stored_html)

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def review(self) -> PageReview:
        """This section's own dates and sign-off, the numbers confirmed (if it shows numbers), a review an
        editor recorded, and when the page last changed: the section, or the data its blocks draw on."""
        changed = [self.updated_at, last_changed(blocks.data_used(self.body))]
        signed = recorded_sign_off(self)
        return PageReview(
            self.last_reviewed,
            self.next_review_due,
            numbers_confirmed=numbers_confirmed() if "contacts" in blocks.data_used(self.body) else None,
            review_started_on=self.review_started_on,
            last_changed=max(filter(None, changed), default=None),
            sign_offs=(signed,) if signed else (),
            added_advice=bool(self.added_advice.strip()),
        )

    def is_overdue_for_review(self, today: date | None = None) -> bool:
        return self.next_review_due < (today or timezone.localdate())


def block_markers(body: str) -> list[str]:
    """The data blocks a text names, such as "signs withdrawal", each once, in order."""
    return list(dict.fromkeys(" ".join(m.group(1).split()) for m in blocks.MARKER.finditer(body or "")))


def missing_blocks(translation: Section, english: Section) -> list[str]:
    """The English section's data blocks a translation leaves out. The signs, actions and numbers of a
    translated page come from the data through the same blocks, never typed in another language."""
    have = set(block_markers(translation.body))
    return [
        f"the translation leaves out the data block [[{marker}]] that the English section has: "
        "signs, actions and numbers are shown from the data, never translated by hand"
        for marker in block_markers(english.body)
        if marker not in have
    ]


class SlugRedirect(models.Model):
    """An old address of a section. It points at the section itself, so it always
    lands on the newest address in one hop: no chains, no loops."""

    old_slug = models.SlugField("old web address", max_length=100, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old web address"
        verbose_name_plural = "old web addresses (they lead to the new one)"

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.section.slug}"


# The HTML and old addresses are kept by signals, not in Section.save: restoring a revision (in
# the admin or in code) saves the section "raw", which skips save() but still sends these signals.
@receiver(pre_save, sender=Section)
def _render_body(sender, instance: Section, **kwargs) -> None:
    instance.stored_html = render(instance.body)


@receiver(pre_save, sender=Section)
def _translation_reviewer_covers_one_text(sender, instance: Section, **kwargs) -> None:
    # The translation reviewer compared one text with one English version: new text (an approved draft, a
    # release, a restored revision) or a new English version is theirs no longer, until an approver names them again.
    if instance.is_english or not instance.translation_reviewer or not instance.pk:
        return
    before = Section.objects.filter(pk=instance.pk).first()
    if before and (before.text_version, before.translated_from) != (instance.text_version, instance.translated_from):
        instance.translation_reviewer = ""


@receiver(pre_save, sender=Section)
def _remember_previous_slug(sender, instance: Section, **kwargs) -> None:
    instance.slug_before_save = (
        Section.objects.filter(pk=instance.pk).values_list("slug", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Section)
def _keep_old_addresses(sender, instance: Section, **kwargs) -> None:
    # An address now in use is no longer an old address of anything.
    SlugRedirect.objects.filter(old_slug=instance.slug).delete()
    previous = instance.slug_before_save
    if previous and previous != instance.slug:
        SlugRedirect.objects.update_or_create(old_slug=previous, defaults={"section": instance})


class LanguageLineSignOff(models.Model):
    """A clinical approver's sign-off of a language line (content/languages.yaml): the few sentences a page
    shows in a language about its translation, such as how to ask the team for one. A line is shown in its
    language only while its text is the text signed off here; until then, the English line is shown.
    Rows are only ever added (editorial/translations.py), so every sign-off stays on record."""

    ASK_FOR_TRANSLATION = "ask_for_translation"
    OUT_OF_DATE = "out_of_date"
    LINES = [
        (ASK_FOR_TRANSLATION, "How to ask the team for a translation"),
        (OUT_OF_DATE, "This translation is out of date"),
    ]

    language = models.CharField(max_length=12)
    line = models.CharField(max_length=40, choices=LINES)
    text = models.TextField(help_text="The line's text as signed off, from content/languages.yaml.")
    signed_off_on = models.DateField()
    signed_off_by = models.CharField(max_length=150, help_text="The approver's username.")
    approver_name = models.CharField(max_length=300, help_text="The approver's name as pages show it.")
    translation_reviewer = models.CharField(
        max_length=300, help_text="Who compared the line with its English, as the approver named them."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "line", "-pk"]
        verbose_name = "language line sign-off"

    def __str__(self) -> str:
        return f"{self.get_line_display()} ({self.language}), signed off by {self.approver_name}"
