import { API_BASE, ApiError, csrfHeaders, problemMessage } from "../../api";

/**
 * POST one file as multipart `file` with upload progress.  Unlike `uploadFile`, a refusal keeps
 * the server's problem body (a refused DICOM names its de-identification report there).
 */
export function postFile<T>(path: string, file: File, onProgress: (loaded: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE}${path}`);
    for (const [k, v] of Object.entries(csrfHeaders("POST"))) xhr.setRequestHeader(k, v);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, problemMessage(xhr.status, body), body && typeof body === "object" ? (body as Record<string, unknown>) : {}));
    };
    xhr.onerror = () => reject(new ApiError(0, "Cannot reach the server."));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
