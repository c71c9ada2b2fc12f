"""Reads about citizens' accounts that depend on who is asking."""

from django.conf import settings
from django.db.models import Exists
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commitments.models import Commitment
from plans.models import ActionPlan

from ..models import (
    Ballot,
    CitizenProfile,
    Comment,
    Feedback,
    Follow,
    Notification,
    Proposal,
)


def citizen_can_participate(user) -> bool:
    """Signed in with a citizen account whose email is confirmed (double
    opt-in). Staff and monitors take part through a citizen profile too."""
    if not user.is_authenticated or not user.is_active:
        return False
    profile = getattr(user, "citizen_profile", None)
    return profile is not None and profile.email_confirmed_at is not None


def public_name(user) -> str:
    """The name shown with what someone wrote: their public display name,
    never their email or username. Select `author__citizen_profile` with
    the rows to keep the page's query count constant."""
    if user is None:
        return _("Former participant")
    profile = getattr(user, "citizen_profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    if user.is_staff:
        return _("City staff")
    return _("Participant")


# ----------------------------------------------------------------- accounts


def signup_user_for_link(*, uidb64: str, token: str):
    """The account a sign-up confirmation link opens, or None when the link
    was tampered with, has expired or was used already."""
    from django.contrib.auth import get_user_model
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    from ..services.citizens import signup_token_generator

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = (
        get_user_model()
        ._default_manager.filter(
            pk=pk, is_active=False, citizen_profile__email_confirmed_at__isnull=True
        )
        .first()
    )
    if user is None or not signup_token_generator.check_token(user, token):
        return None
    return user


def citizen_profile_of(user) -> CitizenProfile | None:
    if not user.is_authenticated:
        return None
    return CitizenProfile.objects.filter(user=user).first()


def follows_of(user) -> list[Follow]:
    """The account's follows, with their subjects (one query)."""
    return list(
        Follow.objects.filter(user=user).select_related("plan", "commitment", "commitment__plan")
    )


def unsubscribe_follow(*, payload: dict) -> Follow | None:
    """The follow an unsubscribe link names, if it still exists (None for a
    link that stops all notices)."""
    if "f" not in payload:
        return None
    return Follow.objects.filter(pk=payload["f"]).select_related("plan", "commitment").first()


# ---------------------------------------------------------------- following


def follow_subject_get(*, kind: str, pk) -> ActionPlan | Commitment:
    """A plan or commitment the public may see, else 404 (drafts stay private)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if kind == "plan":
        return get_object_or_404(ActionPlan.objects.published(), pk=pk)
    if kind == "commitment":
        return get_object_or_404(Commitment.objects.published(), pk=pk)
    raise Http404


def subject_kind(subject) -> str:
    """The Follow field that names this subject: "plan" or "commitment"."""
    if isinstance(subject, ActionPlan):
        return "plan"
    if isinstance(subject, Commitment):
        return "commitment"
    raise TypeError(f"Cannot follow a {type(subject).__name__}")


def follow_button_state(user, subject) -> tuple[bool, bool]:
    """(may follow, follows already) for a signed-in account, in one query."""
    field = subject_kind(subject)
    row = (
        CitizenProfile.objects.filter(user=user, user__is_active=True)
        .annotate(following=Exists(Follow.objects.filter(user=user, **{field: subject})))
        .values_list("email_confirmed_at", "following")
        .first()
    )
    if row is None or row[0] is None:
        return False, False
    return True, row[1]


# ------------------------------------------------------------------ privacy


def _subject_of_comment(comment: Comment) -> dict:
    if comment.section_id:
        return {"consultation": comment.consultation.title, "section": comment.section.title}
    if comment.consultation_id:
        return {"consultation": comment.consultation.title}
    if comment.commitment_id:
        return {"commitment": f"{comment.commitment.identifier} {comment.commitment.title}"}
    return {"plan": comment.plan.title}


def citizen_data_export(*, user) -> dict:
    """Everything this account wrote or holds, for the account's owner only:
    a constant number of queries whatever the amount."""
    profile = CitizenProfile.objects.filter(user=user).first()
    comments = Comment.objects.filter(author=user).select_related(
        "plan", "commitment", "consultation", "section"
    )
    proposals = Proposal.objects.filter(author=user).select_related("consultation")
    ballots = (
        Ballot.objects.filter(voter=user)
        .select_related("consultation")
        .prefetch_related("choices__option")
    )
    feedback = Feedback.objects.filter(author=user).select_related("plan", "commitment")
    return {
        "account": {
            "email": user.email,
            "joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "phone": profile.phone,
            "sms_notifications": profile.sms_notifications,
            "language": profile.language,
            "email_confirmed_at": profile.email_confirmed_at,
            "created_at": profile.created_at,
        },
        "comments": [
            {
                "id": comment.pk,
                "text": comment.body,
                "on": _subject_of_comment(comment),
                "in_reply_to": comment.parent_id,
                "status": comment.get_status_display(),
                "hidden_reason": comment.hidden_reason,
                "written_at": comment.created_at,
            }
            for comment in comments
        ],
        "proposals": [
            {
                "id": proposal.pk,
                "consultation": proposal.consultation.title,
                "title": proposal.title,
                "text": proposal.body,
                "status": proposal.get_status_display(),
                "public_reason": proposal.public_reason,
                "submitted_at": proposal.created_at,
            }
            for proposal in proposals
        ],
        "ballots": [
            {
                "consultation": ballot.consultation.title,
                "choices": [choice.option.title for choice in ballot.choices.all()],
                "cast_at": ballot.cast_at,
            }
            for ballot in ballots
        ],
        "feedback": [
            {
                "category": item.get_category_display(),
                "plan": item.plan.title if item.plan_id else None,
                "commitment": item.commitment.identifier if item.commitment_id else None,
                "text": item.body,
                "name": item.name,
                "email": item.email,
                "submitted_at": item.submitted_at,
                "answer": item.answer,
                "answered_at": item.answered_at,
            }
            for item in feedback
        ],
        "follows": [
            {
                "plan": follow.plan.title if follow.plan_id else None,
                "commitment": follow.commitment.identifier if follow.commitment_id else None,
                "since": follow.created_at,
            }
            for follow in Follow.objects.filter(user=user).select_related("plan", "commitment")
        ],
        "notifications": [
            {
                "subject": notification.subject,
                "text": notification.body,
                "created_at": notification.created_at,
                "emailed_at": notification.emailed_at,
                "texted_at": notification.texted_at,
            }
            for notification in Notification.objects.filter(user=user)
        ],
    }


def notice_language(user) -> str:
    """The language a citizen chose for what we send them; the site's for
    accounts without a citizen profile."""
    profile = getattr(user, "citizen_profile", None)
    return profile.language if profile is not None else settings.LANGUAGE_CODE
