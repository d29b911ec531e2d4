from django.urls import path

from fuwu.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.workspace, name="workspace"),  # ?queue=mine|group|unassigned|handovers|first_contact|all
    path("new/", views.intake, name="intake"),  # ?phone= prefills the caller
    path("caller/", views.caller_panel, name="caller"),  # HTMX: customer + open requests for a phone
    path("<int:ticket_id>/", views.detail, name="detail"),
    path("<int:ticket_id>/move/", views.move, name="move"),
    path("<int:ticket_id>/handover/", views.hand_over, name="handover"),
    path("<int:ticket_id>/handover/<int:handover_id>/accept/", views.handover_accept, name="handover_accept"),
    path("<int:ticket_id>/handover/<int:handover_id>/decline/", views.handover_decline, name="handover_decline"),
    path("<int:ticket_id>/reassign/", views.reassign, name="reassign"),
    path("<int:ticket_id>/tier/", views.change_tier, name="tier"),
    path("<int:ticket_id>/major/", views.mark_major, name="major"),
    path("<int:ticket_id>/entries/", views.add_entry, name="entry_add"),
    path("<int:ticket_id>/repeat/", views.link_repeat, name="repeat"),
    path("<int:ticket_id>/ruling/", views.request_ruling, name="ruling_request"),
    path("<int:ticket_id>/ruling/<int:ruling_id>/", views.record_ruling, name="ruling_record"),
]
