"""A remote model server speaking Label Studio's ML-backend protocol (label-studio-ml-backend).

    GET  /health   -> {"status": "UP", ...}
    POST /setup    {"project", "schema": <label config XML>, "hostname", "access_token"}
                   -> {"model_version": "..."}
    POST /predict  {"tasks": [{"id", "data": {"image": <url>}}], "project", "label_config",
                    "params": {"context": null}}
                   -> {"results": [{"result": [<region>, ...], "score", "model_version"}, ...],
                       "model_version"}

A region is Label Studio's result JSON: ``{"type": "rectanglelabels" | "polygonlabels" |
"keypointlabels", "from_name", "to_name", "original_width", "original_height",
"value": {"x", "y", "width", "height", "rotation", "rectanglelabels": [label]}, "score"}`` with
coordinates in percent of the image.  Older servers answer ``/predict`` with the list of
predictions directly; both shapes are read.

labelhub sends the image inline as a ``data:`` URI (``data.image``), so the server needs no
access to labelhub's storage; servers that only fetch http(s) URLs can be given
``config.image_url_template`` (e.g. ``https://files.example/{filename}``).
"""

from __future__ import annotations

import base64
import math
from typing import Any
from xml.sax.saxutils import quoteattr

import httpx

from labelhub.core.errors import InvalidInput, ServiceUnavailable
from labelhub.core.models import Detection, ImageInput, ModelInfo, ModelSpec


def label_config(classes: tuple[str, ...]) -> str:
    labels = "".join(f"<Label value={quoteattr(c)}/>" for c in classes)
    return (
        '<View><Image name="image" value="$image"/>'
        f'<RectangleLabels name="label" toName="image">{labels}</RectangleLabels>'
        f'<PolygonLabels name="polygon" toName="image">{labels}</PolygonLabels></View>'
    )


class LabelStudioBackend:
    def __init__(self, spec: ModelSpec, *, transport: httpx.BaseTransport | None = None) -> None:
        self.url = spec.uri.rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise InvalidInput(f"A model server URL must start with http:// or https://, got {spec.uri!r}.")
        self.classes = spec.classes
        self.timeout = float(spec.config.get("timeout_seconds", 30.0))
        headers = {str(k): str(v) for k, v in dict(spec.config.get("headers") or {}).items()}
        self.template = spec.config.get("image_url_template")
        self.client = httpx.Client(timeout=self.timeout, headers=headers, transport=transport)
        self.info = ModelInfo(self.classes, spec.version or "unknown")

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            r = self.client.request(method, self.url + path, json=body)
        except httpx.TimeoutException:
            raise ServiceUnavailable(
                f"The model server at {self.url} did not answer {path} within {self.timeout:g} s; "
                "check that it is running and not overloaded, or raise config.timeout_seconds."
            ) from None
        except httpx.HTTPError as e:
            raise ServiceUnavailable(f"The model server at {self.url} is not reachable ({e}); check the URL.") from None
        if r.status_code >= 400:
            raise ServiceUnavailable(
                f"The model server at {self.url} answered {path} with HTTP {r.status_code}: {r.text[:300]}"
            )
        try:
            return r.json()
        except ValueError:
            raise ServiceUnavailable(
                f"The model server at {self.url} answered {path} with something not JSON."
            ) from None

    def inspect(self) -> ModelInfo:
        health = self._call("GET", "/health")
        if not isinstance(health, dict) or str(health.get("status", "")).upper() not in ("UP", "OK"):
            raise ServiceUnavailable(f"The model server at {self.url} reports it is not ready: {health!r}.")
        setup = self._call(
            "POST",
            "/setup",
            {"project": "labelhub", "schema": label_config(self.classes), "hostname": "", "access_token": ""},
        )
        version = str(setup.get("model_version") or "unknown") if isinstance(setup, dict) else "unknown"
        self.info = ModelInfo(self.classes, version)
        return self.info

    def _image_ref(self, image: ImageInput) -> str:
        if self.template:
            return str(self.template).format(filename=image.filename)
        return f"data:{image.mime_type};base64,{base64.b64encode(image.data).decode()}"

    def detect(self, image: ImageInput) -> list[Detection]:
        body = {
            "tasks": [{"id": 1, "data": {"image": self._image_ref(image)}}],
            "project": "labelhub",
            "label_config": label_config(self.classes),
            "params": {"context": None},
        }
        answer = self._call("POST", "/predict", body)
        predictions = answer.get("results", []) if isinstance(answer, dict) else answer
        if not isinstance(predictions, list):
            raise ServiceUnavailable(f"The model server at {self.url} answered /predict without a 'results' list.")
        version = answer.get("model_version") if isinstance(answer, dict) else None
        if version:
            self.info = ModelInfo(self.classes, str(version))
        found: list[Detection] = []
        for p in predictions[:1]:  # one task sent, one prediction back
            regions = p.get("result", []) if isinstance(p, dict) else []
            default = float(p.get("score") or 1.0) if isinstance(p, dict) else 1.0
            for region in regions:
                d = region_to_detection(region, image.width, image.height, default)
                if d is not None:
                    found.append(d)
        return found

    def close(self) -> None:
        self.client.close()


def region_to_detection(region: Any, width: int, height: int, default_score: float) -> Detection | None:
    """One Label Studio result region as a detection in pixels; None for kinds Auto Detect does not use."""
    if not isinstance(region, dict) or not isinstance(region.get("value"), dict):
        return None
    v, kind = region["value"], str(region.get("type", ""))
    labels = v.get(kind) or v.get("labels") or []
    if not labels:
        return None
    score = region.get("score", default_score)
    score = min(max(float(score if score is not None else default_score), 0.0), 1.0)
    fx, fy = width / 100, height / 100  # percent of the image -> pixels
    if kind == "rectanglelabels":
        x, y, bw, bh = (float(v[k]) for k in ("x", "y", "width", "height"))
        rot = float(v.get("rotation") or 0.0)
        if abs(rot) > 1e-6:  # Label Studio rotates about the top-left corner
            c, s = math.cos(math.radians(rot)), math.sin(math.radians(rot))
            pts = [(x + dx * c - dy * s, y + dx * s + dy * c) for dx, dy in ((0, 0), (bw, 0), (bw, bh), (0, bh))]
            return Detection(
                str(labels[0]), score, {"type": "polygon", "points_xy": [[px * fx, py * fy] for px, py in pts]}
            )
        return Detection(
            str(labels[0]), score, {"type": "bbox", "xyxy": [x * fx, y * fy, (x + bw) * fx, (y + bh) * fy]}
        )
    if kind == "polygonlabels":
        ring = [[float(px) * fx, float(py) * fy] for px, py in v.get("points", [])]
        return Detection(str(labels[0]), score, {"type": "polygon", "points_xy": ring}) if len(ring) >= 3 else None
    return None


__all__ = ["LabelStudioBackend", "label_config", "region_to_detection"]
