from django.urls import path

from fuwu.quality import views
from fuwu.quality.merit import views as merit

app_name = "quality"

urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<int:target_id>/retire/", views.target_retire, name="target_retire"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/improve/", views.alert_improve, name="alert_improve"),
    # Rewards and penalties linked to results (R9.5, R11.5).
    path("merit/", merit.board, name="merit_board"),
    path("merit/propose/", merit.propose, name="merit_propose"),
    path("merit/results/<int:result_id>/decide/", merit.decide, name="merit_decide"),
    path("merit/rules/", merit.rules, name="merit_rules"),
    path("merit/rules/new/", merit.rule_edit, name="merit_rule_new"),
    path("merit/rules/<int:rule_id>/revise/", merit.rule_edit, name="merit_rule_revise"),
    path("merit/rules/<int:rule_id>/retire/", merit.rule_retire, name="merit_rule_retire"),
    path("merit/mine/", merit.mine, name="merit_mine"),
]
