"""Data commands of ``labelhub`` that talk to a running server through the SDK (``labelhub_sdk``).

    labelhub project create --name N --ontology FILE.json   prints the new project's id
    labelhub import PATH --project ID                        a file, a folder (recursive) or a .zip
    labelhub import PROJECT.zip --format native              a whole project archive, as a new project
    labelhub import FILE --project ID --format coco|yolo|voc|labelstudio|cvat [--map L=T ...] [--dry-run]
                                                             annotations into the project's assets
    labelhub export --project ID --format coco|yolo|... --out PATH [--state S] [--class C] [--labeler U]
                    [--split train=0.8,val=0.2 --seed N] [--no-media]
    labelhub export --version ID --out PATH                  a dataset version (earlier export) again
    labelhub versions --project ID                           the project's dataset versions

Each takes ``--server URL --token T`` (or LABELHUB_URL / LABELHUB_TOKEN).  Results go to standard
output, progress bars to standard error, and every failure exits non-zero with one line
``error: ...`` on standard error.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, NoReturn, cast

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from labelhub_sdk import AnnotationImportResult, Client, Job

Server = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="LABELHUB_URL",
        show_envvar=True,
        help="Server URL, for example http://localhost:8080.",
    ),
]
Token = Annotated[
    str | None, typer.Option("--token", envvar="LABELHUB_TOKEN", show_envvar=True, help="API token (lh_...).")
]
ProjectId = Annotated[int, typer.Option("--project", help="Project id.")]

UPLOAD_ERRORS_SHOWN = 50
HERE = Path(".")


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@contextmanager
def connect(server: str | None, token: str | None) -> Iterator[Client]:
    """An SDK client; any SDK error inside the block becomes ``error: <reason>`` and exit status 1."""
    import httpx

    from labelhub_sdk import Client, LabelhubError

    if not server:
        fail("give the server with --server URL or LABELHUB_URL")
    if not token:
        fail("give an API token with --token or LABELHUB_TOKEN (create one with 'labelhub token create')")
    try:
        client = Client(server, token)
    except ValueError as e:
        fail(str(e))
    try:
        with client:
            yield client
    except LabelhubError as e:
        fail(str(e))
    except httpx.HTTPError as e:  # the SDK maps transport errors; this is a last guard
        fail(f"talking to {server} failed: {e}")


def _progress() -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def follow(client: Client, job: Job, label: str) -> Job:
    """Wait for a job with a progress bar on standard error; a failed job is an error."""
    from labelhub_sdk import JobFailed

    with _progress() as bar:
        task = bar.add_task(label, total=None)

        def show(j: Job) -> None:
            bar.update(task, completed=j.progress_done, total=j.progress_total, description=f"{label} ({j.state})")

        try:
            return client.jobs.wait(job.id, timeout=None, poll=0.5, on_progress=show)
        except JobFailed as e:
            reason = str(e)
    fail(reason)  # after the bar's last line, so the error is the last line


# -- project create -------------------------------------------------------------------------------
def _read_ontology(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"no ontology file at {path}")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {path}: {e}")
    except json.JSONDecodeError as e:
        fail(f"{path} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}")
    if not isinstance(data, dict):
        fail(f"{path} must hold a JSON object with 'classes' and 'classifications'")
    return data


def project_create(
    name: Annotated[str, typer.Option("--name", help="Project name.")],
    ontology: Annotated[Path, typer.Option("--ontology", help="Ontology JSON file.")],
    description: Annotated[str, typer.Option("--description", help="Free text.")] = "",
    consensus: Annotated[int, typer.Option("--consensus", help="Annotations per task from different labelers.")] = 1,
    server: Server = None,
    token: Token = None,
) -> None:
    """Create a project; prints its id alone on standard output."""
    body = _read_ontology(ontology)
    with connect(server, token) as client:
        project = client.projects.create(name, body, description=description, consensus=consensus)
    typer.echo(project.id)


# -- import ---------------------------------------------------------------------------------------
@dataclass
class UploadReport:
    imported: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def _hidden(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts if path != root else (path.name,)
    return any(p.startswith(".") or p == "__MACOSX" for p in rel) or path.name in ("Thumbs.db", "desktop.ini")


def collect_files(path: Path) -> list[Path]:
    """The files to upload: the file itself, or a folder's files (recursive, hidden ones skipped)."""
    if path.is_file():
        return [path]
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(path):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        files.extend(here / f for f in sorted(filenames) if not _hidden(here / f, path))
    return files


def upload_files(
    client: Client,
    project_id: int,
    files: list[Path],
    root: Path,
    on_file: Callable[[Path], None] | None = None,
) -> UploadReport:
    """Upload one by one; bad files (refused content, too large, ...) are listed and the rest go on.
    Errors that would hit every file (auth, the project gone, the server down) stop the import."""
    from labelhub_sdk import BadRequest, Conflict, TooLarge

    report = UploadReport()
    for f in files:
        name = str(f.relative_to(root)) if f != root else f.name
        try:
            client.assets.upload(project_id, f, filename=f.name)
            report.imported += 1
        except Conflict as e:
            if e.duplicate:
                report.duplicates += 1
            else:
                report.failures.append((name, str(e)))
        except (BadRequest, TooLarge) as e:
            report.failures.append((name, str(e)))
        except OSError as e:
            report.failures.append((name, f"cannot read the file: {e.strerror or e}"))
        if on_file is not None:
            on_file(f)
    return report


def _summary(imported: int, duplicates: int, failures: list[tuple[str, str]]) -> None:
    typer.echo(f"imported {imported}, duplicates {duplicates}, failed {len(failures)}")
    for name, reason in failures[:UPLOAD_ERRORS_SHOWN]:
        typer.echo(f"failed: {name}: {reason}", err=True)
    if len(failures) > UPLOAD_ERRORS_SHOWN:
        typer.echo(f"... and {len(failures) - UPLOAD_ERRORS_SHOWN} more", err=True)
    if failures:
        fail(f"{len(failures)} of {imported + duplicates + len(failures)} files could not be imported")


def _parse_map(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        label, sep, target = pair.rpartition("=")
        if not sep or not label or not target:
            fail(f"--map takes LABEL=TARGET (a class id, create, create:<tool> or drop), got '{pair}'")
        mapping[label] = target
    return mapping


ANNOTATION_SUFFIXES = (".txt", ".yaml", ".yml", ".json", ".xml")


def _annotation_upload(path: Path, stack: ExitStack) -> Path:
    """The file to upload: the file itself, or a folder zipped (its label files only: .txt, .yaml,
    .json, .xml — images stay behind; they are matched to the project's assets by name)."""
    if path.is_file():
        return path
    import tempfile
    import zipfile

    files = [f for f in collect_files(path) if f.suffix.lower() in ANNOTATION_SUFFIXES]
    if not files:
        fail(f"no annotation files ({', '.join(ANNOTATION_SUFFIXES)}) in {path}")
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="labelhub-import-"))) / f"{path.name}.zip"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, f.relative_to(path).as_posix())
    return tmp


def _print_import(result: AnnotationImportResult, as_json: bool) -> None:
    if as_json:
        from dataclasses import asdict

        typer.echo(json.dumps(asdict(result), indent=2, sort_keys=True))
    else:
        _print_summary(result)
    if result.unmatched_files:
        shown = ", ".join(result.unmatched_files[:10])
        more = f" and {len(result.unmatched_files) - 10} more" if len(result.unmatched_files) > 10 else ""
        typer.echo(f"unmatched files ({len(result.unmatched_files)}): {shown}{more}", err=True)
    for line in (*result.warnings, *(f"skipped: {s}" for s in result.skipped)):
        typer.echo(f"warning: {line}", err=True)


def _print_summary(result: AnnotationImportResult) -> None:
    head = "dry run: " if result.dry_run else ""
    verb = "would be written" if result.dry_run else "written"
    typer.echo(
        f"{head}{result.items} images matched, {result.objects} objects, "
        f"{result.revisions if not result.dry_run else result.items} revisions {verb}, "
        f"{result.dropped_objects} objects dropped"
    )
    for label, where in sorted(result.classes.items()):
        if where.target == "?":
            typer.echo(f"  {label}: {where.objects} objects -> unknown (add --map '{label}=CLASS|create|drop')")
        else:
            typer.echo(f"  {label}: {where.objects} objects -> {where.target}")
    if result.created_classes:
        typer.echo(f"created classes: {', '.join(result.created_classes)}")


class _Counted(io.RawIOBase):
    """A binary file that reports how many bytes were read (an upload's progress bar)."""

    def __init__(self, raw: BinaryIO, on_read: Callable[[int], None]) -> None:
        self.raw, self.on_read, self.done = raw, on_read, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.done += len(chunk)
        self.on_read(self.done)
        return chunk

    def readinto(self, b: Any) -> int:
        chunk = self.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


def _import_annotations(
    client: Client, path: Path, project: int, fmt: str, mapping: dict[str, str], dry_run: bool, mode: str, as_json: bool
) -> None:
    if mode not in ("replace", "append"):
        fail(f"--mode must be replace or append, not '{mode}'")
    with ExitStack() as stack:
        upload = _annotation_upload(path, stack)
        size = upload.stat().st_size
        with _progress() as bar, upload.open("rb") as raw:
            task = bar.add_task(f"uploading {upload.name}", total=size)
            reader = cast(BinaryIO, _Counted(raw, lambda n: bar.update(task, completed=n)))
            options: dict[str, Any] = {"mapping": mapping, "mode": mode, "filename": upload.name}
            if dry_run:
                result = client.annotation_imports.preview(project, reader, fmt, **options)
            else:
                job = client.annotation_imports.start(project, reader, fmt, **options)
        if not dry_run:
            result = client.annotation_imports.result(follow(client, job, f"importing {path.name}"))
    _print_import(result, as_json)
    if dry_run and result.unknown_classes:
        typer.echo(
            f"error: unknown labels {list(result.unknown_classes)}: map each with --map LABEL=CLASS|create|drop",
            err=True,
        )
        raise typer.Exit(1)


def import_(
    path: Annotated[Path, typer.Argument(help="A file, a folder (recursive) or a .zip archive.")],
    project: Annotated[int | None, typer.Option("--project", help="Project id (not for --format native).")] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Annotations (coco, yolo, voc, labelstudio, cvat; with --project) or a whole project "
            "archive (native; a .zip, without --project). Without it: upload the files as assets.",
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="LABEL=TARGET for a label that is not a class: a class id, create, drop."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Annotations: report what would be imported.")] = False,
    mode: Annotated[str, typer.Option("--mode", help="Annotations: replace (new head) or append.")] = "replace",
    as_json: Annotated[bool, typer.Option("--json", help="Annotations: print the report as JSON.")] = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import files into a project, annotations for its files (--format coco ...), or a whole
    project archive (--format native)."""
    if not path.exists():
        fail(f"nothing at {path}")
    is_zip = path.is_file() and path.suffix.lower() == ".zip"
    mapping = _parse_map(map_)
    if format is not None:
        with connect(server, token) as client:
            known = client.formats()
            annotations, archives = known.get("annotation_importers", []), known.get("project_importers", [])
            if format in annotations:
                if project is None:
                    fail(f"give the project whose files the {format} annotations are for with --project ID")
                _import_annotations(client, path, project, format, mapping, dry_run, mode, as_json)
                return
            if format not in archives:
                fail(
                    f"unknown import format '{format}'; annotations: {', '.join(annotations)}; "
                    f"project archives: {', '.join(archives)}"
                )
            if not is_zip:
                fail(f"--format {format} imports a project archive; give a .zip file, not {path}")
            if project is not None:
                fail("--format imports a whole project as a new one; leave out --project")
            if mapping or dry_run:
                fail("--map and --dry-run are for annotation imports (--format coco, yolo, ...)")
            job = follow(client, client.imports.project(path, format=format), f"importing {path.name}")
            result = job.result or {}
        typer.echo(result.get("project_id", ""))
        missing = result.get("unknown_users") or []
        typer.echo(
            f"imported project {result.get('project_id')}: {result.get('assets', 0)} assets, "
            f"{result.get('tasks', 0)} tasks, {result.get('revisions', 0)} revisions"
            + (f"; unknown users: {', '.join(missing)}" if missing else ""),
            err=True,
        )
        return
    if mapping or dry_run:
        fail("--map and --dry-run need an annotation format: --format coco, yolo, voc, labelstudio or cvat")
    if project is None:
        fail("give the project to import into with --project ID")
    with connect(server, token) as client:
        client.projects.get(project)  # a wrong id or token fails once, not once per file
        if is_zip:
            job = follow(client, client.imports.archive(project, path), f"importing {path.name}")
            result = job.result or {}
            failures = [(str(e.get("file", "?")), str(e.get("error", "?"))) for e in result.get("errors", [])]
            hidden = int(result.get("failed", len(failures))) - len(failures)
            failures += [("(more)", "not listed by the server")] * max(0, hidden)
            imported, duplicates = int(result.get("imported", 0)), int(result.get("duplicates", 0))
        else:
            files = collect_files(path)
            if not files:
                fail(f"no files to import in {path}")
            root = path if path.is_dir() else path.parent
            with _progress() as bar:
                task = bar.add_task(f"uploading {path.name}", total=len(files))
                report = upload_files(client, project, files, root, lambda _f: bar.advance(task))
            imported, duplicates, failures = report.imported, report.duplicates, report.failures
    _summary(imported, duplicates, failures)


# -- export ---------------------------------------------------------------------------------------
def parse_split(text: str | None) -> dict[str, float] | None:
    """``train=0.8,val=0.1,test=0.1`` -> ``{"train": 0.8, "val": 0.1, "test": 0.1}`` (checked by the server)."""
    if not text:
        return None
    split: dict[str, float] = {}
    for part in text.split(","):
        name, sep, ratio = part.strip().partition("=")
        try:
            value = float(ratio)
        except ValueError:
            value = -1.0
        if not sep or not name or value <= 0:
            fail(f"--split takes NAME=RATIO pairs separated by commas (train=0.8,val=0.2), got '{text}'")
        split[name] = value
    return split


def export(
    project: Annotated[int | None, typer.Option("--project", help="Project id.")] = None,
    format: Annotated[str, typer.Option("--format", help="Export format (see GET /api/v1/formats).")] = "native",
    out: Annotated[Path, typer.Option("--out", help="File to write (a folder gets the server's file name).")] = HERE,
    state: Annotated[
        list[str] | None,
        typer.Option("--state", help="Only tasks in this state (repeatable): accepted, submitted, ..."),
    ] = None,
    class_: Annotated[
        list[str] | None, typer.Option("--class", help="Only objects of this class id (repeatable); images stay.")
    ] = None,
    labeler: Annotated[
        list[str] | None, typer.Option("--labeler", help="Only tasks whose current revision this user wrote.")
    ] = None,
    split: Annotated[
        str | None, typer.Option("--split", help="Ratios summing to 1, e.g. train=0.8,val=0.1,test=0.1.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="The split's seed (same seed, same split).")] = 0,
    media: Annotated[bool, typer.Option("--media/--no-media", help="Include the asset files.")] = True,
    version: Annotated[
        int | None, typer.Option("--version", help="Download this dataset version again instead of exporting.")
    ] = None,
    server: Server = None,
    token: Token = None,
) -> None:
    """Export a project: start the job, follow it, download the file; prints the file's path.
    Each export is kept as a dataset version (see 'labelhub versions')."""
    if out.parent and not out.parent.exists():
        fail(f"the folder {out.parent} does not exist")
    if (project is None) == (version is None):
        fail("give either --project ID (a new export) or --version ID (an earlier one)")
    ratios = parse_split(split)
    with connect(server, token) as client:
        try:
            if version is not None:
                written = client.dataset_versions.download(version, out)
                typer.echo(str(written))
                return
            assert project is not None
            job = client.exports.start(
                project,
                format,
                states=state or None,
                include_media=media,
                classes=class_ or None,
                labelers=labeler or None,
                split=ratios,
                seed=seed,
            )
            job = follow(client, job, f"exporting project {project}")
            written = client.exports.download(job.id, out)
        except OSError as e:
            fail(f"cannot write {out}: {e.strerror or e}")
    result = job.result or {}
    report = result.get("report") or {}
    dropped = report.get("dropped_total", 0)
    typer.echo(
        f"dataset version {result.get('dataset_version')}: {report.get('images', '?')} images, "
        f"{report.get('objects', '?')} objects, {dropped} dropped; sha256 {result.get('sha256')}",
        err=True,
    )
    typer.echo(str(written))


def versions(
    project: ProjectId,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """List a project's dataset versions (finished exports), newest first."""
    with connect(server, token) as client:
        rows = client.dataset_versions.list(project)
    for v in rows:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "id": v.id,
                        "format": v.format,
                        "filter": v.filter,
                        "sha256": v.content_sha256,
                        "size_bytes": v.size_bytes,
                        "filename": v.filename,
                        "created_at": v.created_at.isoformat(),
                    },
                    sort_keys=True,
                )
            )
        else:
            flt = ", ".join(f"{k}={v2}" for k, v2 in v.filter.items() if v2 not in (None, [], {}, 0, True))
            typer.echo(
                f"{v.id}\t{v.created_at:%Y-%m-%d %H:%M}\t{v.format}\t{v.size_bytes}\t{v.content_sha256[:12]}\t{flt}"
            )


def register(app: typer.Typer, project_app: typer.Typer) -> None:
    """Add the data commands to the ``labelhub`` command (called once at start-up)."""
    project_app.command("create")(project_create)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("versions")(versions)


__all__ = ["collect_files", "parse_split", "register", "upload_files"]
