"""{% comment_thread subject %}: the comments of a plan, commitment,
consultation or consultation section, with the form or a sign-in link.

Anonymous visitors get no form (and so no CSRF token): the page they see is
the same for all of them and stays in the public page cache. Signed-in
citizens get the form inline. The thread costs three queries at most,
whatever its length (selectors.comments.comment_thread_public).
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.forms.comments import CommentForm
from consultations.models import Comment
from consultations.selectors.citizens import citizen_can_participate, public_name
from consultations.selectors.comments import (
    comment_thread_public,
    subject_consultation,
    subject_params,
)

register = template.Library()

PAGE_PARAMETER = "comments"


@register.filter
def comment_author_name(comment: Comment) -> str:
    """The public name shown with a comment: never an email address."""
    if comment.is_anonymous:
        return _("Anonymous participant")
    return public_name(comment.author)


@register.inclusion_tag("consultations/comments/_thread.html", takes_context=True)
def comment_thread(context, subject):
    request = context["request"]
    user = request.user
    thread = comment_thread_public(
        subject, viewer=user, page_number=request.GET.get(PAGE_PARAMETER) or 1
    )
    params = subject_params(subject)
    consultation = subject_consultation(subject)
    is_open = consultation is None or consultation.is_open()
    can_participate = citizen_can_participate(user)
    new_url = f"{reverse('consultations:comment_create')}?{urlencode(params)}"
    other_params = request.GET.copy()
    other_params.pop(PAGE_PARAMETER, None)
    return {
        "subject": subject,
        "thread": thread,
        "comments": thread.comments,
        "page_obj": thread.page,
        "query_without_page": other_params.urlencode(),
        "page_parameter": PAGE_PARAMETER,
        "is_open": is_open,
        "consultation": consultation,
        "user": user,
        "can_participate": can_participate,
        "form": (
            CommentForm(initial=params, auto_id="comment_%s")
            if can_participate and is_open
            else None
        ),
        "csrf_token": context.get("csrf_token"),
        "new_url": new_url,
        "anonymous_allowed": bool(
            consultation is not None and consultation.allow_anonymous_comments and is_open
        ),
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
        "pending": Comment.Status.PENDING,
        "hidden": Comment.Status.HIDDEN,
    }
