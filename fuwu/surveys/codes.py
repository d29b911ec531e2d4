"""Satisfaction surveys (R9.1): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class SurveyAction(AuditAction):
    QUESTIONNAIRE_CREATED = "questionnaire.created", _("Questionnaire drafted")
    QUESTIONNAIRE_EDITED = "questionnaire.edited", _("Questionnaire draft edited")
    QUESTIONNAIRE_PUBLISHED = "questionnaire.published", _("Questionnaire published")
    QUESTIONNAIRE_REVISED = "questionnaire.revised", _("Questionnaire revised into a new version")
    QUESTIONNAIRE_RETIRED = "questionnaire.retired", _("Questionnaire retired")
    CAMPAIGN_CREATED = "survey_campaign.created", _("Survey campaign created")
    CAMPAIGN_CHANGED = "survey_campaign.changed", _("Survey campaign changed")
    INVITED = "survey_invitation.created", _("Survey invitation created")
    SAMPLED = "survey_campaign.sampled", _("Survey sample drawn")
    ANSWERED = "survey_response.submitted", _("Survey answered")


class SurveyError(ErrorCode):
    NOT_DRAFT = "questionnaire.not_draft", "Only a draft questionnaire is edited; revise a published one."
    NOT_PUBLISHED = "questionnaire.not_published", "Only a published questionnaire is sent out."
    EMPTY = "questionnaire.empty", "A questionnaire needs at least one question to be published."
    DRAFT_EXISTS = "questionnaire.draft_exists", "The questionnaire already has a draft of its next version."
    CODE_TAKEN = "questionnaire.code_taken", "Another questionnaire has this code."
    ALREADY_ANSWERED = "survey.already_answered", "The invitation has been answered already."
    EXPIRED = "survey.expired", "The invitation has expired."
    NOT_FOUND = "survey.not_found", "No such survey link."
