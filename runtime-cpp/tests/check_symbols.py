#!/usr/bin/env python3
"""Check the exported dynamic symbol set and SONAME of libtvm_ffi.so.

The ELF file is parsed directly (no binutils needed). The expectations come from
abi_symbols.txt: the exact SONAME, the exact set of defined ``TVMFFI*`` symbols and
a list of C++ symbols that must be exported.
"""

import argparse
import struct
import sys

SHT_DYNSYM = 11
SHT_DYNAMIC = 6
DT_NULL = 0
DT_SONAME = 14
SHN_UNDEF = 0
STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE = 1, 2, 10
STV_DEFAULT, STV_PROTECTED = 0, 3


class ElfFile:
    def __init__(self, path, data=None):
        if data is None:
            with open(path, "rb") as f:
                data = f.read()
        self.data = data
        if self.data[:4] != b"\x7fELF":
            raise ValueError(f"{path} is not an ELF file")
        self.is64 = self.data[4] == 2
        self.endian = "<" if self.data[5] == 1 else ">"
        self._read_sections()

    def _unpack(self, fmt, offset):
        return struct.unpack_from(self.endian + fmt, self.data, offset)

    def _read_sections(self):
        if self.is64:
            (shoff,) = self._unpack("Q", 0x28)
            shentsize, shnum = self._unpack("HH", 0x3A)
            fmt = "IIQQQQIIQQ"
        else:
            (shoff,) = self._unpack("I", 0x20)
            shentsize, shnum = self._unpack("HH", 0x2E)
            fmt = "IIIIIIIIII"
        self.sections = []
        for i in range(shnum):
            (name, stype, flags, addr, offset, size, link, info, align, entsize) = self._unpack(
                fmt, shoff + i * shentsize
            )
            self.sections.append(
                dict(type=stype, offset=offset, size=size, link=link, entsize=entsize)
            )

    def _cstr(self, section, offset):
        start = section["offset"] + offset
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def dynamic_symbols(self):
        """Yield (name, binding, visibility, defined) for every .dynsym entry."""
        for sec in self.sections:
            if sec["type"] != SHT_DYNSYM:
                continue
            strtab = self.sections[sec["link"]]
            entsize = sec["entsize"] or (24 if self.is64 else 16)
            for i in range(1, sec["size"] // entsize):
                off = sec["offset"] + i * entsize
                if self.is64:
                    name, info, other, shndx, _value, _size = self._unpack("IBBHQQ", off)
                else:
                    name, _value, _size, info, other, shndx = self._unpack("IIIBBH", off)
                yield (self._cstr(strtab, name), info >> 4, other & 3, shndx != SHN_UNDEF)

    def soname(self):
        for sec in self.sections:
            if sec["type"] != SHT_DYNAMIC:
                continue
            strtab = self.sections[sec["link"]]
            entsize = sec["entsize"] or (16 if self.is64 else 8)
            for i in range(sec["size"] // entsize):
                fmt = "qQ" if self.is64 else "iI"
                tag, val = self._unpack(fmt, sec["offset"] + i * entsize)
                if tag == DT_NULL:
                    break
                if tag == DT_SONAME:
                    return self._cstr(strtab, val)
        return None


def read_expected(path):
    sections = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], [])
                continue
            if current is None:
                raise ValueError(f"{path}: entry outside of a section: {line}")
            current.append(line)
    return sections


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", required=True)
    parser.add_argument("--expected", required=True)
    args = parser.parse_args()

    expected = read_expected(args.expected)
    elf = ElfFile(args.library)
    exported = set()
    defined_names = set()
    for name, binding, visibility, defined in elf.dynamic_symbols():
        if not defined:
            continue
        defined_names.add(name)
        if binding in (STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE) and visibility in (
            STV_DEFAULT,
            STV_PROTECTED,
        ):
            exported.add(name)

    failures = []
    want_soname = expected.get("soname", [None])[0]
    got_soname = elf.soname()
    if got_soname != want_soname:
        failures.append(f"SONAME is {got_soname!r}, expected {want_soname!r}")

    want_c = set(expected.get("c", []))
    if len(want_c) != 50:
        failures.append(f"abi_symbols.txt lists {len(want_c)} C symbols, expected 50")
    # Every defined TVMFFI* entry of the dynamic symbol table counts (like nm -D --defined-only).
    got_c = {name for name in defined_names if name.startswith("TVMFFI")}
    for name in sorted(want_c - exported):
        failures.append(f"missing C symbol: {name}")
    for name in sorted(got_c - want_c):
        failures.append(f"unexpected exported TVMFFI symbol: {name}")

    for name in expected.get("cxx", []):
        if name not in exported:
            failures.append(f"missing C++ symbol: {name}")

    print(f"library: {args.library}")
    print(f"SONAME: {got_soname}")
    print(f"exported TVMFFI* symbols: {len(got_c)}")
    if failures:
        for item in failures:
            print("FAIL:", item)
        return 1
    print("abi_symbols: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
