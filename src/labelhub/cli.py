"""The ``labelhub`` command.

Admin commands (serve, worker, user, token, db, demo) act on the configured database and data
directory.  Data commands (project, import, export) talk to a running server through the SDK,
with ``--server``/``--token`` or LABELHUB_URL/LABELHUB_TOKEN.  Every failure exits non-zero with
a one-line reason.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from labelhub.core.errors import LabelhubError

if TYPE_CHECKING:
    from labelhub.wiring import Platform

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="labelhub: self-hosted data labeling.",
)
user_app = typer.Typer(no_args_is_help=True, help="Manage accounts (acts on the database directly).")
token_app = typer.Typer(no_args_is_help=True, help="Manage API tokens (acts on the database directly).")
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
project_app = typer.Typer(no_args_is_help=True, help="Projects on a running server.")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
app.add_typer(project_app, name="project")

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (LABELHUB_DATA_DIR).")]
Server = Annotated[str | None, typer.Option("--server", envvar="LABELHUB_URL", help="Server URL.")]
Token = Annotated[str | None, typer.Option("--token", envvar="LABELHUB_TOKEN", help="API token.")]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _settings(data_dir: Path | None):  # type: ignore[no-untyped-def]
    from labelhub.settings import Settings

    return Settings(data_dir=data_dir) if data_dir else Settings()


def _platform(data_dir: Path | None, **kw: bool):  # type: ignore[no-untyped-def]
    from labelhub.wiring import build

    return build(_settings(data_dir), **kw)


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        pw = getpass.getpass(prompt)
        if pw != getpass.getpass("Repeat: "):
            fail("the passwords differ")
        return pw
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        fail("give the password on standard input (or run in a terminal to be prompted)")
    return line


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    data_dir: DataDir = None,
    demo: Annotated[bool, typer.Option(help="Create a demo project with sample images.")] = False,
    workers: Annotated[bool, typer.Option(help="Run job workers inside the server.")] = True,
    processes: Annotated[int, typer.Option(min=1, max=64, help="API processes (use the CPU cores).")] = 1,
) -> None:
    """Run the server (migrates the database first)."""
    import uvicorn

    from labelhub.api.app import create_app

    settings = _settings(data_dir)
    settings.embedded_worker = workers
    from labelhub.wiring import build

    platform = build(settings)
    if not platform.auth.count_users():
        _first_admin(platform, settings.data_dir)
    if demo:
        from labelhub.demo import ensure_demo

        typer.echo(ensure_demo(platform, settings.data_dir))
    typer.echo(
        f"labelhub on http://{host}:{port}  (data: {settings.data_dir.resolve()}, queue: {platform.queue.describe()})"
    )
    if processes == 1:
        uvicorn.run(create_app(platform), host=host, port=port, log_level="warning", access_log=False)
        return
    platform.close()
    os.environ["LABELHUB_DATA_DIR"] = str(settings.data_dir)
    os.environ["LABELHUB_EMBEDDED_WORKER"] = "true" if workers else "false"
    uvicorn.run(
        "labelhub.api.app:app_from_environment",
        factory=True,
        workers=processes,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def _first_admin(platform: Platform, data_dir: Path) -> None:
    """No account exists yet: ask for the first admin in a terminal, otherwise say how to make one."""
    if not sys.stdin.isatty():
        typer.echo(
            "No accounts yet. Create the first admin (there is no default password):\n"
            f"  .venv/bin/labelhub user create --username admin --admin --data-dir {data_dir}"
        )
        return
    typer.echo("No accounts yet: create the first admin (there is no default password).")
    username = typer.prompt("Admin username", default="admin")
    while True:
        password = getpass.getpass("Password (10+ characters): ")
        if password != getpass.getpass("Repeat: "):
            typer.echo("The passwords differ; try again.")
            continue
        try:
            platform.auth.create_user(username, password, is_admin=True)
            break
        except LabelhubError as e:
            typer.echo(e.message)
    typer.echo(f"Admin '{username}' created.")


@app.command()
def worker(data_dir: DataDir = None, threads: int = 2) -> None:
    """Run a job worker (for the Redis queue across machines, or beside an embedded server)."""
    platform = _platform(data_dir)
    platform.maintenance()
    typer.echo(f"worker on {platform.queue.describe()}")
    platform.queue.run_forever(threads)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option()], admin: bool = False, display_name: str = "", data_dir: DataDir = None
) -> None:
    """Create an account; the password comes from a prompt or standard input."""
    platform = _platform(data_dir)
    password = _read_password(f"Password for {username}: ")
    try:
        user = platform.auth.create_user(username, password, is_admin=admin, display_name=display_name)
    except LabelhubError as e:
        fail(e.message)
    typer.echo(f"created {'admin ' if admin else ''}user '{user.username}' (id {user.id})")
    if admin:
        from labelhub.demo import create_pending_demo

        if line := create_pending_demo(platform, platform.settings.data_dir):
            typer.echo(line)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Option()], name: str = "cli", days: int | None = None, data_dir: DataDir = None
) -> None:
    """Print a new API token for a user (shown once)."""
    from labelhub.services.context import Actor

    platform = _platform(data_dir)
    try:
        user = platform.auth.get_user(username)
        new = platform.auth.create_token(Actor(user.id, user.username, True), name, days=days)
    except LabelhubError as e:
        fail(e.message)
    typer.echo(new.token)


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None) -> None:
    """Apply database migrations."""
    from labelhub.db.engine import Database
    from labelhub.db.migrate import current, upgrade

    settings = _settings(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_url(settings.resolved_database_url())
    upgrade(db.engine)
    typer.echo(f"database at revision {current(db.engine)}")


def main() -> None:
    from labelhub.cli_data import register

    register(app, project_app)
    __import__("labelhub.cli_report").cli_report.register(app)  # labelhub report ai
    try:
        app()
    except LabelhubError as e:
        fail(e.message)


__all__ = ["app", "fail", "main"]
