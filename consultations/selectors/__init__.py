"""One module per area: meetings, consultations, comments, feedback, citizens."""
