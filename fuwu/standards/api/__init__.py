"""The standards domain's API: business calendars and service standards (R10)."""

from ninja import Router

from fuwu.standards.api.calendars import router as calendars_router
from fuwu.standards.api.commitments import router as commitments_router

router = Router()
router.add_router("/calendars", calendars_router)
router.add_router("/standards", commitments_router)
