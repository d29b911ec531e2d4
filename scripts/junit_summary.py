"""Add up pytest's JUnit XML reports into one closing line: 'total: N passed, N failed, N skipped'."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

passed = failed = skipped = 0
for name in sys.argv[1:]:
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
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
