"""Reads of the standards domain (R3.2, R10), scoped to the viewer: one module per concept.

Import selectors from their module: `fuwu.standards.selectors.calendars`, `.commitments`.
"""
