import re
from pathlib import Path

from django.conf import settings

from fuwu.core.audit_labels import ACTION_LABELS


def test_every_audited_action_has_a_human_label():
    """Timelines show labels, not codes: every action code written by the code base is labelled."""
    codes = set()
    for path in Path(settings.BASE_DIR, "fuwu").rglob("*.py"):
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert codes, "the scan found no action codes"
    assert sorted(codes - set(ACTION_LABELS)) == []
