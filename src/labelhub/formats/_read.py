"""Reading uploads for the annotation importers: one file or a zip, JSON and XML with located errors.

Every error is ``InvalidInput`` naming the file and the line (JSON, XML, text) or the key, so a
user can fix the file; nothing here writes anything.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET

import orjson

from labelhub.core.errors import InvalidInput

MAX_MEMBERS = 200_000


def members(stream: BinaryIO, filename: str, suffixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of the upload itself, or of each zip member whose name ends with one of ``suffixes``."""
    head = stream.read(4)
    stream.seek(0)
    if head != b"PK\x03\x04":
        yield filename, stream.read()
        return
    try:
        zf = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise InvalidInput(f"{filename}: not a valid zip file (or it is truncated).") from None
    infos = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(suffixes)]
    if len(infos) > MAX_MEMBERS:
        raise InvalidInput(f"{filename}: {len(infos)} files is more than the {MAX_MEMBERS} an import reads.")
    for info in sorted(infos, key=lambda i: i.filename):
        if "__MACOSX/" in info.filename:
            continue
        yield info.filename, zf.read(info)


def load_json(data: bytes, name: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise InvalidInput(f"{name}: not valid JSON at line {e.lineno}, column {e.colno} ({e.msg}).") from None


def load_xml(data: bytes, name: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        line, col = e.position
        raise InvalidInput(f"{name}: not valid XML at line {line}, column {col}.") from None


def need(value: Any, kind: type | tuple[type, ...], name: str, where: str) -> Any:
    """``value`` if it has the type, else ``InvalidInput`` naming the file and the key."""
    if value is None or isinstance(value, bool) or not isinstance(value, kind):
        what = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InvalidInput(f"{name}: {where} must be a {what}, got {value!r}.")
    return value


def number(value: Any, name: str, where: str) -> float:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise InvalidInput(f"{name}: {where} must be a number, got {value!r}.") from None
    return float(need(value, (int, float), name, where))


def xml_number(el: ET.Element, path: str, name: str, where: str) -> float:
    text = el.findtext(path)
    if text is None:
        raise InvalidInput(f"{name}: {where} lacks <{path}>.")
    return number(text.strip(), name, f"{where} <{path}>")


def base(path: str) -> str:
    return posixpath.basename(path.replace("\\", "/"))


__all__ = ["base", "load_json", "load_xml", "members", "need", "number", "xml_number"]
