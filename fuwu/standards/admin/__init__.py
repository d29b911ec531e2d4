"""Admin of the standards domain: one module per concept, each registering its models.

Every save goes through an action (`fuwu.standards.actions`), or the model is read-only here.
"""

from fuwu.standards.admin import calendars, catalogue, commitments, sla  # noqa: F401 (they register models)
