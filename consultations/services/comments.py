"""Every write on comments: writing one, moderating it, reporting abuse.

Moderation rules:
- a comment is published at once (post-moderation), except on a consultation
  whose staff chose pre-moderation, and except when written without an
  account: then it waits for a moderator (PENDING);
- replies are one level deep: a reply to a reply is attached to the comment
  on top of that thread (the reader still sees it under the same comment);
- hiding needs a reason, shown in the comment's place while replies keep it
  in the thread; hiding resolves the comment's open abuse reports.
Moderators (whoever may moderate comments) hear of each pending comment and
each abuse report by email.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Comment, CommentFlag, Consultation
from consultations.selectors.comments import subject_consultation, subject_fields
from ogp_portal.mail import email_send_later, in_site_language, portal_url, staff_emails
from ogp_portal.security_log import log_event


def _admin_link(comment: Comment) -> str:
    return portal_url(reverse("admin:consultations_comment_change", args=[comment.pk]))


def _tell_moderators(*, subject: str, body: str) -> None:
    recipients = staff_emails("consultations.moderate_comment")
    if recipients:
        email_send_later(subject=subject, body=body, to=recipients)


def comment_create(
    *, subject, author=None, body: str, parent: Comment | None = None, anonymous: bool = False
) -> Comment:
    """A citizen's (or, where allowed, an anonymous visitor's) comment on a
    public subject. Raises ValidationError with a message for the reader."""
    consultation = subject_consultation(subject)
    if consultation is not None:
        now = timezone.now()
        if consultation.has_closed(now):
            raise ValidationError(_("This consultation is closed."))
        if not consultation.has_opened(now):
            raise ValidationError(_("This consultation is not open yet."))
    if anonymous:
        if consultation is None or not consultation.allow_anonymous_comments:
            raise ValidationError(_("Comments here need an account."))
        author = None
    elif author is None:
        raise ValidationError(_("Comments here need an account."))
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    pre_moderated = anonymous or (
        consultation is not None and consultation.moderation == Consultation.Moderation.PRE
    )
    comment = Comment(
        **subject_fields(subject),
        parent=parent,
        author=author,
        is_anonymous=anonymous,
        body=body.strip(),
        status=Comment.Status.PENDING if pre_moderated else Comment.Status.PUBLISHED,
    )
    if not comment.body:
        raise ValidationError(_("Write your comment."))
    with transaction.atomic():
        comment.full_clean()
        comment.save()
        if pre_moderated:
            with in_site_language():
                _tell_moderators(
                    subject=_("A comment awaits moderation"),
                    body=_(
                        "A new comment awaits moderation before it is published.\n\n"
                        "%(body)s\n\nPublish or hide it: %(link)s"
                    )
                    % {"body": comment.body, "link": _admin_link(comment)},
                )
    return comment


def _moderate(comment: Comment, *, by, status: str, reason: str = "") -> Comment:
    comment.status = status
    comment.hidden_reason = reason
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    """Take a comment off the public pages; the reason is shown in its place."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"hidden_reason": _("Give the reason for hiding this comment.")})
    _moderate(comment, by=by, status=Comment.Status.HIDDEN, reason=reason)
    comment.flags.filter(resolved_at__isnull=True).update(resolved_at=comment.moderated_at)
    transaction.on_commit(
        lambda: log_event("comment_hidden", actor=by, comment_id=comment.pk, reason=reason)
    )
    return comment


@transaction.atomic
def comment_publish(*, comment: Comment, by) -> Comment:
    """Approve a pending comment, or restore a hidden one."""
    _moderate(comment, by=by, status=Comment.Status.PUBLISHED)
    transaction.on_commit(lambda: log_event("comment_published", actor=by, comment_id=comment.pk))
    return comment


@transaction.atomic
def comment_flag(*, comment: Comment, reason: str, details: str = "", reporter=None) -> CommentFlag:
    """Anyone's abuse report; the moderators are told at once."""
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    flag = CommentFlag(comment=comment, reason=reason, details=details.strip(), reporter=reporter)
    flag.full_clean()
    flag.save()
    with in_site_language():
        _tell_moderators(
            subject=_("A comment was reported"),
            body=_(
                "Someone reported a comment: %(reason)s.\n\n%(details)s\n\nThe comment:\n%(body)s"
                "\n\nReview it: %(link)s"
            )
            % {
                "reason": flag.get_reason_display(),
                "details": flag.details or "-",
                "body": comment.body,
                "link": _admin_link(comment),
            },
        )
    return flag


@transaction.atomic
def comment_flags_resolve(*, flags, by) -> int:
    """Close abuse reports a moderator looked at (the comment stays as it is)."""
    resolved = flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    transaction.on_commit(lambda: log_event("comment_flags_resolved", actor=by, count=resolved))
    return resolved
