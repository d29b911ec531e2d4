from django.urls import path

from fuwu.inspections.views import checklists, results, rounds

app_name = "inspections"

urlpatterns = [
    path("", results.results, name="results"),
    path("mine/", results.mine, name="mine"),
    path("<int:inspection_id>/", results.inspection_detail, name="detail"),
    path("<int:inspection_id>/improve/", results.inspection_improve, name="improve"),
    path("checklists/", checklists.checklist_list, name="checklists"),
    path("checklists/<int:checklist_id>/", checklists.checklist_detail, name="checklist"),
    path("checklists/<int:checklist_id>/head/", checklists.checklist_head, name="checklist_head"),
    path("checklists/<int:checklist_id>/items/", checklists.item_add, name="item_add"),
    path("checklists/<int:checklist_id>/items/remove/", checklists.item_remove, name="item_remove"),
    path("checklists/<int:checklist_id>/publish/", checklists.publish, name="publish"),
    path("checklists/<int:checklist_id>/revise/", checklists.revise, name="revise"),
    path("checklists/<int:checklist_id>/retire/", checklists.retire, name="retire"),
    path("checklists/<int:checklist_id>/score/", results.score, name="score_adhoc"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round"),
    path("rounds/<int:round_id>/step/", rounds.round_step, name="round_step"),
    path("rounds/<int:round_id>/score/", results.score, name="score"),
]
