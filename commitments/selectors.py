"""Reads of commitments that depend on who is asking.

The public sees published commitments of non-draft plans only; everything
else answers 404 from here, so views never filter visibility themselves.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from plans.models import Institution

from .models import Commitment, Indicator, Milestone, PolicyArea

# PostgreSQL text-search configurations per interface language. PostgreSQL has
# none for Georgian or Albanian: those use `simple` (no stemming).
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
    "ka": "simple",
    "sq": "simple",
}
SEARCHED_FIELDS = ["identifier", "title", "short_title", "objective", "description", "problem"]


def commitment_list_public() -> QuerySet[Commitment]:
    """Published commitments, with what a list row shows, in plan order."""
    return (
        Commitment.objects.published()
        .select_related("plan", "plan__jurisdiction", "lead_institution")
        .order_by("-plan__period_start", "plan__title", "number")
    )


def commitment_get_public(*, identifier: str) -> Commitment:
    """A published commitment with everything its page shows, else 404."""
    if "\x00" in identifier:  # from the URL; PostgreSQL refuses NUL in a query
        raise Http404
    queryset = commitment_list_public().prefetch_related(
        "supporting_institutions",
        "policy_areas",
        Prefetch(
            "milestones",
            queryset=Milestone.objects.select_related("responsible_institution").order_by(
                "order", "pk"
            ),
        ),
        "indicators",
    )
    return get_object_or_404(queryset, identifier=identifier)


def search_languages() -> list[str]:
    """The interface language, then the content fallbacks, without repeats."""
    languages = [get_language() or settings.LANGUAGE_CODE]
    languages += list(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)
    return list(dict.fromkeys(code.split("-")[0] for code in languages))


def commitment_search(queryset: QuerySet[Commitment], text: str) -> QuerySet[Commitment]:
    """Full-text search on PostgreSQL (each language with its own stemming),
    a plain case-insensitive contains search elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    languages = search_languages()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        condition = Q(identifier__iexact=text)
        for code in languages:
            config = SEARCH_CONFIGS.get(code, "simple")
            vector = SearchVector(
                *[f"{name}_{code}" for name in SEARCHED_FIELDS if name != "identifier"],
                config=config,
            )
            query = SearchQuery(text, config=config, search_type="websearch")
            queryset = queryset.annotate(**{f"search_{code}": vector})
            condition |= Q(**{f"search_{code}": query})
        return queryset.filter(condition)
    condition = Q(identifier__icontains=text)
    for code in languages:
        for name in SEARCHED_FIELDS:
            if name != "identifier":
                condition |= Q(**{f"{name}_{code}__icontains": text})
    return queryset.filter(condition)


def policy_areas_in_use() -> QuerySet[PolicyArea]:
    return PolicyArea.objects.filter(commitments__in=Commitment.objects.published()).distinct()


def lead_institutions_in_use() -> QuerySet[Institution]:
    return Institution.objects.filter(led_commitments__in=Commitment.objects.published()).distinct()


def milestone_list_public() -> QuerySet[Milestone]:
    """Milestones of published commitments, by commitment then in order."""
    return (
        Milestone.objects.filter(commitment__in=Commitment.objects.published())
        .select_related("commitment", "responsible_institution")
        .order_by("commitment__identifier", "order", "pk")
    )


def indicator_list_public() -> QuerySet[Indicator]:
    """Indicators of published commitments, by commitment then in order."""
    return (
        Indicator.objects.filter(commitment__in=Commitment.objects.published())
        .select_related("commitment")
        .order_by("commitment__identifier", "order", "pk")
    )
