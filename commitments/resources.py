"""Staff import commitments, milestones and indicators from the open-data
files (django-import-export, in the admin).

The resources are built from the export's column specs (exports.py), so they
accept exactly the columns of a download and a downloaded file imports back
unchanged; a file with fewer columns (OGP's own, say) changes only those.

- Stable identifiers: a commitment is found by its `Commitment Unique
  Identifier`; a milestone or an indicator by its commitment's identifier and
  its order. Importing a file again updates the same records, never
  duplicates them, and unchanged rows are skipped (no new history entry).
- Columns the portal computes (progress, milestones completed, at risk...) or
  takes from the plan (country, submission year...) are ignored.
- Texts are written in the language of the admin the file is imported from.
  A text equal to what the export shows, which may be another language's
  text shown as a fallback, leaves the record as it is.
- Related records: the plan by its slug, which must exist; institutions by
  name in any language, created when missing; policy areas, a managed
  vocabulary, by slug or name, which must exist.
- All or nothing: the whole file is imported in one transaction, and any
  error or invalid row rolls all of it back (`OpenDataResource.import_data`).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from modeltranslation.translator import translator

from ogp_portal.text import current_language, localised
from plans.models import ActionPlan, Institution

from . import exports
from .models import Commitment, Indicator, Milestone, PolicyArea

# ---------------------------------------------------------------- widgets


def _as_text(value) -> str:
    """A cell as text: spreadsheets give numbers for cells that look like one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _in_every_language(text_of) -> dict[str, object]:
    """{casefolded text: value} over the portal's languages, for labels."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for text, value in text_of():
                found.setdefault(str(text).casefold(), value)
    return found


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _as_text(value)


class IdentifierWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _as_text(value).strip()


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _as_text(value).strip()
        if not text:
            return None
        if isinstance(value, bool) or not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError(gettext("Give a whole number, e.g. 3."))
        return int(text)


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _as_text(value).strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(gettext("Give a number, e.g. 12.5.")) from None


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):  # a spreadsheet's date cell
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _as_text(value).strip()
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(gettext("Give a date as YYYY-MM-DD, e.g. 2024-12-31.")) from None

    def render(self, value, **kwargs):
        return value.isoformat() if value else ""


class YesNoWidget(widgets.Widget):
    """Yes or No in any of the portal's languages (as the exports write them),
    or true/false, 1/0. Empty is No, or unknown for a field that allows it."""

    def __init__(self, *, nullable: bool):
        super().__init__()
        self.nullable = nullable
        self._words = None

    def words(self) -> dict[str, bool]:
        if self._words is None:
            self._words = {"true": True, "1": True, "false": False, "0": False}
            self._words |= _in_every_language(
                lambda: [(gettext("Yes"), True), (gettext("No"), False)]
            )
        return self._words

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _as_text(value).strip().casefold()
        if not text:
            return None if self.nullable else False
        if text not in self.words():
            raise ValueError(gettext("Write Yes or No."))
        return self.words()[text]

    def render(self, value, **kwargs):
        return "" if value is None else exports.text_value(value)


class ChoiceWidget(widgets.Widget):
    """A value of a model field's choices, by its label (in any of the
    portal's languages, as the exports write them) or its stored code."""

    def __init__(self, model_field: models.Field):
        super().__init__()
        self.model_field = model_field
        self._values = None

    def values(self) -> dict[str, str]:
        if self._values is None:
            choices = self.model_field.choices
            self._values = {code.casefold(): code for code, _label in choices}
            self._values |= _in_every_language(lambda: [(label, code) for code, label in choices])
        return self._values

    def clean(self, value, row=None, **kwargs):
        text = _as_text(value).strip().casefold()
        if not text:
            return ""
        if text not in self.values():
            labels = ", ".join(str(label) for _code, label in self.model_field.choices)
            raise ValueError(gettext("Use one of: %(labels)s.") % {"labels": labels})
        return self.values()[text]

    def render(self, value, **kwargs):
        return str(dict(self.model_field.choices).get(value, value or ""))


class PlanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        slug = _as_text(value).strip()
        if not slug:
            return None
        plan = ActionPlan.objects.filter(slug=slug).first()
        if plan is None:
            raise ValueError(gettext("No action plan has the slug “%(slug)s”.") % {"slug": slug})
        return plan

    def render(self, value, **kwargs):
        return value.slug if value else ""


class CommitmentWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        identifier = _as_text(value).strip()
        if not identifier:
            return None
        commitment = Commitment.objects.filter(identifier=identifier).first()
        if commitment is None:
            raise ValueError(
                gettext("No commitment has the identifier “%(identifier)s”.")
                % {"identifier": identifier}
            )
        return commitment

    def render(self, value, **kwargs):
        return value.identifier if value else ""


def _names(value) -> list[str]:
    names = (name.strip() for name in _as_text(value).split(exports.LIST_SEPARATOR.strip()))
    return list(dict.fromkeys(name for name in names if name))


def _name_in_any_language(name: str) -> Q:
    condition = Q()
    for code, _language in settings.LANGUAGES:
        condition |= Q(**{f"name_{code}__iexact": name})
    return condition


def institution_for_name(name: str) -> Institution:
    """The institution of that name (in any language), created when missing:
    as a government unit, the name in the import's language; staff can
    complete it in the admin."""
    institution = Institution.objects.filter(_name_in_any_language(name)).order_by("pk").first()
    if institution is None:
        institution = Institution(kind=Institution.Kind.GOVERNMENT)
        setattr(institution, f"name_{current_language()}", name)
        institution.full_clean()
        institution.save()
    return institution


def _localised_names(records) -> str:
    return exports.LIST_SEPARATOR.join(sorted(localised(item, "name").text for item in records))


class InstitutionWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        name = _as_text(value).strip()
        return institution_for_name(name) if name else None

    def render(self, value, **kwargs):
        return localised(value, "name").text if value else ""


class InstitutionsWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(model=Institution)

    def clean(self, value, row=None, **kwargs):
        return [institution_for_name(name) for name in _names(value)]

    def render(self, value, **kwargs):
        return _localised_names(value.all()) if value is not None else ""


class PolicyAreasWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(model=PolicyArea)

    def clean(self, value, row=None, **kwargs):
        areas = []
        for name in _names(value):
            area = (
                PolicyArea.objects.filter(Q(slug=name) | _name_in_any_language(name))
                .order_by("pk")
                .first()
            )
            if area is None:
                raise ValueError(gettext("No policy area is called “%(name)s”.") % {"name": name})
            areas.append(area)
        return areas

    def render(self, value, **kwargs):
        return _localised_names(value.all()) if value is not None else ""


# ----------------------------------------------------------------- fields


class TranslatedField(fields.Field):
    """Text written in the import's language. The same text as the export
    shows (perhaps another language's, as a fallback) changes nothing."""

    def get_value(self, instance):
        return localised(instance, self.attribute).text

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        if value != localised(instance, self.attribute).text:
            setattr(instance, f"{self.attribute}_{current_language()}", value)


RELATED_WIDGETS = {
    ActionPlan: PlanWidget,
    Commitment: CommitmentWidget,
    Institution: InstitutionWidget,
}
MANY_WIDGETS = {Institution: InstitutionsWidget, PolicyArea: PolicyAreasWidget}


def import_field(model, column: exports.Column) -> fields.Field:
    """The resource field that reads `column` into the model field it comes from."""
    name = column.source
    model_field = model._meta.get_field(name)
    if name in translator.get_options_for_model(model).all_fields:
        return TranslatedField(attribute=name, column_name=column.header, widget=TextWidget())
    if model_field.many_to_many:
        widget = MANY_WIDGETS[model_field.related_model]()
    elif model_field.many_to_one:
        widget = RELATED_WIDGETS[model_field.related_model]()
    elif model_field.choices:
        widget = ChoiceWidget(model_field)
    elif isinstance(model_field, models.BooleanField):
        widget = YesNoWidget(nullable=model_field.null)
    elif isinstance(model_field, models.DateField):
        widget = DateWidget()
    elif isinstance(model_field, models.DecimalField):
        widget = DecimalWidget()
    elif isinstance(model_field, models.IntegerField):
        widget = IntegerWidget()
    elif column.header == exports.IDENTIFIER:
        widget = IdentifierWidget()
    else:
        widget = TextWidget()
    return fields.Field(attribute=name, column_name=column.header, widget=widget)


# -------------------------------------------------------------- resources


class OpenDataInstanceLoader(ModelInstanceLoader):
    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            # An unknown commitment, an unreadable order: the row describes a
            # new record, whose validation then says what is wrong with it.
            return None
        except MultipleObjectsReturned:
            raise ValueError(
                gettext(
                    "Several records have this commitment identifier and order. Give "
                    "them different orders in the admin, then import again."
                )
            ) from None


class OpenDataResource(resources.ModelResource):
    """The columns of one open-data file (exports.DATASETS[dataset]), read back."""

    dataset = ""

    class Meta:
        fields = ()  # built from the export's columns in __init__
        instance_loader_class = OpenDataInstanceLoader
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        spec = exports.DATASETS[self.dataset]
        self.fields = {
            column.header: import_field(spec.model, column)
            for column in spec.columns
            if column.is_imported
        }

    @classmethod
    def ignored_columns(cls) -> list[str]:
        """Columns of the export that an import reads no value from."""
        return [
            column.header
            for column in exports.DATASETS[cls.dataset].columns
            if not column.is_imported
        ]

    def import_instance(self, instance, row, **kwargs):
        # import-export reads many-to-many columns only after saving the row:
        # read them first too, so that a bad name is reported on its row and
        # field like any other invalid value.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Spreadsheets keep blank lines below the data: skip them, not fail.
        if not any(_as_text(value).strip() for value in row.values()):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def import_data(self, dataset, **kwargs):
        # All or nothing: one transaction, rolled back on any error *or*
        # invalid row, also at the confirmation step (import-export rolls
        # back invalid rows only when asked).
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)


class CommitmentResource(OpenDataResource):
    dataset = "commitments"

    class Meta:
        model = Commitment
        name = _("Commitments (open-data file)")
        import_id_fields = [exports.IDENTIFIER]


class MilestoneResource(OpenDataResource):
    dataset = "milestones"

    class Meta:
        model = Milestone
        name = _("Milestones (open-data file)")
        import_id_fields = [exports.IDENTIFIER, exports.MILESTONE_ORDER]


class IndicatorResource(OpenDataResource):
    dataset = "indicators"

    class Meta:
        model = Indicator
        name = _("Indicators (open-data file)")
        import_id_fields = [exports.IDENTIFIER, exports.INDICATOR_ORDER]
