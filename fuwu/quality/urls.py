from django.urls import path

from fuwu.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<int:target_id>/retire/", views.target_retire, name="target_retire"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/improve/", views.alert_improve, name="alert_improve"),
]
