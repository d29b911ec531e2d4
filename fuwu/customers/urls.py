from django.urls import path

from fuwu.customers.views import records, transfer

app_name = "customers"

urlpatterns = [
    path("", records.customer_list, name="list"),
    path("new/", records.customer_create, name="create"),
    path("lookup/", records.customer_lookup, name="lookup"),
    path("import/", transfer.customer_import, name="import"),
    path("export/", transfer.customer_export, name="export"),
    path("<int:customer_id>/", records.customer_detail_view, name="detail"),
    path("<int:customer_id>/edit/", records.customer_edit, name="edit"),
    path("<int:customer_id>/archive/", records.customer_archive, name="archive"),
    path("<int:customer_id>/contacts/", records.contact_add, name="contact_add"),
    path(
        "<int:customer_id>/contacts/<int:contact_id>/deactivate/", records.contact_deactivate, name="contact_deactivate"
    ),
    path("<int:customer_id>/addresses/", records.address_add, name="address_add"),
    path("<int:customer_id>/products/", records.product_add, name="product_add"),
    path("<int:customer_id>/reveal/", records.reveal, name="reveal"),
]
