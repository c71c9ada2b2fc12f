"""The demo-data loader: what `manage.py load_demo` puts in the database.

Expected values are copied from the seed pages (/work/shared/seeds in the
project's shared folder), not read back from plans/demo_data/.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from commitments.models import Commitment
from plans.models import ActionPlan

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["demo-editor", "demo-moderator", "demo-monitor", "demo-citizen"]


def log_in(username, password):
    # django-axes' backend refuses a login that comes without its request.
    return authenticate(RequestFactory().post("/"), username=username, password=password)


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output):
    """{username: password} from the logins table of the command's output."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s+(demo-[a-z]+)\s.*\s(\S+)$", line)
        if match:
            found[match[1]] = match[2]
    return found


def database_state():
    """Rows of every table (history and many-to-many tables included), versions, passwords."""
    return {
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)
        },
        "plans": list(ActionPlan.objects.values_list("slug", "version", "updated_at")),
        "commitments": list(Commitment.objects.values_list("identifier", "version", "updated_at")),
        "passwords": list(
            get_user_model().objects.order_by("username").values_list("username", "password")
        ),
    }


@pytest.fixture
def loaded():
    return load_demo()


def test_load_demo_creates_the_plans_with_the_seed_counts(loaded):
    expected = {
        # slug: (commitments, endorsements, groups, public meetings)
        "kutaisi-2022-2025": (3, 9, 7, 10),
        "regueb-2021-2023": (1, 1, 20, 7),
        "gjakova-2024-2025": (0, 7, 6, 15),
        "cartagena-2022-2023": (0, 12, 7, 23),
        "georgia-2012-2013": (12, 0, None, None),
        "georgia-2014-2016": (29, 0, None, None),
        "georgia-2016-2018": (24, 0, None, None),
        "georgia-2018-2019": (28, 0, None, None),
    }
    found = {
        plan.slug: (
            plan.commitments.count(),
            plan.endorsements.count(),
            plan.groups_count,
            plan.public_meetings_count,
        )
        for plan in ActionPlan.objects.all()
    }
    assert found == expected
    assert Commitment.objects.filter(plan__jurisdiction__slug="georgia").count() == 93
    assert set(
        ActionPlan.objects.get(slug="georgia-2018-2019").commitments.values_list(
            "identifier", flat=True
        )
    ) == {f"GE{number:04}" for number in range(66, 94)}


def test_load_demo_gives_local_commitments_ogp_style_identifiers(loaded):
    assert list(
        Commitment.objects.filter(plan__slug="kutaisi-2022-2025").values_list(
            "identifier", "number", "title_fr"
        )
    ) == [
        (
            "KUT0001",
            1,
            "Accroître l'accès aux informations sur le site Web de la municipalité de Kutaisi "
            "et promouvoir l'engagement des personnes handicapées",
        ),
        (
            "KUT0002",
            2,
            "Introduire une plate-forme SMS visant à informer de manière proactive les citoyens",
        ),
        ("KUT0003", 3, "Introduire la plate-forme en ligne pour les commentaires des citoyens"),
    ]
    regueb = Commitment.objects.get(plan__slug="regueb-2021-2023")
    assert regueb.identifier == "REG0001"
    assert regueb.title_fr.startswith("Établir une relation interactive avec les citoyens")


def test_load_demo_records_regueb_participation_456_people(loaded):
    plan = ActionPlan.objects.get(slug="regueb-2021-2023")
    figures = list(plan.participation_figures.values_list("sector", "label_fr", "count"))
    assert figures == [
        ("civil_society", "Représentants des organisations de la société civile", 11),
        ("citizens", "Questions en ligne", 92),
        ("government", "Total des participants gouvernementaux", 5),
        ("citizens", "Participants aux conseils délibérants (non affiliés à une institution)", 257),
        ("citizens", "Participants à l'atelier (non affiliés à une institution)", 76),
        ("academia", "Participants académiques (réseau ou institution)", 7),
        ("private_sector", "Secteur privé", 8),
    ]
    assert sum(count for _sector, _label, count in figures) == 456
    members = plan.monitoring_body.members.values_list("name", "email", "email_is_public")
    assert list(members) == [
        ("Sayahi Salem", "salem.sayahi@gmail.com", False),
        ("Ayouni Ezziddine", "ezziddineayouni@yahoo.fr", False),
    ]


def test_load_demo_loads_ge0067_in_full(loaded):
    commitment = Commitment.objects.get(identifier="GE0067")
    assert commitment.plan.slug == "georgia-2018-2019"
    assert commitment.number == 2
    assert commitment.title_fr == "Plateforme innovante pour l'engagement des citoyens"
    assert commitment.short_title_fr == "Plateforme d'engagement des citoyens"
    # "Date de début: Septembre 2018", "Date de fin: Août 2019".
    assert (commitment.start_date, commitment.end_date) == (
        datetime.date(2018, 9, 1),
        datetime.date(2019, 8, 31),
    )
    assert sorted(commitment.policy_areas.values_list("slug", flat=True)) == [
        "capacity-building",
        "e-government",
        "open-regulations",
        "public-participation",
        "public-service-delivery",
        "social-accountability-measures-feedback-loops",
    ]
    # "Pertinent avec les valeurs de l'OGP: accès à l'information, participation civique,
    # technologie"
    assert commitment.ogp_values() == [
        "access to information",
        "civic participation",
        "technology and innovation",
    ]
    assert commitment.irm_verifiable == Commitment.IrmVerifiable.YES
    assert commitment.irm_report_fr == "Rapport de conception de la Géorgie 2018-2019"
    assert commitment.irm_next_steps_fr.startswith(
        "Si l'engagement est reporté sur de futurs plans d'action, le chercheur IRM recommande"
    )
    assert "ANIKA recommande que PSH adapte également les canaux Web" in (
        commitment.irm_next_steps_fr
    )
    assert commitment.irm_summary_fr.startswith(
        "Cet engagement s'appuie sur l'engagement 2 du deuxième plan d'action de la Géorgie"
    )
    assert commitment.objective_fr.startswith(
        "L’utilisation de mécanismes simples, efficaces et diversifiés"
    )

    milestones = list(commitment.milestones.values_list("title_fr", "start_date", "end_date"))
    assert milestones == [
        (
            "Développement d'un logiciel pour la page Web et l'application mobile",
            datetime.date(2018, 9, 1),
            datetime.date(2019, 2, 28),
        ),
        (
            "Achat de moniteurs de détection et de l'équipement nécessaire; lancement du projet.",
            datetime.date(2018, 11, 1),
            datetime.date(2019, 3, 31),
        ),
        (
            "Information du public sur la plateforme",
            datetime.date(2019, 3, 1),
            datetime.date(2019, 6, 30),
        ),
        (
            "Administration du processus d’enquête / de vote, organisation de groupes de "
            "discussion, responsabilisation",
            datetime.date(2019, 4, 1),
            datetime.date(2019, 8, 31),
        ),
    ]

    indicators = list(commitment.indicators.values_list("description_fr", "target"))
    assert len(indicators) == 6
    assert indicators[0] == (
        "100% des applications ont reçu une réponse au plus tard en heures 24",
        Decimal(100),
    )
    assert indicators[2][1] == Decimal(60)
    assert indicators[3][1] == Decimal(500)
    assert indicators[4][1] == Decimal(5000)
    # Progress is derived from the four milestones, none of them reported done.
    assert (commitment.milestones_total, commitment.milestones_completed) == (4, 0)
    assert commitment.progress == 0


def test_load_demo_lists_georgian_commitments_with_code_cycle_and_area(loaded):
    first = Commitment.objects.get(identifier="GE0001")
    assert first.title_fr == "Hall de la fonction publique"
    assert first.plan.period_start.year == 2012
    assert list(first.policy_areas.values_list("slug", flat=True)) == ["access-to-justice"]
    # "Engagement étoilé" on the page marks a starred commitment; it is not part of the title.
    starred = Commitment.objects.get(identifier="GE0008")
    assert starred.title_fr == "Financement des partis transparent"
    assert starred.irm_starred is True
    last = Commitment.objects.get(identifier="GE0093")
    assert last.title_fr == "Sensibilisation du public à la démocratie parlementaire"
    assert last.plan.slug == "georgia-2018-2019"
    assert set(
        Commitment.objects.filter(irm_starred=True).values_list("identifier", flat=True)
    ) == {"GE0008", "GE0025", "GE0027", "GE0050", "GE0055", "GE0057"}


def test_load_demo_puts_the_seed_text_in_the_french_fields(loaded):
    kutaisi = ActionPlan.objects.get(slug="kutaisi-2022-2025")
    assert kutaisi.title_fr == "Plan d'action – Kutaisi, Géorgie, 2022 – 2025"
    assert kutaisi.foreword_fr.startswith(
        "La municipalité de Kutaisi a été l'une des premières parmi les cinq administrations "
        "locales"
    )
    assert kutaisi.progress_checking_fr == (
        "L'unité administrative de la mairie de Kutaisi demandera des informations aux unités "
        "responsables de la mairie concernant la mise en œuvre des engagements du PGO sur une "
        "base trimestrielle."
    )
    # Nothing is translated: the English columns stay empty.
    assert not kutaisi.title_en
    assert not kutaisi.foreword_en
    assert not Commitment.objects.get(identifier="GE0067").description_en
    endorsement = kutaisi.endorsements.get(name="Lana Totadze")
    assert (endorsement.role_fr, endorsement.organisation_fr) == ("secrétaire générale", "RICDOG")
    assert kutaisi.monitoring_body.name_fr == "Local Democracy Agency Georgia"
    # Only short proper names have an English value.
    assert kutaisi.jurisdiction.country_fr == "Géorgie"
    assert kutaisi.jurisdiction.country_en == "Georgia"


def test_load_demo_ends_month_or_year_dates_on_their_last_day(loaded):
    periods = {
        slug: (start, end)
        for slug, start, end in ActionPlan.objects.values_list("slug", "period_start", "period_end")
    }
    # "Soumission du plan d'action : 2022", "Fin du plan d'action : août 2025".
    assert periods["kutaisi-2022-2025"] == (datetime.date(2022, 1, 1), datetime.date(2025, 8, 31))
    assert periods["regueb-2021-2023"][1] == datetime.date(2023, 4, 30)  # avril 2023
    assert periods["gjakova-2024-2025"][1] == datetime.date(2025, 9, 30)  # septembre 2025
    assert periods["cartagena-2022-2023"][1] == datetime.date(2023, 12, 31)  # décembre 2023
    # "Plan d'action pour la Géorgie 2018-2019": years only.
    assert periods["georgia-2018-2019"] == (datetime.date(2018, 1, 1), datetime.date(2019, 12, 31))
    assert ActionPlan.objects.get(slug="kutaisi-2022-2025").submission_date == datetime.date(
        2022, 12, 29
    )


def test_load_demo_creates_one_account_per_role(loaded):
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == set(DEMO_USERNAMES)
    roles = {
        name: (user.is_staff, user.is_superuser, list(user.groups.values_list("name", flat=True)))
        for name, user in users.items()
    }
    assert roles == {
        "demo-editor": (True, False, ["Editors"]),
        "demo-moderator": (True, False, ["Moderators"]),
        "demo-monitor": (False, False, ["Monitors"]),
        "demo-citizen": (False, False, []),
    }
    kutaisi_body = ActionPlan.objects.get(slug="kutaisi-2022-2025").monitoring_body
    assert list(kutaisi_body.accounts.all()) == [users["demo-monitor"]]
    passwords = printed_passwords(loaded)
    assert set(passwords) == set(DEMO_USERNAMES)
    for username, password in passwords.items():
        assert log_in(username, password) == users[username]


def test_load_demo_twice_changes_nothing(loaded):
    before = database_state()

    output = load_demo()

    assert database_state() == before
    assert "nothing changed" in output
    assert "unchanged" in output


def test_load_demo_sets_an_edited_demo_value_back_to_the_seed(loaded):
    plan = ActionPlan.objects.get(slug="regueb-2021-2023")
    seed_text = plan.foreword_fr
    plan.foreword_fr = "Edited during a demo."
    plan.save()
    versions = plan.history.count()

    load_demo()

    plan.refresh_from_db()
    assert plan.foreword_fr == seed_text
    assert plan.history.count() == versions + 1


def test_load_demo_reset_passwords_gives_new_printed_passwords(loaded):
    first = printed_passwords(loaded)

    output = load_demo("--reset-passwords")

    second = printed_passwords(output)
    assert set(second) == set(DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        assert second[username] != first[username]
        assert log_in(username, first[username]) is None
        assert log_in(username, second[username]) is not None
