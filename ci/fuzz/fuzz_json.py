"""atheris target: the JSON parser and writer (`ffi.json.Parse` / `ffi.json.Stringify`).

Checked for every input (text decoded from the fuzzer's bytes):
  * Parse either returns or raises ValueError with a message - nothing else, never a crash;
  * differential against Python's `json` module (NaN, Infinity and -Infinity accepted, as
    Python does): Python accepts <=> we accept, and the values are equal, with the documented
    differences (integers outside int64 come back as float; a lone-surrogate escape such as
    "\\ud800" is kept as its 3-byte UTF-8 form, which Python reads back differently);
  * when both reject, the error text is Python's, word for word with the same line, column
    and char position (Python < 3.13; 3.13 words trailing commas differently);
  * Stringify(Parse(text)) parses back to the same value (compact and indented forms).

Run: python ci/fuzz/fuzz_json.py [libFuzzer flags, e.g. -max_total_time=60 ci/fuzz/corpus/json]
"""

import json
import math
import sys

import atheris

with atheris.instrument_imports():
    import tvm_ffi

parse = tvm_ffi.get_global_func("ffi.json.Parse")
stringify = tvm_ffi.get_global_func("ffi.json.Stringify")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Mismatch(AssertionError):
    pass


REJECTED = object()
EXACT_MESSAGES = sys.version_info < (3, 13)


def py_parse(text):
    """Python's reading, or REJECTED with its error text (None for too deep a nesting)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return REJECTED, str(e)
    except (ValueError, RecursionError):
        return REJECTED, None


def has_lone_surrogate(v):
    if isinstance(v, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    if isinstance(v, list):
        return any(has_lone_surrogate(x) for x in v)
    if isinstance(v, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(x) for k, x in v.items())
    return False


def depth(v):
    if isinstance(v, list):
        return 1 + max((depth(x) for x in v), default=0)
    if isinstance(v, dict):
        return 1 + max((depth(x) for x in v.values()), default=0)
    return 0


def same(py, ours):
    """`ours` (FFI values) equals Python's reading `py`."""
    if py is None or isinstance(py, bool):
        return ours is py
    if isinstance(py, int):
        if INT64_MIN <= py <= INT64_MAX:
            return type(ours) is int and ours == py
        try:
            expected = float(py)
        except OverflowError:
            expected = math.copysign(math.inf, py)
        return type(ours) is float and ours == expected
    if isinstance(py, float):
        return type(ours) is float and (ours == py or (math.isnan(ours) and math.isnan(py)))
    if isinstance(py, str):
        return isinstance(ours, str) and str(ours) == py
    if isinstance(py, list):
        return (
            isinstance(ours, tvm_ffi.Array)
            and len(ours) == len(py)
            and all(same(a, b) for a, b in zip(py, ours))
        )
    if isinstance(py, dict):
        if not isinstance(ours, tvm_ffi.Map) or len(ours) != len(py):
            return False
        return all(k in ours and same(v, ours[k]) for k, v in py.items())
    return False


def same_ffi(a, b):
    """Two FFI readings are equal (NaN-free: documents with NaN skip the round trip)."""
    if isinstance(a, tvm_ffi.Array):
        return (
            isinstance(b, tvm_ffi.Array)
            and len(a) == len(b)
            and all(same_ffi(x, y) for x, y in zip(a, b))
        )
    if isinstance(a, tvm_ffi.Map):
        return (
            isinstance(b, tvm_ffi.Map)
            and len(a) == len(b)
            and all(k in b and same_ffi(v, b[k]) for k, v in a.items())
        )
    if isinstance(a, str):
        return isinstance(b, str) and str(a) == str(b)
    return type(a) is type(b) and a == b


def check(text):
    py, py_error = py_parse(text)
    try:
        ours = parse(text)
    except ValueError as e:
        if not str(e):
            raise Mismatch("ValueError without a message") from e
        if py is REJECTED:
            if EXACT_MESSAGES and py_error is not None and str(e) != py_error:
                raise Mismatch(f"{text!r}: Python says {py_error!r}, we say {str(e)!r}") from e
            return "rejected"
        # judged on every key and value, duplicates included: Python keeps only the last value
        # of a repeated key, but we reject deep nesting in the dropped one too; a lone surrogate
        # comes back in a form the binding cannot decode
        every = _every_member(text)
        if not has_lone_surrogate(every) and depth(every) <= 1000:
            raise Mismatch(f"we reject valid JSON {text!r}: {e}") from e
        return "rejected"
    if py is REJECTED:
        raise Mismatch(f"we accept invalid JSON {text!r} -> {ours!r}")
    if has_lone_surrogate(_every_member(text)):
        return "accepted"
    if not same(py, ours):
        raise Mismatch(f"{text!r}: Python reads {py!r}, we read {ours!r}")
    if any(isinstance(x, float) and not math.isfinite(x) for x in _leaves(ours)):
        return "accepted"  # NaN and inf have no strict JSON spelling: Stringify refuses them
    for indent in (None, 2):
        out = stringify(ours, indent)
        again = parse(out)
        if not same_ffi(ours, again):
            raise Mismatch(f"{text!r}: Stringify gave {out!r}, which parses to {again!r}")
    return "accepted"


def _every_member(text):
    """Python's reading with every object turned into the list of all its keys and values."""
    return json.loads(
        text, object_pairs_hook=lambda pairs: [item for pair in pairs for item in pair]
    )


def _leaves(v):
    if isinstance(v, tvm_ffi.Array):
        for x in v:
            yield from _leaves(x)
    elif isinstance(v, tvm_ffi.Map):
        for k, x in v.items():
            yield k
            yield from _leaves(x)
    else:
        yield v


def TestOneInput(data: bytes):
    check(data.decode("utf-8", errors="replace"))


def main():
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
