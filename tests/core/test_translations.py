"""Every user-facing string is translatable and translated into Simplified Chinese."""

import os
import re
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


def test_chinese_text_uses_full_width_punctuation():
    """Issue 15: no ASCII comma, colon, semicolon, ! or ? beside Chinese characters in the catalogue."""
    cjk = r"[\u4e00-\u9fff\u3001-\u303f\uff01-\uff5e]"
    ascii_punctuation = re.compile(rf"{cjk}[,:;!?]|[,:;!?](?={cjk})")
    po = polib.pofile(str(CATALOGUE))
    found = [e.msgstr or next(iter(e.msgstr_plural.values()), "") for e in po if not e.obsolete]
    assert [s for s in found if ascii_punctuation.search(s)] == []


def test_a_list_in_a_sentence_is_separated_as_the_language_does():
    from django.utils import translation

    from fuwu.core.templatetags.fuwu import join_list

    with translation.override("zh-hans"):
        assert join_list(["联系电话", "现场地址"]) == "联系电话、现场地址"
    with translation.override("en"):
        assert join_list(["phone", "address"]) == "phone, address"
