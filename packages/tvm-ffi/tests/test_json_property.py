"""The runtime's JSON parser and writer (``ffi.json.Parse`` / ``ffi.json.Stringify``).

Property tests (hypothesis) check round trips against Python's own ``json`` module; a table of
malformed documents checks that each one is rejected with a ``ValueError`` naming the problem
and its position.
"""

import json
import math
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tvm_ffi

parse = tvm_ffi.get_global_func("ffi.json.Parse")
stringify = tvm_ffi.get_global_func("ffi.json.Stringify")

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
JSON_LEAVES = st.none() | st.booleans() | INT64 | FINITE | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)
SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def to_py(value):
    """FFI JSON value (Array/Map/...) -> plain Python, keeping the order of object keys."""
    if isinstance(value, tvm_ffi.Array):
        return [to_py(v) for v in value]
    if isinstance(value, tvm_ffi.Map):
        return {k: to_py(v) for k, v in value.items()}
    if isinstance(value, str):
        return str(value)
    return value


def same(a, b):
    """Equality that also requires the same JSON kinds (1 != 1.0 != True) and key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


@SETTINGS
@given(JSON_VALUES)
def test_stringify_then_parse_round_trips(value):
    text = stringify(value, None)
    assert isinstance(text, str)
    # the output is valid JSON for Python as well, with the same content
    assert same(json.loads(text), value)
    assert same(to_py(parse(text)), value)


@SETTINGS
@given(JSON_VALUES, st.sampled_from([None, 0, 1, 2, 4]))
def test_indentation_keeps_content(value, indent):
    text = stringify(value, indent)
    assert same(json.loads(text), value)
    if indent in (None, 0):
        assert "\n" not in text
    elif isinstance(value, (list, dict)) and value:
        assert "\n" + " " * indent in text


@SETTINGS
@given(JSON_VALUES, st.booleans(), st.sampled_from([None, 2]))
def test_parse_reads_python_json_output(value, ensure_ascii, indent):
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)
    assert same(to_py(parse(text)), value)


@SETTINGS
@given(st.text())
def test_strings_with_any_characters(s):
    text = stringify(s, None)
    assert json.loads(text) == s
    assert parse(text) == s
    assert parse(json.dumps(s)) == s


def test_kinds_are_preserved():
    assert stringify(1.0, None) != stringify(1, None)
    assert type(parse(stringify(1.0, None))) is float
    assert type(parse("1")) is int
    assert parse("true") is True and parse("false") is False and parse("null") is None
    assert parse("-0.0") == 0.0 and math.copysign(1.0, parse("-0.0")) == -1.0
    assert parse(' \t\r\n[ 1 , {"a" : [ ] } ]\n ') is not None


def test_object_key_order_and_duplicates():
    m = parse('{"b": 1, "a": 2, "c": 3}')
    assert list(m.keys()) == ["b", "a", "c"]
    assert stringify(m, None) == '{"b":1,"a":2,"c":3}'
    assert to_py(parse('{"a": 1, "a": 2}')) == {"a": 2}


def test_numbers_beyond_int64_and_huge_exponents_do_not_crash():
    assert parse(str(2**63 - 1)) == 2**63 - 1
    assert parse(str(-(2**63))) == -(2**63)
    big = parse(str(2**63))
    assert isinstance(big, float) and big == float(2**63)
    assert isinstance(parse("9" * 400), float)
    assert parse("1e99999") == math.inf
    assert parse("-1e99999") == -math.inf
    assert parse("1e-99999") == 0.0
    assert parse("0." + "0" * 5000 + "1") >= 0.0


def test_deep_nesting_is_an_error_not_a_crash():
    value = parse("[" * 500 + "]" * 500)
    depth = 0
    while len(value) == 1:
        value = value[0]
        depth += 1
    assert depth == 499 and len(value) == 0
    for doc in ("[" * 100000, "[" * 100000 + "]" * 100000, '{"a":' * 100000):
        with pytest.raises(ValueError, match="nesting depth"):
            parse(doc)


def test_stringify_errors():
    for bad in (math.nan, math.inf, -math.inf, [1, math.nan]):
        with pytest.raises(ValueError):
            stringify(bad, None)
    with pytest.raises((TypeError, ValueError)):
        stringify(tvm_ffi.testing.TestIntPair(1, 2), None)
    with pytest.raises((TypeError, ValueError)):
        stringify({1: "integer keys are not JSON"}, None)
    with pytest.raises(TypeError):
        parse(5)


# Each malformed document with the exact text of the ValueError: Python's json.JSONDecodeError
# wording and position (as of Python 3.11/3.12; 3.13 words trailing commas differently).
MALFORMED = [
    ("", "Expecting value: line 1 column 1 (char 0)"),
    ("   ", "Expecting value: line 1 column 4 (char 3)"),
    ("[1,", "Expecting value: line 1 column 4 (char 3)"),
    ("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"),
    ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
    ("{,}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ('{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"),
    ('{"a":1,}', "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
    ('{"a":1 "b":2}', "Expecting ',' delimiter: line 1 column 8 (char 7)"),
    ("{1:2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("tru", "Expecting value: line 1 column 1 (char 0)"),
    ("nul", "Expecting value: line 1 column 1 (char 0)"),
    ("falsy", "Expecting value: line 1 column 1 (char 0)"),
    ("nan", "Expecting value: line 1 column 1 (char 0)"),
    ("-Inf", "Expecting value: line 1 column 1 (char 0)"),
    ("01", "Extra data: line 1 column 2 (char 1)"),
    ("1.", "Extra data: line 1 column 2 (char 1)"),
    ("-", "Expecting value: line 1 column 1 (char 0)"),
    ("1e", "Extra data: line 1 column 2 (char 1)"),
    ("+1", "Expecting value: line 1 column 1 (char 0)"),
    (".5", "Expecting value: line 1 column 1 (char 0)"),
    ('"abc', "Unterminated string starting at: line 1 column 1 (char 0)"),
    ('"\\x"', "Invalid \\escape: line 1 column 2 (char 1)"),
    ('"\\u12G4"', "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
    ('"\\ud800\\u12"', "Invalid \\uXXXX escape: line 1 column 9 (char 8)"),
    ('"a\nb"', "Invalid control character at: line 1 column 3 (char 2)"),
    ("[1] 2", "Extra data: line 1 column 5 (char 4)"),
    ("{}}", "Extra data: line 1 column 3 (char 2)"),
    ("'single'", "Expecting value: line 1 column 1 (char 0)"),
    ("[\x00]", "Expecting value: line 1 column 2 (char 1)"),
    ('["\u00e9", \u00fc]', "Expecting value: line 1 column 7 (char 6)"),  # chars, not bytes
    ("\ufeff[]", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"),
]


@pytest.mark.parametrize("doc, expected", MALFORMED)
def test_malformed_documents_are_rejected_as_python_words_it(doc, expected):
    with pytest.raises(ValueError) as info:
        parse(doc)
    assert str(info.value) == expected
    if sys.version_info < (3, 13) or "," not in doc:
        with pytest.raises(json.JSONDecodeError) as py_info:
            json.loads(doc)
        assert str(py_info.value) == expected


@pytest.mark.parametrize(
    "doc", ["NaN", "Infinity", "-Infinity", "[NaN, -Infinity]", '{"a": Infinity}']
)
def test_non_finite_constants_parse_as_python_does(doc):
    ours = to_py(parse(doc))
    expected = json.loads(doc)
    assert repr(ours) == repr(expected)


def test_error_position_counts_lines():
    with pytest.raises(ValueError, match=r"line 3 column 5 \(char 12\)"):
        parse("[1,\n 2,\n    x]")
