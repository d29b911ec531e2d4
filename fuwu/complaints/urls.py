from django.urls import path

from fuwu.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_index, name="list"),
    path("figures/", views.figures, name="analysis"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:record_id>/answer/", views.answer, name="answer"),
    path("accountability/", views.accountability_board, name="accountability"),
    path("accountability/<int:record_id>/decide/", views.accountability_decide, name="accountability_decide"),
    path("compensations/", views.compensations, name="compensations"),
    path("compensations/<int:compensation_id>/decide/", views.compensation_decide, name="compensation_decide"),
    path("root-causes/", views.root_causes, name="root_causes"),
    path("ticket/<int:ticket_id>/panel/", views.panel, name="panel"),
    path("ticket/<int:ticket_id>/open/", views.open_record, name="open"),
    path("ticket/<int:ticket_id>/<slug:name>/", views.step, name="step"),
]
