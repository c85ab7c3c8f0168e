"""Hand-written PDFs for tests: real, valid files (correct xref offsets) built byte by byte."""

from __future__ import annotations


def make_pdf(
    pages: list[str], *, size: tuple[int, int] = (200, 100), info: dict[str, str] | None = None, xmp: str | None = None
) -> bytes:
    """A PDF with one Helvetica line per page at (10, 50) from the bottom-left, size 12.

    ``info`` becomes the document Info dictionary, ``xmp`` an XMP metadata stream in the catalog.
    """
    w, h = size
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1: catalog, 2: pages, 3: font, then per page (page, content), then info, then xmp
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    info_id = first_page + 2 * n_pages
    xmp_id = info_id + 1
    catalog = b"<< /Type /Catalog /Pages 2 0 R" + (f" /Metadata {xmp_id} 0 R".encode() if xmp else b"") + b" >>"
    objects.append(catalog)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, text in enumerate(pages):
        content_id = first_page + 2 * i + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 10 50 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    trailer_info = b""
    if info is not None:
        entries = " ".join(f"/{k} ({v})" for k, v in info.items())
        objects.append(f"<< {entries} >>".encode("latin-1"))
        trailer_info = f" /Info {info_id} 0 R".encode()
    if xmp is not None:
        if info is None:
            objects.append(b"<< >>")  # keep the numbering
        data = xmp.encode()
        objects.append(b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R{trailer_info.decode()} >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
