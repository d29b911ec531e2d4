from django.urls import path

from fuwu.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("login/", views.FuwuLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("audit/", views.audit_list, name="audit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/group-read/", views.notification_group_read, name="notifications_group_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
]
