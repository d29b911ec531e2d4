"""Chinese phone numbers, ID card numbers and credit codes: parse, validate, mask (R2.1, R2.2).

Pure functions, no Django import, so they are cheap to test exhaustively.
"""

import re
import unicodedata

# re.ASCII: \d is 0-9 only, so no other script's digits pass as a phone or ID number.
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# Area codes 010 and 02x have three digits; every other (0[3-9]xx) has four.
_LANDLINE = re.compile(r"^(0(?:10|2\d)|0[3-9]\d{2})(\d{7,8})$", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalise_phone(raw: str) -> str | None:
    """The canonical form of a mainland mobile (13800138000) or landline (010-12345678), or None."""
    # NFKC turns full-width digits and signs typed with a Chinese IME (１３８, ＋８６) into ASCII.
    raw = unicodedata.normalize("NFKC", raw or "")
    digits = _SEPARATORS.sub("", raw)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    else:
        if len(digits) == 13 and digits.startswith("86") and _MOBILE.match(digits[2:]):
            digits = digits[2:]
    if not digits.isascii() or not digits.isdigit():
        return None
    if _MOBILE.match(digits):
        return digits
    landline = _LANDLINE.match(digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    # A landline given without its leading 0 after +86 (e.g. +86 10 12345678).
    landline = _LANDLINE.match("0" + digits)
    if landline and raw.strip().startswith(("+86", "0086")):
        return f"{landline.group(1)}-{landline.group(2)}"
    return None


def mask_phone(phone: str) -> str:
    """138****8000 for mobiles, 010-****5678 for landlines."""
    if not phone:
        return ""
    if "-" in phone:
        area, number = phone.split("-", 1)
        return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_identity(number: str) -> str:
    """Keep the first 3 and last 2 characters: 110**************1X."""
    if not number:
        return ""
    if len(number) <= 5:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 5)}{number[-2:]}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_valid_resident_id(number: str) -> bool:
    """A 18-character resident identity card number (GB 11643) with a correct check character."""
    number = (number or "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", number, re.ASCII):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_valid_credit_code(code: str) -> bool:
    """A unified social credit code (GB 32100) with a correct check character."""
    code = (code or "").upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]
