from django.urls import path

from fuwu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("signin/link/<str:token>/", views.link, name="link"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<slug:number>/", views.request_detail, name="request"),
    path("requests/<slug:number>/reply/", views.request_reply, name="reply"),
    path("requests/<slug:number>/confirm/", views.request_confirm, name="confirm"),
    path("requests/<slug:number>/reopen/", views.request_reopen, name="reopen"),
    path("requests/<slug:number>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
