from django.urls import path

from fuwu.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("rules/<str:what>/new/", views.rule_edit, name="rule_new"),
    path("rules/<str:what>/<int:row_id>/", views.rule_edit, name="rule_edit"),
    path("<int:follow_up_id>/", views.detail, name="detail"),
    path("<int:follow_up_id>/record/", views.record, name="record"),
]
