"""Demo materials (`seed_demo`): items, receipts, requisitions and returns through the actions, audited (R13.2)."""

from io import StringIO

import pytest
from django.core.management import call_command

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.materials.codes import MaterialsAction
from fuwu.materials.demo import ITEMS
from fuwu.materials.models import Item, Movement, MovementKind, StockHolding

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_ledger():
    out = StringIO()
    call_command("seed_demo", customers=20, staff=12, tickets=0, stdout=out)
    assert "materials: 40 items" in out.getvalue()
    assert Item.objects.count() == len(ITEMS) == 40
    assert not StockHolding.objects.filter(quantity__lt=0).exists()
    told = OutboxMessage.objects.filter(object_type="materials.item").values("object_id").distinct().count()
    assert told >= 4  # the items bought near their reorder level were drawn down to it
    held = StockHolding.objects.filter(holder__isnull=False, quantity__gt=0)
    assert held.values("holder").distinct().count() >= 2
    kinds = set(Movement.objects.values_list("kind", flat=True))
    assert {MovementKind.RECEIPT, MovementKind.REQUISITION, MovementKind.RETURN} <= kinds
    assert AuditEvent.objects.filter(action=MaterialsAction.REQUISITIONED).count() == \
        Movement.objects.filter(kind=MovementKind.REQUISITION).count()
    for holding in StockHolding.objects.select_related("item"):
        moved_in = sum(m.quantity for m in Movement.objects.filter(item=holding.item)
                       if (m.to_store if holding.holder_id is None else m.to_holder_id == holding.holder_id))
        moved_out = sum(m.quantity for m in Movement.objects.filter(item=holding.item)
                        if (m.from_store if holding.holder_id is None else m.from_holder_id == holding.holder_id))
        assert holding.quantity == moved_in - moved_out, holding
