"""The participation admin, one module per area; importing them registers them."""

from . import citizens, comments, consultations, feedback, meetings  # noqa: F401
