"""atheris target: the dtype parser (`tvm_ffi.dtype(text)`, i.e. TVMFFIDataTypeFromString).

Checked for every input:
  * `tvm_ffi.dtype(text)` either returns or raises ValueError with a message, never a crash;
  * an accepted dtype round-trips through C++: its canonical string (DataTypeToString, obtained
    by passing it through `testing.echo`) parses back to the same (code, bits, lanes), except
    for the documented upstream quirks that have no canonical spelling (the scalable
    `xvscalex1`, and handles, which print as `handle` whatever their bits and lanes; a lane
    suffix without a positive count is a ValueError);
  * bits and lanes were not wrapped around: the parsed numbers equal the spelled ones.

Run: python ci/fuzz/fuzz_dtype.py [libFuzzer flags, e.g. -max_total_time=60 ci/fuzz/corpus/dtype]
"""

import re
import sys

import atheris

with atheris.instrument_imports():
    import tvm_ffi
    import tvm_ffi.testing

fecho = tvm_ffi.get_global_func("testing.echo")
SPELLED = re.compile(r"^(u?int|float|bfloat|handle)(\d*)(?:x(\d+))?$")


class Mismatch(AssertionError):
    pass


def fields(d):
    return (d.type_code, d.bits, d.lanes & 0xFFFF)


def check(text):
    try:
        d = tvm_ffi.dtype(text)
    except ValueError as e:
        if not str(e):
            raise Mismatch("ValueError without a message") from e
        return "rejected"
    except UnicodeEncodeError:
        return "rejected"  # lone surrogates cannot reach C++
    got = fields(d)
    m = SPELLED.match(text)
    if m and m.group(2) and int(m.group(2)) != 0 and got[1] != int(m.group(2)):
        raise Mismatch(f"{text!r}: spelled {m.group(2)} bits, parsed {got[1]}")
    if m and m.group(3) and got[2] != int(m.group(3)):
        raise Mismatch(f"{text!r}: spelled {m.group(3)} lanes, parsed {got[2]}")
    if got[2] in (0, 0xFFFF) or got[0] == 3:
        return "accepted"  # quirks without a canonical spelling (see the docstring)
    canonical = str(fecho(d))
    again = fields(tvm_ffi.dtype(canonical))
    if again != got:
        raise Mismatch(f"{text!r} -> {got}, canonical {canonical!r} -> {again}")
    return "accepted"


def TestOneInput(data: bytes):
    check(data.decode("utf-8", errors="replace"))


def main():
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
