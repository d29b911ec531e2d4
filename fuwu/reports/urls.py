from django.urls import path

from fuwu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.archive_page, name="list"),
    path("issue/", views.issue, name="issue"),
    path("recipients/", views.recipients_save, name="recipients"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/pdf/", views.download_pdf, name="pdf"),
    path("<int:report_id>/xlsx/", views.download_xlsx, name="xlsx"),
]
