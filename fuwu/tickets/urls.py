from django.urls import path

from fuwu.tickets import views, views_actions

app_name = "tickets"

urlpatterns = [
    path("", views.workspace, name="workspace"),  # ?queue=mine|group|unassigned|handovers|first_contact|all
    path("new/", views.intake, name="intake"),  # ?phone= prefills the caller
    path("caller/", views.caller_panel, name="caller"),  # HTMX: customer + open requests for a phone
    path("<int:ticket_id>/", views.detail, name="detail"),
    path("<int:ticket_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:ticket_id>/move/", views_actions.move, name="move"),
    path("<int:ticket_id>/handover/", views_actions.hand_over, name="handover"),
    path("<int:ticket_id>/handover/<int:handover_id>/accept/", views_actions.handover_accept, name="handover_accept"),
    path(
        "<int:ticket_id>/handover/<int:handover_id>/decline/", views_actions.handover_decline, name="handover_decline"
    ),
    path("<int:ticket_id>/reassign/", views_actions.reassign, name="reassign"),
    path("<int:ticket_id>/tier/", views_actions.change_tier, name="tier"),
    path("<int:ticket_id>/major/", views_actions.mark_major, name="major"),
    path("<int:ticket_id>/reclassify/", views_actions.reclassify, name="reclassify"),
    path("<int:ticket_id>/arrival/", views_actions.record_arrival, name="arrival"),
    path("<int:ticket_id>/entries/", views_actions.add_entry, name="entry_add"),
    path("<int:ticket_id>/repeat/", views_actions.link_repeat, name="repeat"),
    path("<int:ticket_id>/ruling/", views_actions.request_ruling, name="ruling_request"),
    path("<int:ticket_id>/ruling/<int:ruling_id>/", views_actions.record_ruling, name="ruling_record"),
]
