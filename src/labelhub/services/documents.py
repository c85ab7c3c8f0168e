"""Documents and text: PDFs (metadata scrubbed for PHI projects, text layer stored next to the
asset), multi-page TIFF pages, plain text; and serving pages, text layers and text.

Adapters stay behind structural protocols (services never import ``labelhub.media``):
``PdfTools`` is what ``media.pdf.PdfReader`` offers, ``PageRenderer`` what ``media.tiff.TiffReader``
offers, ``TextConverter`` what ``media.text.TextReader`` offers.

The text layer of a PDF is stored at import as one JSON blob per page under
``media/<sha[:2]>/<sha>.text/<page>.json`` (content-addressed like the PDF itself, under an
internal prefix so ``blob://`` references cannot reach it); for PDFs registered by reference it is
extracted on first request and stored the same way.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import replace
from typing import IO, Any, BinaryIO, Protocol, runtime_checkable

import orjson

from labelhub.core.errors import InvalidInput, LabelhubError, NotFound, UnsupportedMedia
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.core.ports import BlobStore
from labelhub.core.workflow import Role
from labelhub.db.tables import Asset, Project, Task
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps

DOCUMENT_READERS = ("pdf", "text")
QUARANTINED = "quarantined"


@runtime_checkable
class PdfTools(Protocol):
    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo: ...

    def scrub(self, stream: BinaryIO, filename: str) -> bytes: ...

    def text_layer(self, stream: BinaryIO) -> list[dict[str, Any]]: ...

    def render_page(self, stream: BinaryIO, page_index: int, scale: float) -> bytes: ...


@runtime_checkable
class PageRenderer(Protocol):
    def render_page(self, stream: BinaryIO, page_index: int) -> bytes: ...


@runtime_checkable
class TextConverter(Protocol):
    def convert(self, stream: BinaryIO, filename: str) -> tuple[bytes, MediaInfo]: ...


def text_layer_key(sha256: str, page: int) -> str:
    return f"media/{sha256[:2]}/{sha256}.text/{page}.json"


def page_text_lengths(asset: Asset, blobs: BlobStore | None = None) -> Callable[[int], int | None] | None:
    """For a PDF: the length in code points of page ``n``'s text layer (what a ``text_span`` on that
    page indexes), from ``meta.page_text_lengths`` (recorded at import), else read from the stored
    layer when ``blobs`` is given; ``None`` for other kinds.  Unknown pages give ``None`` (unchecked)."""
    if asset.kind != MediaKind.DOCUMENT.value:
        return None
    known = orjson.loads(asset.meta_json or "{}").get("page_text_lengths")
    if isinstance(known, list):
        return lambda page: known[page] if 0 <= page < len(known) else None
    sha = asset.sha256
    if blobs is None or sha is None:
        return None
    store, cache = blobs, dict[int, int | None]()

    def length(page: int) -> int | None:
        if page not in cache:
            key = text_layer_key(sha, page)
            cache[page] = len(orjson.loads(store.read_bytes(key))["text"]) if store.exists(key) else None
        return cache[page]

    return length


def contains_phi(deps: Deps, project_id: int) -> bool:
    with deps.db.read() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise InvalidInput(f"Project {project_id} no longer exists.")
        return bool(orjson.loads(project.settings_json or "{}").get("contains_phi"))


def ingest_document(
    deps: Deps, project_id: int, user_id: int | None, file: IO[bytes], name: str, reader_name: str, *, priority: int = 0
) -> tuple[Asset, Task | None]:
    """Store one PDF or text file (validated first: a bad file raises and leaves nothing)."""
    from labelhub.services.ingest import record_asset

    reader = deps.media.get(reader_name)
    stream: BinaryIO = file  # type: ignore[assignment]
    if reader_name == "text":
        if not isinstance(reader, TextConverter):
            raise UnsupportedMedia("the configured text reader cannot convert text files")
        data, info = reader.convert(stream, name)
        info = replace(info, extra={**info.extra, "reader": reader_name})
        return record_asset(deps, project_id, user_id, name, data, _sha(data), info, priority=priority)
    if not isinstance(reader, PdfTools):
        raise UnsupportedMedia("the configured PDF reader cannot extract text layers")
    stream.seek(0)
    info = reader.probe(stream, name)
    stream.seek(0)
    data = stream.read()
    scrubbed = False
    if contains_phi(deps, project_id) and (info.extra.get("has_metadata") or b"/Metadata" in data):
        data = reader.scrub(io.BytesIO(data), name)
        info = reader.probe(io.BytesIO(data), name)
        scrubbed = True
    sha = _sha(data)
    pages = reader.text_layer(io.BytesIO(data))
    for page in pages:
        deps.blobs.put_bytes(text_layer_key(sha, page["page"]), orjson.dumps(page), content_type="application/json")
    extra = {**info.extra, "reader": reader_name, "metadata_scrubbed": scrubbed, "text_layer": True}
    extra["text_chars"] = sum(len(p["text"]) for p in pages)
    extra["page_text_lengths"] = [len(p["text"]) for p in pages]  # bounds text_span offsets per page
    if scrubbed:
        extra["has_metadata"] = []  # PDFium's own Producer/Creator/CreationDate remain: no PHI
    return record_asset(deps, project_id, user_id, name, data, sha, replace(info, extra=extra), priority=priority)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentService:
    """Pages as PNG, PDF text layers and plain text of the assets a caller may see."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def _asset(self, actor: Actor, asset_id: int) -> Asset:
        with self.deps.db.read() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                raise NotFound(f"Asset {asset_id} not found.")
            try:
                role = Role.MANAGER if asset.status == QUARANTINED else Role.LABELER
                require_project(s, actor, asset.project_id, role)
            except LabelhubError:
                raise NotFound(f"Asset {asset_id} not found.") from None
            return asset

    def _open(self, asset: Asset) -> BinaryIO:
        from labelhub.services.assets import open_source

        src = open_source(self.deps, asset)
        if isinstance(src, str):
            raise UnsupportedMedia(f"asset {asset.id} lives at an http(s) address the server does not read")
        return src

    def _bytes(self, asset: Asset) -> bytes:
        with self._open(asset) as src:
            return src.read()

    def _reader(self, asset: Asset) -> Any:
        name = orjson.loads(asset.meta_json or "{}").get("reader", asset.kind)
        return self.deps.media.get(name)

    def page_png(self, actor: Actor, asset_id: int, page: int, scale: float = 1.0) -> tuple[bytes, str]:
        """``(png, etag)`` of page ``page`` (0-based).  ``scale`` applies to PDFs (pixels per point);
        image pages are served at their own size."""
        asset = self._asset(actor, asset_id)
        if page < 0 or page >= max(asset.pages, 1):
            raise NotFound(f"page {page} does not exist: asset {asset_id} has pages 0 to {max(asset.pages, 1) - 1}")
        reader = self._reader(asset)
        if not isinstance(reader, PdfTools | PageRenderer):
            raise UnsupportedMedia(
                f"asset {asset_id} is a {asset.kind} read by '{getattr(reader, 'name', '?')}', which cannot render "
                "pages: fetch /content instead"
            )
        with self._open(asset) as stream:  # PDFs: PDFium reads only what the page needs
            if isinstance(reader, PdfTools):
                png = reader.render_page(stream, page, scale)
            else:
                png = reader.render_page(stream, page)
        return png, f'"{asset.sha256 or asset.id}-{page}-{scale:g}"'

    def text_layer(self, actor: Actor, asset_id: int, page: int) -> dict[str, Any]:
        """The stored text layer of one PDF page (see ``PdfReader.text_layer`` for the shape)."""
        asset = self._asset(actor, asset_id)
        if asset.kind != MediaKind.DOCUMENT.value:
            raise InvalidInput(f"asset {asset_id} is a {asset.kind}, not a PDF document: it has no text layer")
        if page < 0 or page >= asset.pages:
            raise NotFound(f"page {page} does not exist: asset {asset_id} has pages 0 to {asset.pages - 1}")
        data: bytes | None = None
        sha = asset.sha256
        if sha is None:
            data = self._bytes(asset)
            sha = _sha(data)
        key = text_layer_key(sha, page)
        if not self.deps.blobs.exists(key):
            reader = self._reader(asset)
            if not isinstance(reader, PdfTools):
                raise UnsupportedMedia(f"asset {asset_id} has no PDF reader to extract its text layer")
            for p in reader.text_layer(io.BytesIO(data if data is not None else self._bytes(asset))):
                self.deps.blobs.put_bytes(text_layer_key(sha, p["page"]), orjson.dumps(p))
        layer: dict[str, Any] = orjson.loads(self.deps.blobs.read_bytes(key))
        return layer

    def text(self, actor: Actor, asset_id: int) -> str:
        """The text of a ``text`` asset, as its ``text_span`` offsets count it."""
        asset = self._asset(actor, asset_id)
        if asset.kind != MediaKind.TEXT.value:
            raise InvalidInput(f"asset {asset_id} is a {asset.kind}, not text: fetch /content instead")
        data = self._bytes(asset)
        if asset.storage_key:
            return data.decode("utf-8")  # stored by TextReader.convert: UTF-8 without a BOM
        reader = self._reader(asset)
        if not isinstance(reader, TextConverter):
            raise UnsupportedMedia(f"asset {asset_id} has no text reader")
        converted, _ = reader.convert(io.BytesIO(data), asset.filename)
        return converted.decode("utf-8")


__all__ = [
    "DOCUMENT_READERS",
    "DocumentService",
    "contains_phi",
    "ingest_document",
    "page_text_lengths",
    "text_layer_key",
]
