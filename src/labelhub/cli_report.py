"""``labelhub report ai --project ID [--format table|json]``: what AI suggestions were worth,
read from a running server through the SDK (``--server``/``--token`` or LABELHUB_URL/LABELHUB_TOKEN)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from labelhub.cli_data import ProjectId, Server, Token, connect, fail

report_app = typer.Typer(help="Reports from a running server.", no_args_is_help=True)

COLUMNS = (
    ("suggestions", "suggestions"),
    ("unchanged", "unchanged"),
    ("location_changed", "location"),
    ("class_changed", "class"),
    ("class_and_location_changed", "class+loc"),
    ("deleted", "deleted"),
    ("new", "new"),
    ("edited_untracked", "untracked"),
    ("unchanged_rate", "kept %"),
)


def _cell(key: str, value: Any) -> str:
    if key == "unchanged_rate":
        return "-" if value is None else f"{100 * value:.1f}"
    return str(value)


def _table(title: str, first: str, rows: list[dict[str, Any]]) -> list[str]:
    header = [first] + [label for _, label in COLUMNS]
    body = [[str(r.get(first, "all"))] + [_cell(k, r.get(k)) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *body, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [title, line(header), *(line(r) for r in body), ""]


def render_table(rep: dict[str, Any]) -> str:
    out = [
        f"AI suggestions in project {rep['project_id']}: {rep['tasks_compared']} finished tasks compared, "
        f"{rep['tasks_with_suggestions']} with suggestions (location unchanged at IoU >= {rep['iou_threshold']})",
        "",
    ]
    out += _table("By model version", "model", [*rep["by_model_version"], {"model": "all", **rep["total"]}])
    out += _table("By labeler", "labeler", rep["by_labeler"])
    out.append("Labeling time per asset (seconds)")
    for key, label in (("with_suggestions", "with suggestions"), ("without_suggestions", "without")):
        d = rep["time_per_asset"][key]
        if not d["tasks"]:
            out.append(f"  {label:<17} no tasks")
            continue
        out.append(
            f"  {label:<17} {d['tasks']:>5} tasks  median {d['median_seconds']:>8.1f}  "
            f"p25 {d['p25_seconds']:>8.1f}  p75 {d['p75_seconds']:>8.1f}"
        )
    return "\n".join(out)


@report_app.command("ai")
def ai(
    project: ProjectId,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    iou: Annotated[float | None, typer.Option("--iou", help="IoU at or above which a location is unchanged.")] = None,
    server: Server = None,
    token: Token = None,
) -> None:
    """Model suggestions against final annotations, per model version and labeler, and time per asset."""
    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}")
    with connect(server, token) as lh:
        rep = lh.reports.ai(project, iou_threshold=iou)
    typer.echo(json.dumps(rep, indent=2) if fmt == "json" else render_table(rep))


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


__all__ = ["register", "render_table"]
