"""API of the standards domain: calendars."""

from ninja import Router

router = Router()
