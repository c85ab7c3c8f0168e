export { api, call, must, ApiError, API_BASE, csrfHeaders, readCookie, problemMessage } from "./client";
export type { Schemas, Project, Task, TaskDetail, Asset, Job, User, Member, Token, Revision, Draft, ReviewEvent, Role } from "./client";
export { uploadFile } from "./upload";
export type { UploadProgress } from "./upload";
