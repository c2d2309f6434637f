"""Property tests (hypothesis): arbitrary Python values thrown at the conversion layer.

Targets: ``tvm_ffi.convert``, ``testing.echo``, ``testing.apply`` (callback direction) and the
typed ``testing.schema_id_*`` functions. Every example either round-trips exactly (same type
family, same value, floats bit for bit, containers element by element, dict sizes preserved)
or raises a clear Python exception (OverflowError, UnicodeEncodeError, RecursionError,
TypeError, ValueError) - never a crash, a hang or a silently different value. A sentinel
object inside the values must have the same refcount after each example (error paths too).

Each property runs in a child interpreter (``run_child``), so a crash fails one test with the
faulthandler traceback of the example. Sizes: ``TVM_FFI_FUZZ_EXAMPLES`` (default 200 per
property) and ``TVM_FFI_FUZZ_RANDOM=1`` for a random rather than the fixed CI seed.
The JSON and dtype parsers are also fuzzed with atheris by ``nox -s fuzz`` (ci/fuzz/).
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tvm_ffi
import tvm_ffi.testing

from hardening_util import DLPackProducer, describe, fuzz_examples, run_child

EXAMPLES = fuzz_examples(200)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=os.environ.get("TVM_FFI_FUZZ_RANDOM", "0") != "1",
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
COUNTS: dict[str, int] = {}
TRACE = os.environ.get("TVM_FFI_FUZZ_TRACE", "1") == "1"

fecho = tvm_ffi.get_global_func("testing.echo")
fapply = tvm_ffi.get_global_func("testing.apply")

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
CLEAR_ERRORS = (OverflowError, UnicodeEncodeError, RecursionError, TypeError, ValueError)


class _Sentinel:
    __slots__ = ()

    def __repr__(self):
        return "SENTINEL"


SENTINEL = _Sentinel()


def _count(name, example=None):
    COUNTS[name] = COUNTS.get(name, 0) + 1
    if TRACE:  # the last line before a crash names the example (child stderr)
        sys.stderr.write(f"EXAMPLE {name} {repr(example)[:300]}\n")
        sys.stderr.flush()


# ------------------------------------------------------------------------------------------
# Strategies
# ------------------------------------------------------------------------------------------
edge_ints = st.sampled_from(
    [
        0,
        1,
        -1,
        INT64_MAX,
        INT64_MIN,
        INT64_MAX + 1,
        INT64_MIN - 1,
        2**64,
        -(2**64),
        10**40,
        2**31,
        -(2**31) - 1,
    ]
)
ints = st.integers() | edge_ints
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [
        float("nan"),
        -float("nan"),
        float("inf"),
        -float("inf"),
        -0.0,
        5e-324,
        1.7976931348623157e308,
        struct.unpack("<d", struct.pack("<Q", 0x7FF0000000000ABC))[0],
    ]  # a NaN with a payload
)
# every code point, lone surrogates included (they cannot be encoded as UTF-8)
texts = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)
big_texts = st.integers(8, 5000).map(lambda n: "é✓" * n)
binaries = st.binary(max_size=64) | st.integers(8, 5000).map(lambda n: b"\xff\x00\xfe" * n)
scalars = (
    st.none() | st.booleans() | ints | floats | texts | big_texts | binaries | st.just(SENTINEL)
)
keys = st.none() | st.booleans() | ints | st.floats(allow_nan=False) | texts | binaries
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=6)
        | st.tuples(children, children)
        | st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)
containers = st.lists(values, max_size=6) | st.dictionaries(keys, values, max_size=5)


# ------------------------------------------------------------------------------------------
# What the round trip must give
# ------------------------------------------------------------------------------------------
def _bad_reasons(v, acc=None):
    """Exception classes that ``v`` legitimately triggers (empty set: must round-trip)."""
    acc = set() if acc is None else acc
    t = type(v)
    if t is int and not INT64_MIN <= v <= INT64_MAX:
        acc.add(OverflowError)
    elif t is str:
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            acc.add(UnicodeEncodeError)
    elif t in (list, tuple):
        for x in v:
            _bad_reasons(x, acc)
    elif t is dict:
        for k, x in v.items():
            _bad_reasons(k, acc)
            _bad_reasons(x, acc)
    return acc


def _same(v, r) -> bool:
    """``r`` (what came back through the FFI) is exactly ``v``."""
    t = type(v)
    if v is None or t is bool or v is SENTINEL:
        return r is v
    if t is int:
        return type(r) is int and r == v
    if t is float:
        return type(r) is float and struct.pack("<d", r) == struct.pack("<d", v)
    if t is str:
        return isinstance(r, str) and str(r) == v
    if t is bytes:
        return isinstance(r, bytes) and bytes(r) == v
    if t in (list, tuple):
        return (
            isinstance(r, tvm_ffi.Array)
            and len(r) == len(v)
            and all(_same(a, b) for a, b in zip(v, r))
        )
    if t is dict:
        if not isinstance(r, tvm_ffi.Map) or len(r) != len(v):
            return False  # a changed size means keys were merged or lost
        originals = {k: k for k in v}
        for rk, rv in r.items():
            if rk not in originals:
                return False
            ok = originals[rk]
            if not (_same(ok, rk) and _same(v[ok], rv)):
                return False
        return True
    raise AssertionError(f"unexpected type in strategy: {t}")


def _check_round_trip(name, fn, v):
    _count(name, v)
    bad = _bad_reasons(v)
    before = sys.getrefcount(SENTINEL)
    try:
        r = fn(v)
    except CLEAR_ERRORS as e:
        assert bad or isinstance(e, RecursionError), f"{name}({v!r}) raised {e!r}"
        assert any(isinstance(e, b) for b in bad) or isinstance(e, RecursionError), (
            f"{name}({v!r}) raised {e!r}, expected one of {bad}"
        )
        assert str(e), "exception without a message"
    else:
        assert not bad, f"{name}({v!r}) returned {r!r} but should raise one of {bad}"
        assert _same(v, r), f"{name}: {v!r} came back as {r!r}"
        del r
    assert sys.getrefcount(SENTINEL) == before, "the sentinel's refcount moved"


def _identity(x):
    return x


@SETTINGS
@given(values)
def prop_echo_round_trip(v):
    _check_round_trip("echo", fecho, v)


@SETTINGS
@given(values)
def prop_callback_round_trip(v):
    _check_round_trip("apply", lambda x: fapply(_identity, x), v)


@SETTINGS
@given(containers)
def prop_convert_round_trip(v):
    _check_round_trip("convert", tvm_ffi.convert, v)


@SETTINGS
@given(st.integers(1, 1200), st.sampled_from(["list", "tuple", "dict"]), scalars)
def prop_deep_nesting(depth, kind, leaf):
    """Nesting deeper than the converter's limit raises RecursionError, shallower round-trips."""
    _count("deep_nesting", (depth, kind, leaf))
    assume(not _bad_reasons(leaf))
    v = leaf
    for _ in range(depth):
        v = {"k": v} if kind == "dict" else ([v] if kind == "list" else (v,))
    try:
        r = fecho(v)
    except RecursionError as e:
        assert depth > 100 and "depth" in str(e), (depth, e)
        return
    for _ in range(depth):
        r = r["k"] if kind == "dict" else r[0]
    assert _same(leaf, r)


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 4))  # each example converts ~512 levels
@given(st.lists(values, min_size=1, max_size=5), st.data())
def prop_cyclic_containers(v, data):
    """A container that contains itself raises RecursionError (not a crash or a hang)."""
    _count("cyclic", v)
    holders = [v]  # every list inside v is a place to close the cycle
    stack = [v]
    while stack:
        x = stack.pop()
        for y in x.values() if isinstance(x, dict) else x:
            if isinstance(y, list):
                holders.append(y)
            if isinstance(y, (list, tuple, dict)):
                stack.append(y)
    data.draw(st.sampled_from(holders)).append(v)
    for fn in (fecho, tvm_ffi.convert):
        with pytest.raises((RecursionError, *CLEAR_ERRORS)):
            fn(v)


# ------------------------------------------------------------------------------------------
# Typed functions with wrong-typed arguments
# ------------------------------------------------------------------------------------------
def _as_int(v):
    return int(v) if type(v) in (int, bool) else None


TYPED = {
    # name: (accepts(v) -> expected value or raise KeyError, compare(expected, r))
    "testing.schema_id_int": lambda v: _as_int(v),
    "testing.schema_id_float": lambda v: float(v) if type(v) in (int, bool, float) else None,
    "testing.schema_id_bool": lambda v: bool(v) if type(v) in (int, bool) else None,
    "testing.schema_id_string": lambda v: v if type(v) is str else None,
    "testing.schema_id_bytes": lambda v: v if type(v) is bytes else None,
    "testing.schema_id_opt_int": lambda v: "none" if v is None else _as_int(v),
    # (bool converts to int, like for the plain int parameter)
    "testing.schema_id_variant_int_str": lambda v: (
        _as_int(v) if type(v) in (int, bool) else (v if type(v) is str else None)
    ),
    "testing.schema_id_arr_int": lambda v: (
        [int(x) for x in v]
        if type(v) in (list, tuple) and all(type(x) in (int, bool) for x in v)
        else None
    ),
    "testing.schema_id_map_str_int": lambda v: (
        {k: int(x) for k, x in v.items()}
        if type(v) is dict and all(type(k) is str and type(x) in (int, bool) for k, x in v.items())
        else None
    ),
}


def _typed_result_ok(expected, r):
    if expected == "none":
        return r is None
    if isinstance(expected, bool):
        return r is expected
    if isinstance(expected, float):
        return type(r) is float and (r == expected or (math.isnan(r) and math.isnan(expected)))
    if isinstance(expected, list):
        return isinstance(r, tvm_ffi.Array) and list(r) == expected
    if isinstance(expected, dict):
        return isinstance(r, tvm_ffi.Map) and dict(r.items()) == expected
    if isinstance(expected, int):
        return type(r) is int and r == expected
    if isinstance(expected, str):
        return isinstance(r, str) and r == expected
    return isinstance(r, bytes) and bytes(r) == expected


@SETTINGS
@given(st.sampled_from(sorted(TYPED)), values)
def prop_typed_functions(name, v):
    _count("typed", (name, v))
    f = tvm_ffi.get_global_func(name)
    expected = TYPED[name](v)
    try:
        r = f(v)
    except (TypeError, ValueError, OverflowError, RecursionError) as e:
        msg = str(e)
        assert msg
        if expected is not None and not _bad_reasons(v):
            raise AssertionError(f"{name}({v!r}) raised {e!r} but the value is valid") from e
        if isinstance(e, TypeError) and "Mismatched type" in msg:
            assert name in msg  # the message names the function
        return
    assert expected is not None, f"{name}({v!r}) accepted a wrong-typed value -> {r!r}"
    assert _typed_result_ok(expected, r), f"{name}({v!r}) -> {r!r}, expected {expected!r}"


# ------------------------------------------------------------------------------------------
# Objects whose DLPack protocol lies
# ------------------------------------------------------------------------------------------
dl_fields = st.fixed_dictionaries(
    {
        "shape": st.lists(
            st.integers(-3, 6) | st.sampled_from([2**62, -(2**63), 2**31]), max_size=5
        ),
        "ndim_lie": st.sampled_from([None, None, None, -1, -(2**31), 0, 1, 7, 64]),
        "dtype": st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 65535))
        | st.sampled_from([(2, 32, 1), (0, 8, 1), (1, 1, 1), (2, 16, 4)]),
        "strides": st.none() | st.lists(st.integers(-(2**40), 2**40), min_size=5, max_size=5),
        "null_data": st.booleans(),
        "null_shape": st.sampled_from([False, False, False, True]),
        "device": st.sampled_from([(1, 0), (1, 0), (2, 0), (1, -1), (0, 0), (999, 3), (-5, 0)]),
        "byte_offset": st.sampled_from([0, 0, 3, 2**63]),
        "versioned": st.booleans(),
        "version": st.sampled_from([(1, 0), (1, 1), (1, 99), (0, 8), (2, 0), (2**32 - 1, 0)]),
        "flags": st.sampled_from([0, 0, 1, 2, 4, 2**63]),
    }
)


def _declared(fields):
    """(ndim, shape) the consumer reads: the producer's arrays hold at least ndim entries."""
    shape = list(fields["shape"])
    ndim = len(shape) if fields["ndim_lie"] is None else fields["ndim_lie"]
    return ndim, tuple((shape + [1] * max(ndim - len(shape), 0))[: max(ndim, 0)])


def _expect_valid_tensor(fields):
    """True when the fields describe a tensor that a consumer can represent exactly."""
    ndim, shape = _declared(fields)
    if ndim < 0 or (fields["null_shape"] and ndim > 0):
        return False
    if any(s < 0 for s in shape):
        return False
    if fields["versioned"] and fields["version"][0] > 1:
        return False
    return True


@SETTINGS
@given(dl_fields, st.sampled_from(["from_dlpack", "echo", "capsule", "device_lies"]))
def prop_lying_dlpack(fields, path):
    _count("dlpack", (fields, path))
    producer = DLPackProducer()
    capsule = producer.make_capsule(
        fields["shape"],
        dtype=fields["dtype"],
        ndim=fields["ndim_lie"],
        strides=fields["strides"],
        null_data=fields["null_data"],
        null_shape=fields["null_shape"],
        device=fields["device"],
        byte_offset=fields["byte_offset"],
        versioned=fields["versioned"],
        version=fields["version"],
        flags=fields["flags"],
    )

    class Liar:
        def __dlpack__(self, *args, **kwargs):
            return capsule

        def __dlpack_device__(self):
            return (1, 0) if path != "device_lies" else (2, 7)

    try:
        if path == "capsule":
            t = tvm_ffi.from_dlpack(capsule)
        elif path == "from_dlpack":
            t = tvm_ffi.from_dlpack(Liar())
        else:
            t = fecho(Liar())
    except (TypeError, ValueError, RuntimeError, BufferError, OverflowError) as e:
        assert str(e)  # rejecting is always allowed (e.g. unsupported flags), silently
        return  # accepting a lie is not
    # accepted: what Python sees must be what the producer declared
    assert _expect_valid_tensor(fields), f"accepted an invalid tensor: {fields}"
    assert isinstance(t, tvm_ffi.Tensor)
    ndim, shape = _declared(fields)
    assert t.shape == shape
    assert t.ndim == ndim
    assert len(t.strides) == t.ndim
    assert t.__dlpack_device__() == tuple(fields["device"])
    repr(t.device)  # never raises, whatever the device type
    try:
        repr(t.dtype)
    except ValueError as e:  # a type code outside DLPack's table (or an unregistered custom
        assert str(e)  # type): a clear error when the dtype is read
    del t
    assert producer.double_deletes == 0


# ------------------------------------------------------------------------------------------
# The JSON and dtype parsers (structured inputs; ci/fuzz/ mutates raw bytes with atheris)
# ------------------------------------------------------------------------------------------
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(INT64_MIN, INT64_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=8), children, max_size=5
        )
    ),
    max_leaves=30,
)


def _json_same(py, ours):
    if isinstance(py, bool) or py is None:
        return ours is py
    if isinstance(py, int):
        return type(ours) is int and ours == py
    if isinstance(py, float):
        return type(ours) is float and struct.pack("<d", ours) == struct.pack("<d", py)
    if isinstance(py, str):
        return isinstance(ours, str) and str(ours) == py
    if isinstance(py, list):
        return (
            isinstance(ours, tvm_ffi.Array)
            and len(ours) == len(py)
            and all(_json_same(a, b) for a, b in zip(py, ours))
        )
    return (
        isinstance(ours, tvm_ffi.Map)
        and len(ours) == len(py)
        and all(k in ours and _json_same(v, ours[k]) for k, v in py.items())
    )


@SETTINGS
@given(json_values, st.sampled_from([None, 0, 1, 4]), st.booleans(), st.data())
def prop_json_parse_and_stringify(v, indent, ascii_only, data):
    """json.dumps text parses to exactly the value; Stringify's text is read back by json."""
    _count("json", v)
    parse = tvm_ffi.get_global_func("ffi.json.Parse")
    stringify = tvm_ffi.get_global_func("ffi.json.Stringify")
    text = json.dumps(v, indent=indent, ensure_ascii=ascii_only)
    ours = parse(text)
    assert _json_same(v, ours), (text, ours)
    out = stringify(ours, data.draw(st.sampled_from([None, 0, 2])))
    assert json.loads(out) == v or _json_same(json.loads(out), ours), out
    # a random cut or byte flip of valid text: rejected with ValueError or still equal to
    # what Python reads
    cut = data.draw(st.integers(0, len(text)))
    mutated = text[:cut] + data.draw(st.sampled_from(["", "]", "}", ",", "\\", '"', "\x00", "e"]))
    try:
        expected = json.loads(mutated)
    except ValueError:
        expected = ValueError
    try:
        got = parse(mutated)
    except ValueError as e:
        assert str(e)
        assert expected is ValueError, f"rejected valid JSON {mutated!r}: {e}"
        # same words and position as Python (3.13 words trailing commas differently)
        if sys.version_info < (3, 13):
            with pytest.raises(json.JSONDecodeError) as py_err:
                json.loads(mutated)
            assert str(e) == str(py_err.value)
    else:
        assert expected is not ValueError, f"accepted invalid JSON {mutated!r} -> {got!r}"
        # the one documented difference: a lone surrogate escape ("\ud800") is kept in its
        # 3-byte UTF-8 form, which reads back into Python differently
        if UnicodeEncodeError not in _bad_reasons(expected):
            assert _json_same(expected, got)


dtype_texts = st.builds(
    lambda base, bits, lanes, junk: base + bits + lanes + junk,
    st.sampled_from(
        [
            "int",
            "uint",
            "float",
            "bfloat",
            "handle",
            "bool",
            "void",
            "",
            "float8_e4m3fn",
            "float4_e2m1fn",
            "float6_e3m2fn",
            "Int",
            "float8_",
            "custom[",
        ]
    ),
    st.sampled_from(["", "0", "1", "8", "16", "32", "64", "255", "256", "08", "99999999999"]),
    st.sampled_from(
        [
            "",
            "x",
            "x0",
            "x1",
            "x4",
            "x32767",
            "x32768",
            "x65536",
            "xvscalex4",
            "xvscalex32769",
            "x-1",
        ]
    ),
    st.sampled_from(["", "", "", " ", "_", "x", "]", "\x00", "é"]),
) | st.text(max_size=12)


@SETTINGS
@given(dtype_texts)
def prop_dtype_parse(text):
    """A dtype string parses (and its C++ spelling parses back alike) or raises ValueError."""
    _count("dtype", text)
    try:
        d = tvm_ffi.dtype(text)
    except ValueError as e:
        assert str(e)
        return
    except UnicodeEncodeError:
        return
    fields = (d.type_code, d.bits, d.lanes & 0xFFFF)
    m = re.match(r"^(u?int|float|bfloat)(\d+)(?:x(\d+))?$", text)
    if m:
        if int(m.group(2)) != 0:
            assert fields[1] == int(m.group(2)), (text, fields)  # never wrapped around
        if m.group(3):
            assert fields[2] == int(m.group(3)), (text, fields)
    if fields[2] in (0, 0xFFFF) or fields[0] == 3:
        return  # documented quirks with no canonical spelling (see ci/fuzz/fuzz_dtype.py)
    canonical = str(fecho(d))
    again = tvm_ffi.dtype(canonical)
    assert (again.type_code, again.bits, again.lanes & 0xFFFF) == fields, (text, canonical)


def prop_huge_strings():
    """Strings and bytes of 64 MiB round-trip exactly (no truncation at 2**31 boundaries)."""
    _count("huge")
    s = "✓" * (1 << 24)  # 48 MiB of UTF-8
    r = fecho(s)
    assert len(r) == len(s) and r == s
    b = bytes(range(256)) * (1 << 18)  # 64 MiB, not UTF-8
    rb = fecho(b)
    assert len(rb) == len(b) and rb == b


# ------------------------------------------------------------------------------------------
# pytest entry points: each property runs in its own child interpreter
# ------------------------------------------------------------------------------------------
PROPS = [
    "prop_echo_round_trip",
    "prop_callback_round_trip",
    "prop_convert_round_trip",
    "prop_deep_nesting",
    "prop_cyclic_containers",
    "prop_typed_functions",
    "prop_lying_dlpack",
    "prop_json_parse_and_stringify",
    "prop_dtype_parse",
    "prop_huge_strings",
]


@pytest.mark.parametrize("prop", PROPS)
def test_fuzz_property(prop):
    proc = run_child(
        f"""
        import test_hardening_fuzz as m
        m.{prop}()
        print("CASES", " ".join(f"{{k}}={{v}}" for k, v in m.COUNTS.items()))
        """,
        timeout=max(900, EXAMPLES),  # about 0.1 s per example on a loaded 2-core machine
    )
    assert proc.returncode == 0, describe(proc)
    cases = [ln for ln in proc.stdout.splitlines() if ln.startswith("CASES")]
    assert cases, describe(proc)
    print(prop, cases[-1])
