"""Add up pytest's JUnit XML reports into one closing line: 'total: N passed, N failed, N skipped'.

With --postgres-skipped the line also says that only SQLite ran, so a skipped run is never mistaken
for a full one.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

passed = failed = skipped = 0
arguments = sys.argv[1:]
postgres_skipped = "--postgres-skipped" in arguments
for name in [a for a in arguments if not a.startswith("--")]:
    path = Path(name)
    if not path.exists():
        continue
    for suite in ET.parse(path).getroot().iter("testsuite"):  # noqa: S314
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - bad - skip
        failed += bad
        skipped += skip
note = " (SQLite only: the PostgreSQL run was SKIPPED)" if postgres_skipped else ""
print(f"total: {passed} passed, {failed} failed, {skipped} skipped{note}")
sys.exit(1 if failed or passed == 0 else 0)
