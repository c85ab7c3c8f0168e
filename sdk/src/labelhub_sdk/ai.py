"""AI assistance: the model registry, Auto Detect, dataset pre-labeling and the AI report.

    model = lh.models.register("cars-v3", "onnx", "/srv/models/cars.onnx")         # admins
    lh.models.attach(project_id, model["id"], {"car": "car", "truck": "car"}, threshold=0.4)
    suggestions = lh.models.detect(task_id)["objects"]                              # not stored
    job = lh.jobs.wait(lh.models.prelabel(project_id, model["id"]).id)
    report = lh.reports.ai(project_id)              # suggestions vs final annotations, time per asset

Answers are the server's JSON (dicts); pre-labeling returns the ``Job``.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from labelhub_sdk.models import Job
from labelhub_sdk.resources import _Group

Json = dict[str, Any]


class Models(_Group):
    def register(
        self,
        name: str,
        kind: str,
        uri: str,
        *,
        classes: builtins.list[str] | None = None,
        config: Mapping[str, Any] | None = None,
        version: str | None = None,
    ) -> Json:
        """Register a model (admins): ``kind`` is ``onnx`` (file path, manifest next to it),
        ``ls_backend`` (a Label Studio ML-backend URL; give ``classes``) or ``builtin``."""
        body: Json = {"name": name, "kind": kind, "uri": uri, "config": dict(config or {})}
        if classes is not None:
            body["classes"] = list(classes)
        if version is not None:
            body["version"] = version
        return dict(self._http.json("POST", "/models", json=body))

    def list(self) -> builtins.list[Json]:
        return list(self._http.json("GET", "/models"))

    def builtin_models(self) -> builtins.list[Json]:
        return list(self._http.json("GET", "/models/builtins"))

    def get(self, model_id: int) -> Json:
        return dict(self._http.json("GET", f"/models/{model_id}"))

    def delete(self, model_id: int) -> None:
        self._http.json("DELETE", f"/models/{model_id}")

    def attach(self, project_id: int, model_id: int, class_map: Mapping[str, str], *, threshold: float = 0.5) -> Json:
        """Attach a model to a project (managers): model class -> ontology class id, and the
        confidence under which suggestions are hidden."""
        body = {"class_map": dict(class_map), "threshold": threshold}
        return dict(self._http.json("PUT", f"/projects/{project_id}/models/{model_id}", json=body))

    def detach(self, project_id: int, model_id: int) -> None:
        self._http.json("DELETE", f"/projects/{project_id}/models/{model_id}")

    def attached(self, project_id: int) -> builtins.list[Json]:
        return list(self._http.json("GET", f"/projects/{project_id}/models"))

    def detect(self, task_id: int, model_id: int | None = None) -> Json:
        """Auto Detect on one task's asset: suggestions (objects with a model source), not stored."""
        return dict(self._http.json("POST", f"/tasks/{task_id}/assist/detect", json={"model_id": model_id}))

    def prelabel(
        self,
        project_id: int,
        model_id: int,
        *,
        states: builtins.list[str] | None = None,
        overwrite: bool = False,
    ) -> Job:
        """Start pre-labeling the project's unlabeled tasks; wait with ``lh.jobs.wait(job.id)``."""
        body: Json = {"model_id": model_id, "overwrite": overwrite}
        if states is not None:
            body["states"] = list(states)
        return Job.from_json(self._http.json("POST", f"/projects/{project_id}/prelabel", json=body))


class Reports(_Group):
    def ai(self, project_id: int, *, iou_threshold: float | None = None) -> Json:
        """Every model suggestion against the final annotation (unchanged, location changed, class
        changed, both, deleted; new human objects), per model version and labeler, and labeling
        time per asset with and without suggestions."""
        params = {"iou_threshold": str(iou_threshold)} if iou_threshold is not None else None
        return dict(self._http.json("GET", f"/projects/{project_id}/reports/ai", params=params))


__all__ = ["Models", "Reports"]
