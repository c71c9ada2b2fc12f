from django.core.management.base import BaseCommand, CommandError

from plans.models import ActionPlan
from plans.sample_data import sample_plan_create


class Command(BaseCommand):
    help = "Create a synthetic published action plan of any size, to try the portal at scale."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="sample-plan")
        parser.add_argument("--identifier-prefix", default="ZZ")
        parser.add_argument("--commitments", type=int, default=500)
        parser.add_argument("--milestones", type=int, default=6)

    def handle(self, *args, **options):
        if ActionPlan.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A plan with the slug {options['slug']!r} already exists.")
        try:
            plan = sample_plan_create(
                slug=options["slug"],
                identifier_prefix=options["identifier_prefix"],
                commitments=options["commitments"],
                milestones_per_commitment=options["milestones"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created {plan.slug}: {plan.commitments.count()} commitments.")
