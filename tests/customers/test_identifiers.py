"""Phone numbers, resident IDs and credit codes (R2.1 canonical forms, R2.2 masking)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuwu.customers.identifiers import (
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    mask_identity,
    mask_phone,
    normalise_phone,
    resident_id_check_char,
)

pytestmark = pytest.mark.django_db

# A real-format resident ID (GB 11643 example) and a well-formed credit code.
RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("0086-138-0013-8000", "13800138000"),
        ("8613800138000", "13800138000"),
        (" 19912345678 ", "19912345678"),
    ],
)
def test_mobiles_in_any_format_normalise_to_eleven_digits(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010) 1234 5678", "010-12345678"),
        ("021-87654321", "021-87654321"),
        ("02187654321", "021-87654321"),
        ("0755-12345678", "0755-12345678"),
        ("075512345678", "0755-12345678"),
        ("0755-1234567", "0755-1234567"),
        ("0571-88886666", "0571-88886666"),
        ("057188886666", "0571-88886666"),
        ("+86 10 12345678", "010-12345678"),
        ("+86 755 12345678", "0755-12345678"),
        ("0086 21 87654321", "021-87654321"),
    ],
)
def test_landlines_keep_their_area_code_with_a_dash(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "12345",
        "12800138000",  # no mobile prefix 12x
        "1380013800",  # ten digits
        "138001380001",  # twelve digits
        "12345678",  # a local number without its area code
        "011-12345678",  # no such area code
        "0755-123456",  # too short
        "010-123456789",  # too long
        "13800138000x",
        "电话13800138000",
        "+1 415 555 0100",
        "10 12345678",  # a landline without the 0 is only accepted after +86
    ],
)
def test_invalid_numbers_are_refused(raw):
    assert normalise_phone(raw) is None


def test_full_width_digits_typed_with_a_chinese_ime_become_ascii():
    # R2.3: the caller's number is looked up by its canonical form, so it must be plain ASCII.
    assert normalise_phone("１３８００１３８０００") == "13800138000"
    assert normalise_phone("０１０－１２３４５６７８") == "010-12345678"
    assert normalise_phone("＋８６ １３８００１３８０００") == "13800138000"


def test_other_unicode_digits_are_not_phone_numbers():
    assert normalise_phone("١٣٨٠٠١٣٨٠٠٠") is None  # Arabic-Indic digits


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800138000", "138****8000"),
        ("010-12345678", "010-****5678"),
        ("0755-1234567", "0755-***4567"),
        ("", ""),
        ("12345", "*****"),
    ],
)
def test_phone_masking_keeps_prefix_and_last_four(phone, masked):
    assert mask_phone(phone) == masked


def test_identity_masking_keeps_first_three_and_last_two():
    assert mask_identity(RESIDENT_ID) == "110" + "*" * 13 + "2X"
    assert mask_identity(CREDIT_CODE) == "913" + "*" * 13 + "43"
    assert mask_identity("") == ""
    assert mask_identity("1234") == "****"


def test_known_numbers_validate_and_lowercase_x_is_accepted():
    assert is_valid_resident_id(RESIDENT_ID)
    assert is_valid_resident_id(RESIDENT_ID.lower())
    assert is_valid_credit_code(CREDIT_CODE)
    assert is_valid_credit_code(CREDIT_CODE.lower())


@pytest.mark.parametrize(
    "number",
    ["", "11010519491231002", "110105194912310021", "11010519491231002Y", "1101051949123100 X", "A1010519491231002X"],
)
def test_malformed_resident_ids_are_refused(number):
    assert not is_valid_resident_id(number)


@pytest.mark.parametrize(
    "code",
    ["", "91350100M000100Y4", "91350100M000100Y44", "91350100M000100I43", "91350100M000100Z43", "91350100M000100Y4S"],
)
def test_malformed_credit_codes_are_refused(code):
    assert not is_valid_credit_code(code)


def test_full_width_resident_id_is_refused():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in RESIDENT_ID)
    assert not is_valid_resident_id(full_width)


_digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_uscc17 = st.text(alphabet=_USCC, min_size=17, max_size=17)


@given(_digits17)
def test_any_prefix_with_its_check_char_is_a_valid_resident_id(prefix):
    assert is_valid_resident_id(prefix + resident_id_check_char(prefix))


@given(_digits17, st.integers(0, 16), st.integers(1, 9))
def test_changing_one_digit_invalidates_a_resident_id(prefix, position, delta):
    number = prefix + resident_id_check_char(prefix)
    changed = str((int(number[position]) + delta) % 10)
    tampered = number[:position] + changed + number[position + 1 :]
    assert not is_valid_resident_id(tampered)


@given(_digits17)
def test_a_wrong_check_char_invalidates_a_resident_id(prefix):
    right = resident_id_check_char(prefix)
    for wrong in "0123456789X":
        if wrong != right:
            assert not is_valid_resident_id(prefix + wrong)


@given(_uscc17)
def test_any_prefix_with_its_check_char_is_a_valid_credit_code(prefix):
    assert is_valid_credit_code(prefix + credit_code_check_char(prefix))


@given(_uscc17, st.integers(0, 16), st.integers(1, 30))
def test_changing_one_character_invalidates_a_credit_code(prefix, position, delta):
    code = prefix + credit_code_check_char(prefix)
    changed = _USCC[(_USCC.index(code[position]) + delta) % 31]
    tampered = code[:position] + changed + code[position + 1 :]
    assert not is_valid_credit_code(tampered)
