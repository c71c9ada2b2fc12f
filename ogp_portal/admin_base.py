"""The base every admin class of the portal builds on.

One place for what all staff screens share: per-language tabs for translated
fields (jQuery UI vendored under static/, no CDN), the history view, and the
edit version check that stops one editor silently overwriting another.
"""

from django.contrib import admin
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
)
from simple_history.admin import SimpleHistoryAdmin

from .translated_forms import AnyLanguageRequiredForm, AnyLanguageRequiredMixin
from .versioning import VersionCheckedForm


class UntranslatedPortalAdmin(SimpleHistoryAdmin):
    list_per_page = 50


class PortalAdmin(AnyLanguageRequiredMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_per_page = 50


class VersionedTranslatedForm(VersionCheckedForm, AnyLanguageRequiredForm):
    pass


class VersionedPortalAdmin(PortalAdmin):
    """For records edited at length by several staff (plans, commitments)."""

    form = VersionedTranslatedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The hidden version travels with the form; admin renders only the
        # fields named in fieldsets, so it joins the first one.
        (name, options), *rest = fieldsets
        if any("edited_version" in opts["fields"] for _name, opts in fieldsets):
            return fieldsets
        fields = [*options["fields"], "edited_version"]
        return [(name, {**options, "fields": fields}), *rest]


class PortalStackedInline(AnyLanguageRequiredMixin, TranslationStackedInline):
    """Inlines with translated fields are stacked: a tabular row would need a
    column per language and field, wider than any screen."""

    extra = 0
    show_change_link = True


class UntranslatedTabularInline(admin.TabularInline):
    extra = 0
