from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpsConfig(AppConfig):
    name = "fuwu.followups"
    label = "followups"
    verbose_name = _("Follow-up and customer care")

    def ready(self) -> None:
        from fuwu.core.panels import Panel
        from fuwu.followups.actions.calls import follow_up_recording_grant, on_ticket_entry, on_ticket_moved
        from fuwu.followups.selectors import ticket_follow_ups_panel
        from fuwu.tickets.events import register_entry_listener, register_move_listener
        from fuwu.tickets.panels import TICKET_PAGE
        from fuwu.tickets.rules import register_move_grant, register_write_grant

        register_move_listener(on_ticket_moved)
        register_entry_listener(on_ticket_entry)
        # The agent recording a follow-up writes its entry on the request and, for an unsatisfied
        # customer, reopens it (R8.1), whoever owns the request; only while `followup_record` runs.
        register_write_grant(follow_up_recording_grant)
        register_move_grant(follow_up_recording_grant)
        TICKET_PAGE.register(Panel("followups/includes/ticket_panel.html", ticket_follow_ups_panel))
