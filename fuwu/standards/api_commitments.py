"""API of the standards domain: commitments."""

from ninja import Router

router = Router()
