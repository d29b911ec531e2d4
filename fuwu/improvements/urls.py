from django.urls import path

from fuwu.improvements import views

app_name = "improvements"

urlpatterns = [
    path("", views.action_index, name="list"),
    path("new/", views.action_new, name="new"),
    path("<int:action_id>/", views.action_detail, name="detail"),
    path("<int:action_id>/edit/", views.action_edit, name="edit"),
    path("<int:action_id>/<slug:name>/", views.action_step, name="step"),
    path("suggestions/", views.suggestion_index, name="suggestions"),
    path("suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:suggestion_id>/", views.suggestion_detail, name="suggestion"),
    path("suggestions/<int:suggestion_id>/<slug:name>/", views.suggestion_review, name="suggestion_review"),
]
