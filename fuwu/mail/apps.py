from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "fuwu.mail"
    label = "mail"
    verbose_name = _("E-mail")

    def ready(self) -> None:
        from django.core.checks import register

        from fuwu.core.outbox import register_mail_dressing
        from fuwu.mail.actions import ticket_reply_mail
        from fuwu.mail.checks import mail_goes_somewhere
        from fuwu.mail.dressing import tag_request_mail
        from fuwu.mail.rules import is_mail_login
        from fuwu.tickets.events import register_entry_listener
        from fuwu.tickets.rules import register_customer_voice

        register_customer_voice(is_mail_login)
        register_mail_dressing(tag_request_mail)
        register_entry_listener(ticket_reply_mail)
        register(mail_goes_somewhere)
