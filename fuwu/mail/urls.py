from django.urls import path

from fuwu.mail import views

app_name = "mail"

urlpatterns = [
    path("failed/", views.outbox_failed, name="outbox_failed"),
    path("failed/<int:message_id>/retry/", views.outbox_retry, name="outbox_retry"),
]
