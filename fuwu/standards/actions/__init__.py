"""Every change to the standards domain (R3.2, R10): one module per concept.

Import actions from their module: `fuwu.standards.actions.calendars`, `.commitments`, `.sla`.
"""
