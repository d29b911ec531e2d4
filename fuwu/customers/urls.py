from django.urls import path

from fuwu.customers import views, views_transfer

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("lookup/", views.customer_lookup, name="lookup"),
    path("import/", views_transfer.customer_import, name="import"),
    path("export/", views_transfer.customer_export, name="export"),
    path("<int:customer_id>/", views.customer_detail_view, name="detail"),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<int:customer_id>/archive/", views.customer_archive, name="archive"),
    path("<int:customer_id>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<int:customer_id>/contacts/<int:contact_id>/deactivate/", views.contact_deactivate, name="contact_deactivate"
    ),
    path("<int:customer_id>/addresses/", views.address_add, name="address_add"),
    path("<int:customer_id>/products/", views.product_add, name="product_add"),
    path("<int:customer_id>/reveal/", views.reveal, name="reveal"),
]
