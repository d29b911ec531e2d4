from django.urls import path

from fuwu.faults import views

app_name = "faults"

urlpatterns = [
    path("", views.fault_index, name="list"),
    path("new/", views.fault_new, name="new"),
    path("notice-list/", views.notice_list_page, name="notice_list"),
    path("notice-list/<int:recipient_id>/remove/", views.notice_recipient_remove, name="notice_remove"),
    path("<int:fault_id>/", views.fault_detail, name="detail"),
    path("<int:fault_id>/edit/", views.fault_edit, name="edit"),
    path("<int:fault_id>/report.pdf", views.fault_pdf, name="pdf"),
    path("<int:fault_id>/<slug:name>/", views.fault_step, name="step"),
]
