from django.urls import path

from fuwu.materials import views

app_name = "materials"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("mine/", views.my_parts, name="mine"),
    path("<int:item_id>/", views.item_detail, name="detail"),
    path("<int:item_id>/edit/", views.item_edit, name="edit"),
    path("<int:item_id>/receive/", views.stock_receive, name="receive"),
    path("<int:item_id>/requisition/", views.stock_requisition, name="requisition"),
    path("<int:item_id>/return/", views.stock_return, name="return"),
    path("<int:item_id>/adjust/", views.stock_adjust, name="adjust"),
]
