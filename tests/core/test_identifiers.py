"""居民身份证号 (GB 11643, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100): legal-rules §11."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from core.identifiers import (
    age_on,
    birth_date,
    is_minor,
    make_credit_code,
    make_resident_id,
    mask_identifier,
    mask_name,
    normalize_credit_code,
    normalize_resident_id,
    sex,
)

# The standard's own worked examples (legal-rules §11: the check character is right for all three).
STANDARD_IDS = ["11010519491231002X", "34052419800101001X", "370101190102039973"]

LENGTH = "A resident ID number has 18 characters."
FORMAT = "A resident ID number is 17 digits followed by a digit or X."
CHECKSUM = "The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."
COMPONENT = "The birth date or region code inside this resident ID number does not exist."
IMPOSSIBLE_BIRTH = "The birth date inside this resident ID number is impossible."
USCC_LENGTH = "A unified social credit code has 18 characters."
USCC_FORMAT = "A unified social credit code uses digits and the letters of GB 32100 (no I, O, S, V, Z)."
USCC_CHECKSUM = "The check character of this unified social credit code is wrong (GB 32100)."


def refusal(func, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        func(value)
    return caught.value


@pytest.mark.parametrize("number", STANDARD_IDS)
def test_the_standards_example_ids_are_valid(number):
    assert normalize_resident_id(number) == number


def test_a_lower_case_x_and_surrounding_spaces_are_normalised():
    assert normalize_resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "wrong_last"),
    [("11010519491231002X", "0"), ("34052419800101001X", "1"), ("370101190102039973", "4")],
)
def test_an_id_with_a_changed_check_digit_is_refused(number, wrong_last):
    error = refusal(normalize_resident_id, number[:-1] + wrong_last)
    assert error.messages == [CHECKSUM]
    assert error.code == "resident_id_checksum"


def test_an_id_with_an_x_where_a_digit_belongs_is_refused_by_its_check_digit():
    error = refusal(normalize_resident_id, "37010119010203997X")
    assert error.code == "resident_id_checksum"


@pytest.mark.parametrize("number", ["11010519491231002", "11010519491231002X0", "", "110105491231002"])
def test_an_id_of_the_wrong_length_is_refused(number):
    error = refusal(normalize_resident_id, number)
    assert error.messages == [LENGTH]
    assert error.code == "resident_id_length"


@pytest.mark.parametrize("number", ["A1010519491231002X", "1101051949123100AX", "11010519491231O02X"])
def test_an_id_with_letters_among_the_digits_is_refused(number):
    error = refusal(normalize_resident_id, number)
    assert error.messages == [FORMAT]
    assert error.code == "resident_id_format"


def test_an_id_born_on_the_thirtieth_of_february_is_refused():
    number = "110105194902300020"  # its check digit is right, so only the date is wrong
    assert ric.calc_check_digit(number) == number[-1]
    error = refusal(normalize_resident_id, number)
    assert error.messages == [COMPONENT]
    assert error.code == "resident_id_component"


@pytest.mark.parametrize("region", ["990105", "000000", "200105", "830000"])
def test_an_id_from_an_unknown_region_is_refused(region):
    number = make_resident_id(region, dt.date(1980, 1, 1), 1)
    error = refusal(normalize_resident_id, number)
    assert error.messages == [COMPONENT]
    assert error.code == "resident_id_component"


def test_an_id_born_in_the_future_is_refused():
    number = make_resident_id("110105", dt.date.today() + dt.timedelta(days=1), 1)
    error = refusal(normalize_resident_id, number)
    assert error.messages == [IMPOSSIBLE_BIRTH]
    assert error.code == "resident_id_birth_date"


def test_an_id_born_before_1900_is_refused():
    error = refusal(normalize_resident_id, make_resident_id("110105", dt.date(1899, 12, 31), 1))
    assert error.code == "resident_id_birth_date"


def test_a_county_code_withdrawn_before_the_birth_year_still_validates():
    """The address code is the residence when the card was issued, not the birthplace at birth: 110103
    (崇文区) was merged away in 2010, yet a person registered there before then keeps the number."""
    assert normalize_resident_id(make_resident_id("110103", dt.date(2012, 5, 1), 1))


def test_birth_date_is_read_from_the_id():
    assert birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert birth_date("370101190102039973") == dt.date(1901, 2, 3)


def test_sex_is_male_when_the_seventeenth_digit_is_odd_and_female_when_even():
    assert sex("370101190102039973") == "M"  # 17th digit 7
    assert sex("11010519491231002X") == "F"  # 17th digit 2
    assert sex("34052419800101001X") == "M"  # 17th digit 1


def test_is_minor_the_day_before_the_eighteenth_birthday_and_adult_on_it():
    number = make_resident_id("110105", dt.date(2008, 6, 15), 3)
    assert is_minor(number, on=dt.date(2026, 6, 14)) is True
    assert is_minor(number, on=dt.date(2026, 6, 15)) is False
    assert age_on(number, dt.date(2026, 6, 14)) == 17
    assert age_on(number, dt.date(2026, 6, 15)) == 18


def test_someone_born_on_the_twenty_ninth_of_february_comes_of_age_on_the_first_of_march():
    number = make_resident_id("110105", dt.date(2008, 2, 29), 3)
    assert is_minor(number, on=dt.date(2026, 2, 28)) is True
    assert is_minor(number, on=dt.date(2026, 3, 1)) is False


def test_is_minor_defaults_to_today():
    today = dt.date.today()
    assert is_minor(make_resident_id("110105", today.replace(year=today.year - 10), 1)) is True
    assert is_minor(make_resident_id("110105", dt.date(1980, 1, 1), 1)) is False


def test_make_resident_id_builds_ids_that_validate():
    number = make_resident_id("440703", dt.date(1990, 7, 1), 123)
    assert normalize_resident_id(number) == number
    assert number.startswith("44070319900701123")


def test_the_standards_credit_code_is_valid():
    assert normalize_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_the_standards_credit_code_with_the_wrong_check_character_z_is_refused():
    # legal-rules §11.2: the weighted sum is 1640, the check character 3; Z is not even in the alphabet.
    error = refusal(normalize_credit_code, "91350100M000100Y4Z")
    assert error.messages == [USCC_FORMAT]


@pytest.mark.parametrize("last", ["0", "4", "Y", "A"])
def test_a_credit_code_with_an_allowed_but_wrong_check_character_is_refused(last):
    error = refusal(normalize_credit_code, "91350100M000100Y4" + last)
    assert error.messages == [USCC_CHECKSUM]
    assert error.code == "credit_code_checksum"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_a_credit_code_with_a_letter_gb_32100_does_not_use_is_refused(letter):
    error = refusal(normalize_credit_code, f"91350100M000100{letter}43")
    assert error.messages == [USCC_FORMAT]
    assert error.code == "credit_code_format"


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", "", "9135"])
def test_a_credit_code_of_the_wrong_length_is_refused(code):
    error = refusal(normalize_credit_code, code)
    assert error.messages == [USCC_LENGTH]
    assert error.code == "credit_code_length"


def test_make_credit_code_builds_codes_that_validate():
    code = make_credit_code("91", "110105", "MA0000001")
    assert normalize_credit_code(code) == code
    assert make_credit_code("91", "350100", "M000100Y4") == "91350100M000100Y43"


def test_masking_an_id_hides_the_whole_birth_date():
    masked = mask_identifier("11010519491231002X")
    assert masked == "110105********002X"
    assert "19491231" not in masked and "1949" not in masked
    assert len(masked) == 18


def test_masking_short_or_empty_values_hides_everything():
    assert mask_identifier("") == ""
    assert mask_identifier("12345678") == "********"


def test_masking_a_name_keeps_only_the_surname():
    assert mask_name("张三丰") == "张**"
    assert mask_name("") == ""
