from django.urls import path

from fuwu.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.FuwuLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_list, name="audit"),
]
