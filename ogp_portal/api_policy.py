"""The API's policies, named in settings.REST_FRAMEWORK: read-only access,
strict pagination and one shape for errors.

Kept apart from ogp_portal/api.py because Django REST framework reads these
settings while it defines its views: this module must not import them.
"""

import re

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination


class ReadOnly(permissions.BasePermission):
    """GET, HEAD and OPTIONS only; anything else is 405, for everyone."""

    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        return True


POSITIVE_INTEGER = re.compile(r"^[0-9]{1,9}$")


class Pagination(PageNumberPagination):
    """Numbered pages; a page number or size that is not a whole number in
    range is refused with 400 instead of being silently replaced."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def _positive_integer(self, request, name, default, maximum=None):
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not POSITIVE_INTEGER.match(raw) or int(raw) < 1 or (maximum and int(raw) > maximum):
            if maximum:
                message = _("Give a whole number from 1 to %(maximum)d.") % {"maximum": maximum}
            else:
                message = _("Give a whole number from 1.")
            raise exceptions.ValidationError({name: [message]})
        return int(raw)

    def get_page_number(self, request, paginator):
        return self._positive_integer(request, self.page_query_param, 1)

    def get_page_size(self, request):
        return self._positive_integer(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = (
                self.max_page_size if parameter["name"] == self.page_size_query_param else 999999999
            )
        return parameters


class FilterBackend(DjangoFilterBackend):
    """The apps' FilterSets, refusing empty values: the pages' forms send
    `?status=` for "any", an API client leaves the parameter out."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [name for name in filterset.filters if request.query_params.get(name) == ""]
            if empty:
                message = _("Leave the parameter out instead of giving it empty.")
                raise exceptions.ValidationError({name: [message] for name in empty})
        return filterset


def exception_handler(exc, context):
    """Every error as {"detail": message}, with "errors" per parameter for bad input."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if not (isinstance(data, dict) and set(data) == {"detail"}):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": _("Some query parameters are not valid: %(names)s.")
            % {"names": ", ".join(errors)},
            "errors": errors,
        }
    return response
