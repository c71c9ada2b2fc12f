"""Co-creation and participation: meetings, consultations (sections,
proposals, votes), comments, feedback, and citizens' accounts and follows."""

from .citizens import CitizenProfile, Follow, Notification, phone_validator
from .comments import COMMENT_MAX_LENGTH, Comment, CommentFlag
from .consultations import (
    Ballot,
    BallotChoice,
    Consultation,
    ConsultationSection,
    Proposal,
    VoteOption,
)
from .feedback import FEEDBACK_MAX_LENGTH, Feedback
from .meetings import Meeting, MeetingDocument, MeetingParticipation

__all__ = [
    "COMMENT_MAX_LENGTH",
    "FEEDBACK_MAX_LENGTH",
    "Ballot",
    "BallotChoice",
    "CitizenProfile",
    "Comment",
    "CommentFlag",
    "Consultation",
    "ConsultationSection",
    "Feedback",
    "Follow",
    "Meeting",
    "MeetingDocument",
    "MeetingParticipation",
    "Notification",
    "Proposal",
    "VoteOption",
    "phone_validator",
]
