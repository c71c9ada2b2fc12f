"""What every endpoint of the public API shares: the language of the
answer, translated texts, and the OpenAPI description of the parameters and
errors (the policies themselves are in ogp_portal/api_policy.py).

The API publishes what the public pages publish and nothing more: querysets
come from the apps' selectors, so drafts and unpublished items answer 404
exactly as their pages do. Nobody logs in to the API (there is no
authentication at all), so every client is anonymous and throttled as such.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers, viewsets

from ogp_portal.text import current_language, localised

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANG_PARAMETER = "lang"


# --- The language of the answer ---------------------------------------------------------


def requested_language(request) -> str:
    """`?lang=` if given (an unknown code is refused), else the best match in
    Accept-Language, else the portal's default language.

    The language cookie of the web pages is ignored on purpose: an answer
    depends only on what the request says, so caches can key on it."""
    code = request.query_params.get(LANG_PARAMETER)
    if code is not None:
        if code not in LANGUAGE_CODES:
            raise exceptions.ValidationError(
                {
                    LANG_PARAMETER: [
                        _("Unknown language “%(code)s”: use one of %(codes)s.")
                        % {"code": code[:20], "codes": ", ".join(LANGUAGE_CODES)}
                    ]
                }
            )
        return code
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accepted, _quality in parse_accept_lang_header(header[:1000]):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class LocalisedTextSerializer(serializers.Serializer):
    """The schema of a translated text (documentation only, see LocalisedField)."""

    text = serializers.CharField(
        help_text=gettext_lazy(
            "The text in the requested language, else in the first fallback language that "
            "has it (English, then French); empty when no language has it. Long texts are "
            "Markdown."
        )
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CODES, help_text=gettext_lazy("The language the text is written in.")
    )


def localised_data(obj, field: str) -> dict:
    text = localised(obj, field)
    return {"text": text.text, "language": text.language}


@extend_schema_field(LocalisedTextSerializer)
class LocalisedField(serializers.Field):
    """A translated model field as {"text": ..., "language": ...}, with the
    same fallbacks as the pages (ogp_portal.text.localised)."""

    def __init__(self, field=None, **kwargs):
        self.translated_field = field
        super().__init__(source="*", read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.translated_field = self.translated_field or field_name

    def to_representation(self, value):
        return localised_data(value, self.translated_field)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The object's public page, in the language of the answer."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


def choice_label_field(field_name: str, **kwargs) -> serializers.CharField:
    """A choice field's label in the requested language (`status_label` next to `status`)."""
    return serializers.CharField(source=f"get_{field_name}_display", read_only=True, **kwargs)


# --- Read-only, anonymous, paginated -------------------------------------------------------


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Base of every endpoint: answers in the requested language."""

    def initial(self, request, *args, **kwargs):
        translation.activate(requested_language(request))
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = current_language()
        return response


# --- Errors --------------------------------------------------------------------------------


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse(
        {"detail": _("There is no API endpoint at this address; see /api/v1/docs/.")}, status=404
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, in a sentence."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("For invalid parameters: the messages for each parameter."),
    )


# --- OpenAPI -------------------------------------------------------------------------------

ERROR_RESPONSES = {
    "400": gettext_lazy("A query parameter is not valid."),
    "404": gettext_lazy("Not found, or not public (drafts and unpublished items answer 404)."),
    "429": gettext_lazy("Too many requests: wait for the number of seconds in Retry-After."),
}


class PortalAutoSchema(AutoSchema):
    """Documents what every endpoint shares: the language parameters and
    header, and the error answers."""

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                LANG_PARAMETER,
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=LANGUAGE_CODES,
                description=_(
                    "Language of the answer. Takes precedence over Accept-Language. "
                    "Texts missing in this language come in English, else French; "
                    "each text says its language."
                ),
            ),
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_(
                    "Language of the answer when `lang` is not given, as browsers send it "
                    "(e.g. `fr-CH, fr;q=0.9, en;q=0.8`). Unsupported languages are skipped; "
                    "the default is English."
                ),
            ),
            OpenApiParameter(
                "Content-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=["200"],
                enum=LANGUAGE_CODES,
                description=_("The language the answer was given in."),
            ),
        ]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_RESPONSES.items():
            if code == "404" and self._is_list_view() and not self._get_paginator():
                continue
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = description
            responses.setdefault(code, response)
        return responses


class FilterBackendExtension(DjangoFilterExtension):
    """Documents that filter values cannot be empty (api_policy.FilterBackend)."""

    target_class = "ogp_portal.api_policy.FilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "string" and "enum" not in schema:
                schema["minLength"] = 1
        return parameters
