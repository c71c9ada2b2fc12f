"""A cache of whole public pages for anonymous visitors.

Public pages are the same for every anonymous visitor in a language, and
read far more often than staff change them. Each page is cached under the
content *generation*, a counter bumped whenever staff save or delete any
content model (see `connect_invalidation`), so a change shows on every page
that might include it, without tracking which pages those are: at once for
the visitor who next asks for a page, and for the others as soon as that
page is rendered again (`public_page`).

The generation lives in the cache too: with several app-server processes the
cache must be shared (Redis through CACHE_URL) for a change to reach them all
at once; with the default per-process memory cache, other processes catch up
within PUBLIC_PAGE_CACHE_SECONDS.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from ogp_portal.text import current_language

GENERATION_KEY = "public-pages:generation"


def content_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_content_generation(**_signal_kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted): start a new series
        cache.set(GENERATION_KEY, 2, timeout=None)


def connect_invalidation(app_config, *, models: tuple[str, ...] | None = None) -> None:
    """Bump the generation on every write to the app's models (all, or those named)."""
    for model in app_config.get_models():
        if models is not None and model.__name__ not in models:
            continue
        uid = f"page-cache:{model._meta.label}"
        post_save.connect(bump_content_generation, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_generation, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_content_generation,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}",
            )


def _is_cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A session or pending messages make the page personal.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.MESSAGE_COOKIE_NAME not in request.COOKIES
    )


# How long a render may keep the previous version of its page in service.
RENDER_LOCK_SECONDS = 10


def public_page(view):
    """Serve the view's 200 answers to anonymous visitors from the cache.

    A page is stored with the generation it was rendered under. When staff
    change anything, the first visitor to a page renders it anew while other
    visitors of that page get the previous version, until the new one is
    stored (RENDER_LOCK_SECONDS at most): after a save, a busy site renders
    each page once instead of once per waiting visitor.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not timeout or not _is_cacheable(request):
            return view(request, *args, **kwargs)
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public-pages:{current_language()}:{path_hash}"
        generation = content_generation()
        cached = cache.get(key)
        render_lock = f"{key}:rendering:{generation}"
        if cached is not None and (
            cached[0] == generation or not cache.add(render_lock, 1, RENDER_LOCK_SECONDS)
        ):
            _stored_generation, content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
        else:
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse (the sitemap) renders late
            finally:
                if cached is not None:
                    cache.delete(render_lock)
            # A page holding a CSP nonce (an inline script or style) is for
            # this request only: the next one gets another nonce.
            uses_nonce = bool(getattr(request, "csp_nonce", None))
            if response.status_code != 200 or response.cookies or response.streaming or uses_nonce:
                return response
            cache.set(key, (generation, response.content, response["Content-Type"]), timeout)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
