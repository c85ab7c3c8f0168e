"""labelhub's native, lossless project archive (a zip).

Layout (version 1)::

    manifest.json      {"format": "labelhub-native", "version": 1, "project": {...},
                        "ontology_versions": [...], "users": {"<id>": "<username>"}, "counts": {...}}
    assets.jsonl       one asset per line (original ids; ``media`` names the file under media/)
    tasks.jsonl        one task per line
    revisions.jsonl    one immutable revision per line, oldest first, body copied verbatim
    reviews.jsonl      one review decision per line
    media/<sha256>     the asset bytes (when media is included)

Revision bodies are spliced in as stored JSON text without decoding, which is what makes the
export run at hundreds of thousands of objects per second.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import orjson

from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ExportOptions, ExportSource

FORMAT = "labelhub-native"
VERSION = 1
_CHUNK = 1 << 20


class NativeExporter:
    name = "native"
    version = str(VERSION)
    extension = "zip"
    media_type = "application/zip"
    description = "labelhub's lossless project archive: ontology history, assets, tasks, every revision and review."
    shapes: tuple[str, ...] = (
        "bbox", "rotated_bbox", "polygon", "polyline", "point", "keypoints", "ellipse", "cuboid", "mask",
        "text_span", "document_region", "volume_box", "volume_mask", "volume_polygon",
    )  # fmt: skip

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        total = source.count_revisions()
        counts = {"assets": 0, "tasks": 0, "revisions": 0, "objects": 0, "reviews": 0, "media": 0}
        written: set[str] = set()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            # A zip takes one open write handle at a time: media first, asset lines spooled aside.
            with tempfile.SpooledTemporaryFile(max_size=64 * _CHUNK) as lines:
                for asset in source.iter_assets():
                    if options.include_media and asset.get("sha256"):
                        media = source.open_media(asset)
                        if media is not None:
                            name = f"media/{asset['sha256']}"
                            if name not in written:
                                with media, zf.open(name, "w", force_zip64=True) as m:
                                    shutil.copyfileobj(media, m, _CHUNK)
                                written.add(name)
                                counts["media"] += 1
                            asset = {**asset, "media": name}
                    lines.write(orjson.dumps(asset, option=orjson.OPT_APPEND_NEWLINE))
                    counts["assets"] += 1
                lines.seek(0)
                with zf.open("assets.jsonl", "w", force_zip64=True) as f:
                    shutil.copyfileobj(lines, f, _CHUNK)
            counts["tasks"] = _write_lines(zf, "tasks.jsonl", source.iter_tasks())
            with zf.open("revisions.jsonl", "w", force_zip64=True) as f:
                buf = io.BytesIO()
                for meta, body in source.iter_revisions():
                    head = orjson.dumps(meta)
                    buf.write(head[:-1] + b',"body":' + body.encode() + b"}\n")
                    counts["revisions"] += 1
                    counts["objects"] += int(meta.get("object_count", 0))
                    if buf.tell() > _CHUNK:
                        f.write(buf.getvalue())
                        buf = io.BytesIO()
                        progress(counts["revisions"], total)
                f.write(buf.getvalue())
            counts["reviews"] = _write_lines(zf, "reviews.jsonl", source.iter_reviews())
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "project": source.project,
                "ontology_versions": source.ontology_versions,
                "users": {str(k): v for k, v in source.users.items()},
                "counts": counts,
            }
            zf.writestr("manifest.json", orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        progress(counts["revisions"], total)
        return counts


def _write_lines(zf: zipfile.ZipFile, name: str, rows: Iterator[dict[str, Any]]) -> int:
    n = 0
    with zf.open(name, "w", force_zip64=True) as f:
        batch: list[bytes] = []
        for row in rows:
            batch.append(orjson.dumps(row))
            n += 1
            if len(batch) >= 4096:
                f.write(b"\n".join(batch) + b"\n")
                batch.clear()
        if batch:
            f.write(b"\n".join(batch) + b"\n")
    return n


class NativeBundle:
    def __init__(self, stream: BinaryIO) -> None:
        try:
            self._zf = zipfile.ZipFile(stream)
            manifest = orjson.loads(self._zf.read("manifest.json"))
        except (zipfile.BadZipFile, KeyError):
            raise InvalidInput(
                "Not a labelhub native archive: manifest.json is missing or the zip is corrupt."
            ) from None
        except orjson.JSONDecodeError as e:
            raise InvalidInput(f"manifest.json is not valid JSON ({e}).") from None
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"manifest.json says format {manifest.get('format')!r}, expected '{FORMAT}'.")
        if manifest.get("version") != VERSION:
            raise InvalidInput(
                f"Native archive version {manifest.get('version')} is not supported (this is {VERSION})."
            )
        self.project: dict[str, Any] = manifest["project"]
        self.ontology_versions: list[dict[str, Any]] = manifest["ontology_versions"]
        self.users: dict[int, str] = {int(k): v for k, v in manifest.get("users", {}).items()}
        self.counts: dict[str, int] = manifest.get("counts", {})

    def _lines(self, name: str) -> Iterator[dict[str, Any]]:
        try:
            f = self._zf.open(name)
        except KeyError:
            raise InvalidInput(f"The archive lacks {name}.") from None
        with f:
            for n, line in enumerate(f, start=1):
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as e:
                    raise InvalidInput(f"{name}, line {n}: not valid JSON ({e}).") from None

    def iter_assets(self) -> Iterator[dict[str, Any]]:
        return self._lines("assets.jsonl")

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None:
        name = asset.get("media")
        if not name:
            return None
        try:
            return self._zf.open(name)  # type: ignore[return-value]
        except KeyError:
            raise InvalidInput(f"assets.jsonl names {name}, which the archive lacks.") from None

    def iter_tasks(self) -> Iterator[dict[str, Any]]:
        return self._lines("tasks.jsonl")

    def iter_revisions(self) -> Iterator[dict[str, Any]]:
        return self._lines("revisions.jsonl")

    def iter_reviews(self) -> Iterator[dict[str, Any]]:
        return self._lines("reviews.jsonl")

    def close(self) -> None:
        self._zf.close()


class NativeImporter:
    name = "native"
    version = str(VERSION)
    extension = "zip"

    def detect(self, head: bytes, filename: str) -> bool:
        return head.startswith(b"PK\x03\x04")

    def open(self, stream: BinaryIO) -> NativeBundle:
        return NativeBundle(stream)


__all__ = ["FORMAT", "VERSION", "NativeBundle", "NativeExporter", "NativeImporter"]
