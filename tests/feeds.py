"""Helpers for the feed tests: a feed read as a feed reader would, and a
change saved the way the admin saves it (with its author in the history)."""

import feedparser


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def save_as(user, obj, **changes):
    """Save a change the way the admin does, with the user in the history."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.full_clean()
    obj.save()
