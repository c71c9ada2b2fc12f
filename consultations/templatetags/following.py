"""{% follow_button subject %}: follow or stop following a plan or a
commitment.

A signed-in citizen gets a form button (one query: may they follow, and do
they already). An anonymous visitor gets a plain link to the login page and
no form, so the page stays the same for every visitor, and cacheable."""

from django import template
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.http import urlencode

from ..selectors.citizens import follow_button_state, subject_kind

register = template.Library()


@register.inclusion_tag("consultations/citizens/_follow_button.html", takes_context=True)
def follow_button(context, subject):
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = subject_kind(subject)
    url = subject.get_absolute_url()
    state = {"subject": subject, "kind": kind, "next": url}
    if user is None or not user.is_authenticated:
        login = reverse("accounts:login")
        return state | {"login_url": f"{login}?{urlencode({REDIRECT_FIELD_NAME: url})}"}
    may_follow, following = follow_button_state(user, subject)
    return state | {
        "signed_in": True,
        "may_follow": may_follow,
        "following": following,
        "csrf_token": context.get("csrf_token"),
    }
