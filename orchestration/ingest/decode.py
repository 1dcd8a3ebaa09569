"""Bytes of a feed file → UTF-8 text with LF line ends, or a refusal.

Feeds arrive from agencies, suppliers and Excel users: UTF-8 with or without a byte-order mark,
UTF-16 with a BOM (Excel's "Unicode text"), and Windows-1252 from older exports. Everything
downstream works on one representation: UTF-8 bytes without BOM, lines ending in LF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from orchestration.ingest.faults import RefusedFile

# Checked in order: the UTF-32 BOMs start with the UTF-16 ones, so they come first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Signatures of files that are sometimes renamed to .csv by hand or by a mail gateway.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Excel .xls workbook"),
    (b"%PDF", "PDF document"),
)


@dataclass(frozen=True)
class DecodedFile:
    """A feed file as text. ``data`` is the text as UTF-8 bytes (no BOM, LF line ends)."""

    path: Path
    sha256: str  # of the original bytes: what the archive and idempotency key on
    encoding: str  # the encoding the file was read with, e.g. "utf-8-sig", "cp1252"
    data: bytes

    @cached_property
    def text(self) -> str:
        # Lazy: large files are parsed from ``data``; the str copy is only made when asked for.
        return self.data.decode("utf-8")

    @property
    def name(self) -> str:
        return self.path.name


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _checked(path: Path, digest: str, encoding: str, data: bytes) -> DecodedFile:
    if not data.strip():
        raise RefusedFile(path.name, "empty file (only a byte-order mark or blank lines)")
    return DecodedFile(path, digest, encoding, _normalise_newlines(data))


def _normalise_newlines(data: bytes) -> bytes:
    if b"\r" not in data:
        return data
    data = data.replace(b"\r\n", b"\n")
    # Classic Mac files end lines in CR alone; a CR left inside a file that also has LFs is data.
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    return data


def decode_bytes(raw: bytes, path: Path) -> DecodedFile:
    """Decode a feed file's bytes; raise RefusedFile when they are not a text CSV."""
    name = path.name
    if not raw:
        raise RefusedFile(name, "empty file (0 bytes); ask the sender to resend the export")
    digest = sha256_of(raw)
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            raise RefusedFile(
                name,
                f"not a text CSV ({what}); unpack it, or save the workbook as CSV UTF-8, "
                "and resend",
            )
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise RefusedFile(
                    name,
                    f"not decodable as {encoding} although it starts with its byte-order "
                    f"mark (byte {exc.start + len(bom)}); re-export as CSV UTF-8",
                ) from None
            if "\x00" in text:
                raise RefusedFile(name, f"not a text CSV (NUL characters after {encoding} decode)")
            return _checked(path, digest, encoding, text.encode("utf-8"))
    if b"\x00" in raw:
        raise RefusedFile(
            name,
            "not a text CSV (binary content: NUL bytes and no byte-order mark); "
            "export as CSV UTF-8 and resend",
        )
    try:
        raw.decode("utf-8")
        return _checked(path, digest, "utf-8", raw)
    except UnicodeDecodeError:
        pass
    # Not UTF-8: the usual culprit is an Excel or legacy export in Windows-1252. Its five
    # undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) make the strict decode fail for real binaries.
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise RefusedFile(
            name,
            f"not decodable text: neither UTF-8 nor Windows-1252 (byte {exc.start}); "
            "re-export as CSV UTF-8",
        ) from None
    return _checked(path, digest, "cp1252", text.encode("utf-8"))


def decode_file(path: Path) -> DecodedFile:
    return decode_bytes(Path(path).read_bytes(), Path(path))
