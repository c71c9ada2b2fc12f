"""Writing a comment or a reply, and reporting one.

The comment form shows inline on subject pages for signed-in citizens; these
pages serve everyone else: anonymous comments where a consultation allows
them, replies without JavaScript, and any form sent back with an error.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations.antispam import public_write_limits
from consultations.forms.comments import CommentFlagForm, CommentForm
from consultations.models import Comment
from consultations.selectors import comments as selectors
from consultations.selectors.citizens import citizen_can_participate
from consultations.services import comments as services


def subject_url(subject) -> str:
    """The subject's public page (its plan's, if that page does not exist)."""
    try:
        return subject.get_absolute_url()
    except NoReverseMatch:  # the consultation pages are not installed
        return selectors.subject_consultation(subject).plan.get_absolute_url()


def _parent(params, subject):
    value = params.get("parent")
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise Http404
    return selectors.comment_parent_get(subject=subject, pk=int(value))


@require_http_methods(["GET", "HEAD", "POST"])
@public_write_limits("comment")
def comment_create(request):
    params = request.POST if request.method == "POST" else request.GET
    subject = selectors.comment_subject_get_public(params)
    parent = _parent(params, subject)
    consultation = selectors.subject_consultation(subject)
    can_participate = citizen_can_participate(request.user)
    anonymous = not can_participate and bool(
        consultation is not None and consultation.allow_anonymous_comments
    )
    context = {
        "subject": subject,
        "subject_url": subject_url(subject),
        "parent": parent,
        "anonymous": anonymous,
    }
    if not can_participate and not anonymous:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "consultations/comments/comment_form.html", context, status=403)

    initial = {**selectors.subject_params(subject), "parent": parent.pk if parent else None}
    if request.method != "POST":
        form = CommentForm(initial=initial, anonymous=anonymous)
        if consultation is not None and not consultation.is_open():
            context["closed"] = True
        return render(request, "consultations/comments/comment_form.html", context | {"form": form})

    form = CommentForm(request.POST, initial=initial, anonymous=anonymous)
    if form.is_valid():
        try:
            comment = services.comment_create(
                subject=subject,
                author=None if anonymous else request.user,
                body=form.cleaned_data["body"],
                parent=parent,
                anonymous=anonymous,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if comment.status == Comment.Status.PUBLISHED:
                messages.success(request, _("Your comment is published."))
            else:
                messages.success(
                    request,
                    _("Thank you. Your comment will be published once a moderator has read it."),
                )
            anchor = "comments" if comment.is_anonymous else f"comment-{comment.pk}"
            return redirect(f"{context['subject_url']}#{anchor}")
    return render(
        request, "consultations/comments/comment_form.html", context | {"form": form}, status=400
    )


@require_http_methods(["GET", "HEAD", "POST"])
@public_write_limits("comment-flag")
def comment_flag(request, pk):
    comment = selectors.comment_get_public(pk=pk)
    subject = selectors.comment_subject(comment)
    form = CommentFlagForm(request.POST if request.method == "POST" else None)
    context = {"comment": comment, "subject": subject, "subject_url": subject_url(subject)}
    if request.method == "POST":
        if form.is_valid():
            services.comment_flag(
                comment=comment,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                reporter=request.user,
            )
            messages.success(request, _("Thank you. A moderator will review this comment."))
            return redirect(f"{context['subject_url']}#comment-{comment.pk}")
        return render(
            request, "consultations/comments/flag_form.html", context | {"form": form}, status=400
        )
    return render(request, "consultations/comments/flag_form.html", context | {"form": form})


urlpatterns = [
    path("comments/new/", comment_create, name="comment_create"),
    path("comments/<int:pk>/report/", comment_flag, name="comment_flag"),
]
