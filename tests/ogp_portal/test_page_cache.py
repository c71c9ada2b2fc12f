"""The anonymous page cache after a change: the next visitor renders the page
anew, visitors arriving meanwhile get the previous version, and the page is
rendered once per change, not once per waiting visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from ogp_portal.page_cache import bump_content_generation, public_page

PATH = "/en/plans/kutaisi/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def anonymous_get(path=PATH):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


class CountingView:
    """A public page whose text staff change; can let another visitor in mid-render."""

    def __init__(self):
        self.text = "first version"
        self.renders = 0
        self.during_render = None
        self.page = public_page(self.render)

    def render(self, request):
        self.renders += 1
        if self.during_render is not None:
            visit, self.during_render = self.during_render, None
            visit()
        return HttpResponse(self.text)

    def visit(self):
        return self.page(anonymous_get()).content.decode()


def test_a_page_is_rendered_once_then_served_from_the_cache():
    view = CountingView()

    assert [view.visit() for _ in range(3)] == ["first version"] * 3
    assert view.renders == 1


def test_after_a_change_the_next_visitor_gets_the_new_version():
    view = CountingView()
    view.visit()

    view.text = "second version"
    bump_content_generation()

    assert view.visit() == "second version"
    assert view.renders == 2


def test_visitors_arriving_while_the_new_version_renders_get_the_previous_one():
    view = CountingView()
    view.visit()
    view.text = "second version"
    bump_content_generation()
    meanwhile = []
    view.during_render = lambda: meanwhile.append(view.visit())

    renderer_sees = view.visit()

    assert renderer_sees == "second version"
    assert meanwhile == ["first version"]
    assert view.renders == 2  # the visitor who came meanwhile caused no render
    assert view.visit() == "second version"
    assert view.renders == 2


def test_a_failed_render_lets_the_next_visitor_try_again():
    view = CountingView()
    view.visit()
    bump_content_generation()

    def fail():
        raise RuntimeError("template error")

    view.during_render = fail
    with pytest.raises(RuntimeError):
        view.visit()
    view.text = "fixed version"

    assert view.visit() == "fixed version"
