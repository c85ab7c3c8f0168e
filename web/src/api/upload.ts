import type { Asset } from "./client";
import { API_BASE, ApiError, csrfHeaders, problemMessage } from "./client";

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Uploads one file as multipart form data to POST /projects/{id}/assets. XMLHttpRequest rather
 * than fetch because only it reports upload progress.
 */
export function uploadFile(projectId: number, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<Asset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE}/projects/${projectId}/assets`);
    for (const [k, v] of Object.entries(csrfHeaders("POST"))) xhr.setRequestHeader(k, v);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as Asset);
      else reject(new ApiError(xhr.status, problemMessage(xhr.status, xhr.response)));
    };
    xhr.onerror = () => reject(new ApiError(0, "Cannot reach the server."));
    xhr.onabort = () => reject(new ApiError(0, "Upload cancelled."));
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
