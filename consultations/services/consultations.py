"""Writes of the consultations area: citizens' proposals, staff's evaluation
of them, and ballots.

One ballot per person is the database's rule (the `ballot_one_per_voter`
constraint), not a check made before writing: two submissions at the same
instant cannot both pass a check, but only one of them can insert its row.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Ballot, BallotChoice, Consultation, Proposal, VoteOption

ALREADY_VOTED = "already_voted"


def _localtime(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@transaction.atomic
def proposal_submit(*, consultation: Consultation, author, title: str, body: str) -> Proposal:
    """A citizen's proposal, received while the consultation is open and takes proposals."""
    if not consultation.accepts_proposals:
        raise ValidationError(_("This consultation does not take proposals."), code="no_proposals")
    if not consultation.is_open():
        raise ValidationError(
            _("Proposals are accepted only while the consultation is open."), code="not_open"
        )
    proposal = Proposal(consultation=consultation, author=author, title=title, body=body)
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_evaluate(
    *,
    proposal: Proposal,
    status: str,
    public_reason: str,
    merged_into: Proposal | None = None,
    by=None,
) -> Proposal:
    """Staff's decision on a proposal, with its public reason; dated, and kept
    in the proposal's history under the name of who decided."""
    proposal.status = status
    proposal.public_reason = public_reason
    proposal.merged_into = merged_into if status == Proposal.Status.MERGED else None
    proposal.evaluated_at = timezone.now()
    proposal.full_clean()
    if by is not None:
        proposal._history_user = by
    proposal.save()
    return proposal


@transaction.atomic
def ballot_cast(*, consultation: Consultation, voter, option_ids: Iterable[int]) -> Ballot:
    """The voter's ballot with the chosen options, or a ValidationError saying
    why not (nothing is stored then)."""
    now = timezone.now()
    if not consultation.has_opened(now):
        raise ValidationError(
            _("Voting has not started yet: it opens on %(date)s.")
            % {"date": _localtime(consultation.opens_at)},
            code="not_open_yet",
        )
    if consultation.has_closed(now):
        raise ValidationError(
            _("Voting closed on %(date)s.") % {"date": _localtime(consultation.closes_at)},
            code="closed",
        )
    ids = {int(option_id) for option_id in option_ids}
    if not ids:
        raise ValidationError(_("Choose an option."), code="no_choice")
    if len(ids) > consultation.max_choices:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)d option.",
                "Choose at most %(count)d options.",
                consultation.max_choices,
            )
            % {"count": consultation.max_choices},
            code="too_many",
        )
    options = list(VoteOption.objects.filter(consultation=consultation, pk__in=ids))
    if len(options) != len(ids):
        raise ValidationError(_("Choose among the options of this vote."), code="invalid_option")
    try:
        # A savepoint: a refused insert leaves the surrounding transaction usable.
        with transaction.atomic():
            ballot = Ballot.objects.create(consultation=consultation, voter=voter)
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, option=option) for option in options]
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already voted in this consultation."), code=ALREADY_VOTED
        ) from error
    return ballot
