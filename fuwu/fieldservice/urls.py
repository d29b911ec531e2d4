from django.urls import path

from fuwu.fieldservice import views

app_name = "fieldservice"

urlpatterns = [
    path("", views.board, name="board"),
    path("today/", views.today, name="today"),
    path("week/", views.week, name="week"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("defects/", views.defects, name="defects"),
    path("open/<int:ticket_id>/", views.open_for_ticket, name="open"),
    path("<int:work_order_id>/", views.detail, name="detail"),
    path("<int:work_order_id>/book/", views.book, name="book"),
    path("<int:work_order_id>/pdf/", views.pdf, name="pdf"),
    path("<int:work_order_id>/schedule/", views.schedule, name="schedule"),
    path("<int:work_order_id>/dispatch/", views.dispatch, name="dispatch"),
    path("<int:work_order_id>/accept/", views.accept, name="accept"),
    path("<int:work_order_id>/step/", views.step, name="step"),
    path("<int:work_order_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:work_order_id>/defect/", views.report_defect, name="defect"),
    path("<int:work_order_id>/parts/", views.use_part, name="parts"),
]
