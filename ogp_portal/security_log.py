"""The security log: who signed in, who failed, who was refused, what was
published and who gained or lost a role, one JSON object per line.

Every line carries the UTC time, the event, the actor (the signed-in user
making the request, or null) and the client's address. Only the fields named
here are written: never a password, a token or a session key. JSON escapes
newlines and control characters, so a username typed as "x\\n{...}" cannot
forge a line.

Logins go through the site's login page (ogp_portal/accounts.py), which
adds `second_factor_passed` (a signed-in session verified by a code later),
`second_factor_added` and `second_factor_removed`.

The `security` logger writes to stderr, or to SECURITY_LOG_FILE (settings).
Events come from Django's and django-axes' signals and from model signals,
so a publication or a role change is logged whichever way it is made (the
admin, an import, a shell), after its transaction commits.
"""

import json
import logging
from datetime import UTC, datetime

from django.conf import settings

logger = logging.getLogger("security")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, event, then the event's fields."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "event": record.getMessage(),
            **getattr(record, "security", {}),
        }
        return json.dumps(entry, default=str)


def client_ip(request) -> str | None:
    """The client's address. Behind N proxies (API_NUM_PROXIES, as for the
    API's throttle) it is read from X-Forwarded-For, N entries from the end:
    entries before those were written by the client and prove nothing."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))]
    return address


def _user_fields(user, prefix) -> dict:
    if user is None or not user.is_authenticated:
        return {prefix: None}
    return {prefix: user.get_username(), f"{prefix}_id": user.pk}


def log_event(event: str, *, request=None, actor=None, level=logging.INFO, **fields) -> None:
    """Write one event. The actor defaults to the request's user."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    entry = _user_fields(actor, "actor")
    if request is not None:
        entry |= {"ip": client_ip(request), "method": request.method, "path": request.path}
    logger.log(level, event, extra={"security": entry | fields})


# ---------------------------------------------------------------- the events


def _current_request():
    """The request being served in this thread (django-simple-history's
    middleware keeps it for the history's author), or None in a command."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _log_after_commit(event, **fields):
    from django.db import transaction

    request = _current_request()
    transaction.on_commit(lambda: log_event(event, request=request, **fields))


def _logged_in(sender, request, user, **kwargs):
    log_event("login", request=request, actor=user)


def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request=request, actor=user)


def _login_failed(sender, credentials, request=None, second_factor=False, **kwargs):
    # Django has already masked the password in `credentials`; only the
    # username is kept. A wrong code of the second factor (ogp_portal/accounts.py)
    # is a failed login too, marked as such.
    username = credentials.get("username")
    fields = {"second_factor": True} if second_factor else {}
    log_event("login_failed", request=request, level=logging.WARNING, username=username, **fields)


def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request=request, level=logging.WARNING, username=username)


# Publication: the field that makes a record public, and whether a value is public.
PUBLICATION = {
    "plans.ActionPlan": ("status", lambda status: status != "draft"),  # Status.DRAFT
    "commitments.Commitment": ("is_published", bool),
}
ROLE_FIELDS = ("is_staff", "is_superuser", "is_active")
CLEARED = {}  # filled by connect_receivers()
NEW_USER_ROLE = {"is_staff": False, "is_superuser": False, "is_active": True}


def _previous(instance, fields, update_fields):
    """The stored values of `fields`, before this save (None for a new record,
    or when the save leaves them alone)."""
    if update_fields is not None and not set(fields) & set(update_fields):
        return None
    if instance._state.adding or instance.pk is None:
        return {}
    return type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first() or {}


def _remember_publication(sender, instance, update_fields=None, **kwargs):
    field, _ = PUBLICATION[sender._meta.label]
    instance._security_previous = _previous(instance, [field], update_fields)


def _log_publication(sender, instance, **kwargs):
    previous = instance.__dict__.pop("_security_previous", None)
    if previous is None:
        return
    field, is_public = PUBLICATION[sender._meta.label]
    was_public = field in previous and is_public(previous[field])
    now_public = is_public(getattr(instance, field))
    if was_public != now_public:
        _log_after_commit(
            "published" if now_public else "unpublished",
            object=sender._meta.label_lower,
            object_id=instance.pk,
            object_repr=str(instance),
        )


def _remember_role(sender, instance, update_fields=None, **kwargs):
    previous = _previous(instance, ROLE_FIELDS, update_fields)
    instance._security_previous = NEW_USER_ROLE if previous == {} else previous


def _log_role(sender, instance, **kwargs):
    previous = instance.__dict__.pop("_security_previous", None)
    if previous is None:
        return
    changes = {
        name: {"from": previous[name], "to": getattr(instance, name)}
        for name in ROLE_FIELDS
        if name in previous and previous[name] != getattr(instance, name)
    }
    if changes:
        _log_after_commit("role_changed", **_user_fields(instance, "user"), changes=changes)


def _name(item) -> str:
    """A group's name, or a permission as `app_label.codename`."""
    if hasattr(item, "codename"):
        return f"{item.content_type.app_label}.{item.codename}"
    return item.name


def _log_membership(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups or permissions given to or taken from a user, or a group's
    permissions changed, from either side of the relation. `clear()` is
    logged from its pre_ signal, while the rows are still there."""
    if action == "pre_clear":
        accessor = CLEARED[sender][reverse]
        pk_set = set(getattr(instance, accessor).values_list("pk", flat=True))
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    others = list(model._default_manager.filter(pk__in=pk_set))
    if not others:  # rows not loaded yet, as when a fixture is being deserialized
        return
    # Holders (users, groups) receive or lose items (groups, permissions).
    holders, items = (others, [instance]) if reverse else ([instance], others)
    relation = "permissions" if hasattr(items[0], "codename") else "groups"
    change = "added" if action == "post_add" else "removed"
    names = sorted(_name(item) for item in items)
    for holder in holders:
        if hasattr(holder, "get_username"):
            target = _user_fields(holder, "user")
        else:
            target = {"group": holder.name}
        _log_after_commit("role_changed", **target, changes={relation: {change: names}})


def connect_receivers() -> None:
    """Called once, from the portal's AppConfig.ready()."""
    from axes.signals import user_locked_out
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import m2m_changed, post_save, pre_save

    uid = "security-log"
    user_logged_in.connect(_logged_in, dispatch_uid=uid)
    user_logged_out.connect(_logged_out, dispatch_uid=uid)
    user_login_failed.connect(_login_failed, dispatch_uid=uid)
    user_locked_out.connect(_locked_out, dispatch_uid=uid)
    for label in PUBLICATION:
        model = apps.get_model(label)
        pre_save.connect(_remember_publication, sender=model, dispatch_uid=uid)
        post_save.connect(_log_publication, sender=model, dispatch_uid=uid)
    User = get_user_model()
    pre_save.connect(_remember_role, sender=User, dispatch_uid=uid)
    post_save.connect(_log_role, sender=User, dispatch_uid=uid)
    # Each relation's accessor, (from the holder, from the item), for clear().
    CLEARED.update(
        {
            User.groups.through: ("groups", "user_set"),
            User.user_permissions.through: ("user_permissions", "user_set"),
            Group.permissions.through: ("permissions", "group_set"),
        }
    )
    for through in CLEARED:
        m2m_changed.connect(_log_membership, sender=through, dispatch_uid=uid)
