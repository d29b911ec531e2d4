from django.urls import path

from fuwu.org import views

app_name = "org"

urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("me/", views.me, name="me"),
    path("me/tokens/", views.token_issue, name="token_issue"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
