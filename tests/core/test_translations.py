"""Every user-facing string is translatable and translated into Simplified Chinese."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_catalogue_entry_is_translated():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogue lacks."""
    base = Path(settings.BASE_DIR)
    for name in ("config", "fuwu", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=tmp_path, check=True, env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    new = sorted(e.msgid for e in fresh if not e.obsolete and not e.translated())
    assert new == [], "run makemessages -l zh_Hans and translate the new strings"
