"""Rules our source code keeps, checked by reading it (ast for Python, regular
expressions for templates):

- no `mark_safe` (or SafeString) and no `|safe` / `autoescape off` except in the
  reviewed places listed here: a new one fails until someone reviews it and
  adds it, with the reason it cannot carry user input unescaped;
- no SQL built from strings (f-strings, `%`, `+`, `.format`, `.join`) handed to
  `.raw()`, `cursor.execute()` or `RawSQL()`, and no `.extra()` at all;
- no form or serializer with `fields = "__all__"`: each lists what it accepts,
  so a new model field is never writable or published by accident.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["ogp_portal", "plans", "commitments", "consultations", "monitoring", "scripts", "bench"]
TEMPLATE_DIRS = ["templates", *(f"{package}/templates" for package in PACKAGES)]

# Where marking text as safe HTML is allowed: (file, function) -> why it is safe.
MARK_SAFE_ALLOWED = {
    ("plans/templatetags/portal.py", "as_markdown"): (
        "render_markdown escapes raw HTML and sanitises its output with nh3"
    ),
}
# Template expressions allowed through |safe: (template, expression) -> why.
SAFE_FILTER_ALLOWED = {
    ("templates/commitments/commitment_detail.html", "qr_svg"): (
        "segno's SVG of the page's own address; segno escapes the title"
    ),
    ("templates/accounts/totp_setup.html", "qr_svg"): (
        "segno's SVG of the authenticator set-up address (otpauth://, built by django-otp "
        "from the new key and the username, URL-quoted); segno escapes the title"
    ),
}
# SQL built from strings: (file, function) -> why.
RAW_SQL_ALLOWED = {
    ("bench/export_memory.py", "postgres_database"): (
        "benchmark DDL: a database name cannot be a query parameter"
    ),
    ("bench/export_memory.py", "drop_postgres_database"): (
        "benchmark DDL: a database name cannot be a query parameter"
    ),
}
SAFE_MARKERS = {"mark_safe", "SafeString", "SafeText"}
SQL_CALLS = {"raw", "execute", "executemany", "RawSQL"}


@dataclass(frozen=True)
class Finding:
    path: str
    function: str
    line: int
    rule: str

    @property
    def place(self):
        return (self.path, self.function)


def python_files():
    yield ROOT / "manage.py"
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def template_files():
    for folder in TEMPLATE_DIRS:
        yield from sorted((ROOT / folder).rglob("*.html"))
        yield from sorted((ROOT / folder).rglob("*.txt"))
        yield from sorted((ROOT / folder).rglob("*.xml"))


def called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def built_from_strings(node: ast.AST) -> bool:
    """An f-string, `%`, `+` or a `.format()` / `.join()` call: SQL assembled from pieces."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    return isinstance(node, ast.Call) and called_name(node) in ("format", "join")


class RuleVisitor(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.functions = ["<module>"]
        self.findings: list[Finding] = []

    def report(self, node, rule):
        self.findings.append(Finding(self.path, self.functions[-1], node.lineno, rule))

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Name(self, node):
        if node.id in SAFE_MARKERS:
            self.report(node, "mark_safe")

    def visit_Attribute(self, node):
        if node.attr in SAFE_MARKERS:
            self.report(node, "mark_safe")
        self.generic_visit(node)

    def visit_Call(self, node):
        name = called_name(node)
        if name == "extra" and isinstance(node.func, ast.Attribute):
            self.report(node, "extra")
        elif name in SQL_CALLS:
            sql = (
                node.args[0]
                if node.args
                else next(
                    (
                        keyword.value
                        for keyword in node.keywords
                        if keyword.arg in ("sql", "raw_query")
                    ),
                    None,
                )
            )
            if sql is not None and built_from_strings(sql):
                self.report(node, "sql from strings")
        self.generic_visit(node)

    def visit_Assign(self, node):
        is_all = isinstance(node.value, ast.Constant) and node.value.value == "__all__"
        if is_all and any(
            isinstance(target, ast.Name) and target.id == "fields" for target in node.targets
        ):
            self.report(node, 'fields = "__all__"')
        self.generic_visit(node)


def findings_in(source: str, path: str = "example.py") -> list[Finding]:
    visitor = RuleVisitor(path)
    visitor.visit(ast.parse(source))
    return visitor.findings


def all_findings() -> list[Finding]:
    return [
        finding
        for path in python_files()
        for finding in findings_in(path.read_text(), str(path.relative_to(ROOT)))
    ]


SAFE_FILTER = re.compile(r"\{\{\s*([^}|]+?)\s*\|[^}]*\bsafe(?:seq)?\b[^}]*\}\}")
AUTOESCAPE_OFF = re.compile(r"\{%\s*autoescape\s+off\s*%\}")


def test_mark_safe_is_used_only_in_reviewed_places():
    places = {f.place for f in all_findings() if f.rule == "mark_safe"}

    assert places <= set(MARK_SAFE_ALLOWED), places - set(MARK_SAFE_ALLOWED)


def test_reviewed_mark_safe_places_still_exist():
    places = {f.place for f in all_findings() if f.rule == "mark_safe"}

    assert set(MARK_SAFE_ALLOWED) <= places


def test_templates_mark_as_safe_only_reviewed_expressions():
    found = set()
    for template in template_files():
        html = template.read_text()
        name = str(template.relative_to(ROOT))
        assert not AUTOESCAPE_OFF.search(html), name
        found |= {(name, expression) for expression in SAFE_FILTER.findall(html)}

    assert found == set(SAFE_FILTER_ALLOWED)


def test_no_sql_is_built_from_strings():
    places = {f.place for f in all_findings() if f.rule in ("sql from strings", "extra")}

    assert places <= set(RAW_SQL_ALLOWED), places - set(RAW_SQL_ALLOWED)


def test_no_form_or_serializer_takes_all_fields():
    findings = [f for f in all_findings() if f.rule == 'fields = "__all__"']

    assert findings == []


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("from django.utils.safestring import mark_safe\nmark_safe(text)", "mark_safe"),
        ("from django.utils import safestring\nsafestring.mark_safe(text)", "mark_safe"),
        ("SafeString(text)", "mark_safe"),
        ('Commitment.objects.raw(f"SELECT * FROM c WHERE id = {pk}")', "sql from strings"),
        ('cursor.execute("SELECT * FROM c WHERE id = %s" % pk)', "sql from strings"),
        ('cursor.execute("SELECT * FROM c WHERE id = " + pk)', "sql from strings"),
        ('cursor.execute("SELECT {}".format(column))', "sql from strings"),
        ('RawSQL(sql=f"lower({column})", params=[])', "sql from strings"),
        ('Commitment.objects.extra(where=["id = 1"])', "extra"),
        ('class Meta:\n    fields = "__all__"', 'fields = "__all__"'),
    ],
)
def test_rules_catch_each_forbidden_pattern(source, rule):
    assert [finding.rule for finding in findings_in(source)] == [rule]


@pytest.mark.parametrize(
    "source",
    [
        'cursor.execute("SELECT * FROM c WHERE id = %s", [pk])',
        'Commitment.objects.raw("SELECT * FROM c WHERE id = %s", [pk])',
        'format_html("<b>{}</b>", text)',
        'class Meta:\n    fields = ["title", "description"]',
    ],
)
def test_rules_let_safe_patterns_pass(source):
    assert findings_in(source) == []
