"""Data commands of ``labelhub`` that talk to a running server through the SDK (``labelhub_sdk``).

    labelhub project create --name N --ontology FILE.json   prints the new project's id
    labelhub import PATH --project ID                        a file, a folder (recursive) or a .zip
    labelhub import PROJECT.zip --format native              a whole project archive, as a new project
    labelhub export --project ID --format native --out PATH

Each takes ``--server URL --token T`` (or LABELHUB_URL / LABELHUB_TOKEN).  Results go to standard
output, progress bars to standard error, and every failure exits non-zero with one line
``error: ...`` on standard error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from labelhub_sdk import Client, Job

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
            fail(str(e))


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


def import_(
    path: Annotated[Path, typer.Argument(help="A file, a folder (recursive) or a .zip archive.")],
    project: Annotated[int | None, typer.Option("--project", help="Project id (not for --format native).")] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help="With a .zip: import it as a whole project archive of this format (e.g. native)."
        ),
    ] = None,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import files into a project, or a whole project archive (--format native)."""
    if not path.exists():
        fail(f"nothing at {path}")
    is_zip = path.is_file() and path.suffix.lower() == ".zip"
    if format is not None:
        if not is_zip:
            fail(f"--format {format} imports a project archive; give a .zip file, not {path}")
        if project is not None:
            fail("--format imports a whole project as a new one; leave out --project")
        with connect(server, token) as client:
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
def export(
    project: ProjectId,
    format: Annotated[str, typer.Option("--format", help="Export format (see GET /api/v1/formats).")] = "native",
    out: Annotated[Path, typer.Option("--out", help="File to write (a folder gets the server's file name).")] = HERE,
    state: Annotated[
        list[str] | None,
        typer.Option("--state", help="Only tasks in this state (repeatable): accepted, submitted, ..."),
    ] = None,
    media: Annotated[bool, typer.Option("--media/--no-media", help="Include the asset files.")] = True,
    server: Server = None,
    token: Token = None,
) -> None:
    """Export a project: start the job, follow it, download the file; prints the file's path."""
    if out.parent and not out.parent.exists():
        fail(f"the folder {out.parent} does not exist")
    with connect(server, token) as client:
        job = client.exports.start(project, format, states=state or None, include_media=media)
        job = follow(client, job, f"exporting project {project}")
        try:
            written = client.exports.download(job.id, out)
        except OSError as e:
            fail(f"cannot write {out}: {e.strerror or e}")
    typer.echo(str(written))


def register(app: typer.Typer, project_app: typer.Typer) -> None:
    """Add the data commands to the ``labelhub`` command (called once at start-up)."""
    project_app.command("create")(project_create)
    app.command("import")(import_)
    app.command("export")(export)


__all__ = ["collect_files", "register", "upload_files"]
