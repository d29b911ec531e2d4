from django.urls import path

from fuwu.surveys.views import builder, campaigns, figures, responses

app_name = "surveys"

urlpatterns = [
    path("", figures.home, name="home"),
    path("questionnaires/", builder.questionnaire_list, name="list"),
    path("new/", builder.questionnaire_new, name="new"),
    path("q/<int:questionnaire_id>/", builder.questionnaire_detail, name="questionnaire"),
    path("q/<int:questionnaire_id>/head/", builder.questionnaire_head, name="head"),
    path("q/<int:questionnaire_id>/section/", builder.section_add, name="section_add"),
    path("q/<int:questionnaire_id>/question/", builder.question_add, name="question_add"),
    path("q/<int:questionnaire_id>/question/<int:question_id>/move/", builder.question_move, name="question_move"),
    path("q/<int:questionnaire_id>/question/<int:question_id>/remove/", builder.question_remove,
         name="question_remove"),
    path("q/<int:questionnaire_id>/publish/", builder.publish, name="publish"),
    path("q/<int:questionnaire_id>/revise/", builder.revise, name="revise"),
    path("q/<int:questionnaire_id>/retire/", builder.retire, name="retire"),
    path("campaigns/new/", campaigns.campaign_edit, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_edit, name="campaign"),
    path("invitations/", responses.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/enter/", responses.enter, name="enter"),
    path("responses/", responses.responses, name="responses"),
    path("responses/<int:response_id>/", responses.response_detail, name="response"),
    path("figures/", figures.figures, name="figures"),
]
