"""The SDK's model and report methods, and ``labelhub report ai`` (table and JSON), against the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from labelhub.cli import app
from labelhub.cli_report import register, render_table
from labelhub_sdk import Client
from tests.conftest import Api, ProjectEnv, box_body
from tests.models.graphs import box_model


def _sdk(api: Api) -> Client:
    # the TestClient's transport carries the SDK's requests into the app in-process
    return Client("http://testserver", api.token, transport=api.client._transport, retries=0)


def test_sdk_models_prelabel_and_report(project: ProjectEnv, admin: Api, tmp_path: Path) -> None:
    with _sdk(admin) as lh_admin, _sdk(project.manager) as lh:
        model = lh_admin.models.register("tiny", "onnx", str(box_model(tmp_path)))
        assert model["classes"] == ["vehicle", "person"]
        assert [m["name"] for m in lh_admin.models.list()] == ["tiny"]
        lh.models.attach(project.id, model["id"], {"vehicle": "car"}, threshold=0.0)
        assert [a["model_id"] for a in lh.models.attached(project.id)] == [model["id"]]
        found = lh.models.detect(project.task_ids[0])
        assert found["objects"] and found["objects"][0]["source"]["kind"] == "model"
        job = lh.models.prelabel(project.id, model["id"])
        done = lh.jobs.wait(job.id)
        assert done.succeeded and done.result and done.result["tasks_prelabeled"] == 3
        # the labeler keeps one suggestion as it is
        task = project.labeler.post(f"/api/v1/projects/{project.id}/next-task").json()["task"]
        head = project.labeler.get(f"/api/v1/tasks/{task['id']}/annotation").json()
        kept = head["body"]["objects"][0]
        kept["attributes"] = {"occluded": "no"}
        body = box_body()
        body["objects"].append(kept)
        r = project.labeler.post(
            f"/api/v1/tasks/{task['id']}/submit",
            json={"body": body, "base_revision_id": head["id"], "active_seconds": 12},
        )
        assert r.status_code == 201, r.text
        rep = lh.reports.ai(project.id)
        assert rep["total"]["suggestions"] == 1 and rep["total"]["unchanged"] == 1 and rep["total"]["new"] == 1
        strict: dict[str, Any] = lh.reports.ai(project.id, iou_threshold=1.0)
        assert strict["iou_threshold"] == 1.0
        text = render_table(rep)
        assert "By model version" in text and "tiny@tiny-1" in text and "100.0" in text


def test_cli_report_ai_table_and_json(project: ProjectEnv, monkeypatch: Any) -> None:
    import labelhub_sdk  # the CLI imports the SDK lazily, inside connect()

    original = labelhub_sdk.Client

    def client(url: str, token: str | None = None, **kw: Any) -> Client:
        return original(url, token, transport=project.manager.client._transport, retries=0)

    monkeypatch.setattr(labelhub_sdk, "Client", client)
    if "report" not in {g.name for g in app.registered_groups}:
        register(app)  # main() does this at start-up
    env = {"LABELHUB_URL": "http://testserver", "LABELHUB_TOKEN": project.manager.token}
    runner = CliRunner()
    r = runner.invoke(app, ["report", "ai", "--project", str(project.id)], env=env)
    assert r.exit_code == 0, r.output
    assert "By labeler" in r.output and "Labeling time per asset" in r.output
    r = runner.invoke(app, ["report", "ai", "--project", str(project.id), "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["project_id"] == project.id
    r = runner.invoke(app, ["report", "ai", "--project", "987654", "--format", "json"], env=env)
    assert r.exit_code == 1 and "error:" in r.output and "not found" in r.output
    r = runner.invoke(app, ["report", "ai", "--project", str(project.id), "--format", "xml"], env=env)
    assert r.exit_code == 1 and "--format must be table or json" in r.output
