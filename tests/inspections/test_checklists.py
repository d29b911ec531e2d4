"""Checklists in versions (R9.4): a published version is never edited; editing makes a new version."""

import pytest

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.inspections import actions
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import Checklist, ChecklistStatus
from tests.factories import make_staff
from tests.inspections.conftest import items_of, make_checklist, score_input

pytestmark = pytest.mark.django_db


def test_a_draft_is_built_and_published(supervisor):
    draft = make_checklist(supervisor, publish=False)
    assert draft.status == ChecklistStatus.DRAFT and draft.edition == 1
    assert [(i.text, i.weight, i.max_score, i.critical) for i in items_of(draft)] == [
        ("问候语规范", 2, 5, False), ("准确记录客户诉求", 1, 5, False), ("未泄露客户信息", 1, 1, True)]
    published = actions.checklist_publish(actor=supervisor, checklist=draft, expected_version=draft.version + 3)
    assert published.status == ChecklistStatus.PUBLISHED and published.published_at is not None
    codes = list(AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert codes.count(InspectionAction.CHECKLIST_ITEM_ADDED) == 3 and InspectionAction.CHECKLIST_PUBLISHED in codes


def test_an_empty_draft_is_not_published(supervisor):
    draft = actions.checklist_create(actor=supervisor, code="empty", title="空", kind="inspection",
                                     touchpoint="portal")
    with pytest.raises(InvalidInput) as exc:
        actions.checklist_publish(actor=supervisor, checklist=draft, expected_version=None)
    assert exc.value.code == InspectionError.EMPTY


def test_a_published_version_is_never_edited(supervisor, checklist):
    before = [(i.pk, i.text, i.weight) for i in items_of(checklist)]
    with pytest.raises(InvalidInput) as exc:
        actions.checklist_add_item(actor=supervisor, checklist=checklist, expected_version=None, text="新增项")
    assert exc.value.code == InspectionError.NOT_DRAFT
    with pytest.raises(InvalidInput):
        actions.checklist_edit(actor=supervisor, checklist=checklist, expected_version=None, title="改名",
                               kind="inspection", touchpoint="hotline_call", pass_mark=60)
    with pytest.raises(InvalidInput):
        actions.checklist_remove_item(actor=supervisor, checklist=checklist, expected_version=None,
                                      item=items_of(checklist)[0])
    checklist.refresh_from_db()
    assert checklist.title == "热线通话检查" and checklist.pass_mark == 80
    assert [(i.pk, i.text, i.weight) for i in items_of(checklist)] == before


def test_revising_makes_the_next_version_and_publishing_it_retires_the_old(supervisor, other_supervisor,
                                                                             service_group, checklist):
    inspection = actions.inspection_record(actor=other_supervisor, data=score_input(
        checklist, [5, 5, 1], group_id=service_group.pk))
    draft = actions.checklist_revise(actor=supervisor, checklist=checklist)
    assert (draft.code, draft.edition, draft.status) == ("hotline-call", 2, ChecklistStatus.DRAFT)
    assert [i.text for i in items_of(draft)] == [i.text for i in items_of(checklist)]
    assert {i.pk for i in items_of(draft)}.isdisjoint({i.pk for i in items_of(checklist)})
    with pytest.raises(InvalidInput) as exc:  # one draft at a time
        actions.checklist_revise(actor=supervisor, checklist=checklist)
    assert exc.value.code == InspectionError.DRAFT_EXISTS
    actions.checklist_add_item(actor=supervisor, checklist=draft, expected_version=None, text="结束语规范")
    actions.checklist_publish(actor=supervisor, checklist=draft, expected_version=None)
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.RETIRED and checklist.items.count() == 3
    assert Checklist.objects.get(pk=draft.pk).items.count() == 4
    inspection.refresh_from_db()
    assert inspection.checklist_id == checklist.pk  # the inspection keeps the version it was scored on


def test_only_inspection_managers_build_checklists(manager, agent):
    for user in (manager, agent, make_staff("general_manager")):
        with pytest.raises(PermissionDenied):
            make_checklist(user)
    assert not Checklist.objects.exists()


def test_bad_head_and_items_are_refused_beside_the_fields(supervisor):
    with pytest.raises(InvalidInput) as exc:
        actions.checklist_create(actor=supervisor, code="坏 code", title="", kind="x", touchpoint="y", pass_mark=101)
    assert set(exc.value.errors) == {"code", "title", "kind", "touchpoint", "pass_mark"}
    draft = make_checklist(supervisor, publish=False)
    with pytest.raises(InvalidInput) as exc:
        actions.checklist_add_item(actor=supervisor, checklist=draft, expected_version=None, text=" ", weight=0,
                                   max_score=101)
    assert set(exc.value.errors) == {"text", "weight", "max_score"}
