"""Demo data of the standards domain, written through the actions (`manage.py seed_demo`).

One module per concept: `calendars`, `commitments`, `sla`.
"""
