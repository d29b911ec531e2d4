from django.contrib import admin
from django.urls import include, path

from fuwu.site import views as site_views
from fuwu.site.api import api
from fuwu.surveys.views.public import public_answer

urlpatterns = [
    path("i18n/setlang/", site_views.language_switch, name="set_language"),
    path("api/v1/", api.urls),
    # One login page for everyone: the admin's own login form would be a second door.
    path("admin/login/", site_views.admin_login),
    path("admin/", admin.site.urls),
    path("", include("fuwu.site.urls")),
    path("org/", include("fuwu.org.urls")),
    path("customers/", include("fuwu.customers.urls")),
    path("tickets/", include("fuwu.tickets.urls")),
    path("field/", include("fuwu.fieldservice.urls")),
    path("standards/", include("fuwu.standards.urls")),
    path("mail/", include("fuwu.mail.urls")),
    path("materials/", include("fuwu.materials.urls")),
    path("portal/", include("fuwu.portal.urls")),
    path("surveys/", include("fuwu.surveys.urls")),
    path("s/<str:token>/", public_answer, name="survey_public"),  # a customer's survey link (R9.1), no login
    path("followups/", include("fuwu.followups.urls")),
    path("complaints/", include("fuwu.complaints.urls")),
    path("inspections/", include("fuwu.inspections.urls")),
    path("quality/", include("fuwu.quality.urls")),
    path("improvements/", include("fuwu.improvements.urls")),
    path("faults/", include("fuwu.faults.urls")),
    path("reports/", include("fuwu.reports.urls")),
]

handler403 = "fuwu.site.views.error_403"
handler404 = "fuwu.site.views.error_404"
handler500 = "fuwu.site.views.error_500"

