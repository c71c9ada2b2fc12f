"""Public participation pages; each area's views module lists its own URLs."""

from .views import citizens, comments, consultations, feedback, meetings

app_name = "consultations"

urlpatterns = [
    *meetings.urlpatterns,
    *consultations.urlpatterns,
    *comments.urlpatterns,
    *feedback.urlpatterns,
    *citizens.urlpatterns,
]
