"""Reads of comments that depend on who is asking.

A comment's *subject* is a public plan, commitment, consultation or
consultation section; drafts and unpublished records answer 404 here, the
one place that decides. What the public sees of a thread: published
comments and their published replies; a hidden comment only as a
"hidden by a moderator" notice, and only when replies keep it in the thread;
a pending comment only to its own author.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from commitments.models import Commitment
from consultations.models import Comment, Consultation, ConsultationSection
from plans.models import ActionPlan

# The query-string and form field naming each kind of subject, most specific last.
SUBJECT_KINDS = ("plan", "commitment", "consultation", "section")
# The combinations naming one subject: a section may come with its consultation.
ONE_SUBJECT = [{"plan"}, {"commitment"}, {"consultation"}, {"section"}, {"consultation", "section"}]
THREAD_PAGE_SIZE = 50


def subject_kind(subject) -> str:
    if isinstance(subject, ActionPlan):
        return "plan"
    if isinstance(subject, Commitment):
        return "commitment"
    if isinstance(subject, Consultation):
        return "consultation"
    if isinstance(subject, ConsultationSection):
        return "section"
    raise TypeError(f"Comments are not taken on {type(subject).__name__}")


def subject_consultation(subject) -> Consultation | None:
    """The consultation whose rules (dates, moderation, anonymity) apply, if any."""
    kind = subject_kind(subject)
    if kind == "consultation":
        return subject
    if kind == "section":
        return subject.consultation
    return None


def subject_fields(subject) -> dict:
    """The comment's subject columns, as stored and as filtered on."""
    kind = subject_kind(subject)
    consultation = subject_consultation(subject)
    fields = {"commitment": None, "consultation": consultation, "section": None}
    if kind == "plan":
        return {**fields, "plan": subject}
    fields[kind] = subject
    plan_id = consultation.plan_id if consultation is not None else subject.plan_id
    return {**fields, "plan_id": plan_id}


def _subject_filter(subject) -> Q:
    fields = subject_fields(subject)
    # Plan comments are those about the plan itself, not about its parts.
    return Q(**{key: value for key, value in fields.items() if key != "plan_id"})


def comment_subject_get_public(params) -> object:
    """The subject named by request parameters (`plan`, `commitment`,
    `consultation` and/or `section`, each a primary key), if the public may
    see it; else 404, the same for "draft" and "does not exist"."""
    given = {}
    for kind in SUBJECT_KINDS:
        value = params.get(kind)
        if value in (None, ""):
            continue
        if not str(value).isdigit():
            raise Http404
        given[kind] = int(value)
    if set(given) not in ONE_SUBJECT:
        raise Http404
    if "section" in given:
        sections = ConsultationSection.objects.filter(
            consultation__in=Consultation.objects.published()
        ).select_related("consultation", "consultation__plan")
        if "consultation" in given:
            sections = sections.filter(consultation_id=given["consultation"])
        return get_object_or_404(sections, pk=given["section"])
    if "consultation" in given:
        consultations = Consultation.objects.published().select_related("plan")
        return get_object_or_404(consultations, pk=given["consultation"])
    if "commitment" in given:
        commitments = Commitment.objects.published().select_related("plan")
        return get_object_or_404(commitments, pk=given["commitment"])
    return get_object_or_404(ActionPlan.objects.published(), pk=given["plan"])


def subject_params(subject) -> dict:
    """The parameters naming this subject (the inverse of comment_subject_get_public)."""
    kind = subject_kind(subject)
    if kind == "section":
        return {"consultation": subject.consultation_id, "section": subject.pk}
    return {kind: subject.pk}


def comment_get_public(*, pk) -> Comment:
    """A comment anyone may see (and report): published, on a public subject."""
    comments = Comment.objects.published().filter(
        Q(commitment__isnull=True) | Q(commitment__in=Commitment.objects.published()),
        Q(consultation__isnull=True) | Q(consultation__in=Consultation.objects.published()),
        plan__in=ActionPlan.objects.published(),
    )
    return get_object_or_404(
        comments.select_related("plan", "commitment", "consultation", "section"), pk=pk
    )


def comment_parent_get(*, subject, pk) -> Comment:
    """The published comment of this subject a reply answers. A reply to a
    reply answers the comment on top of it: threads stay one level deep."""
    comment = get_object_or_404(
        Comment.objects.published().filter(_subject_filter(subject)).select_related("parent"),
        pk=pk,
    )
    return comment.parent or comment


def comment_subject(comment: Comment):
    """What the comment is about (its page)."""
    return comment.section or comment.consultation or comment.commitment or comment.plan


def _visible_to(viewer) -> Q:
    visible = Q(status=Comment.Status.PUBLISHED)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(status=Comment.Status.PENDING, author=viewer)
    return visible


@dataclass
class Thread:
    """One page of a subject's thread: `comments` are the top-level ones on
    this page, each with `visible_replies`; `total` counts published comments
    and replies."""

    comments: list
    total: int
    page: object


def comment_thread_public(subject, *, viewer=None, page_number=1) -> Thread:
    """The subject's thread as the viewer may see it, in three queries
    whatever its length (one when there is nothing to show)."""
    visible = _visible_to(viewer)
    replies = Comment.objects.filter(visible).select_related("author__citizen_profile")
    has_visible_reply = Exists(replies.filter(parent=OuterRef("pk")))
    top_level = (
        Comment.objects.filter(_subject_filter(subject), parent__isnull=True)
        .annotate(has_reply=has_visible_reply)
        .filter(visible | Q(status=Comment.Status.HIDDEN, has_reply=True))
    )
    counts = (
        Comment.objects.filter(_subject_filter(subject))
        .annotate(has_reply=has_visible_reply)
        .aggregate(
            total=Count("pk", filter=Q(status=Comment.Status.PUBLISHED)),
            threads=Count(
                "pk",
                filter=Q(parent__isnull=True)
                & (visible | Q(status=Comment.Status.HIDDEN, has_reply=True)),
            ),
        )
    )
    paginator = _KnownCountPaginator(
        top_level.select_related("author__citizen_profile")
        .prefetch_related(
            Prefetch(
                "replies", queryset=replies.order_by("created_at", "pk"), to_attr="visible_replies"
            )
        )
        .order_by("created_at", "pk"),
        THREAD_PAGE_SIZE,
        count=counts["threads"],
    )
    page = paginator.get_page(page_number)
    comments = list(page.object_list) if counts["threads"] else []
    for comment in comments:
        if comment.status == Comment.Status.HIDDEN:
            # Gone from the page: neither what was written nor by whom.
            comment.body = ""
            comment.author = None
    return Thread(comments=comments, total=counts["total"], page=page)


class _KnownCountPaginator(Paginator):
    """A paginator told its count, which the thread's one aggregate query has."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count
