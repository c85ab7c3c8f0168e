import { useEffect, useState } from "react";
import type { Job } from "../../api";
import { api, must } from "../../api";

export const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** A job being watched: polls GET /jobs/{id} every half second until it finishes. */
export function useJob(onError: (e: unknown) => void): [Job | null, (job: Job | null) => void] {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (!job || FINISHED.has(job.state)) return;
    const t = window.setTimeout(() => {
      must(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: job.id } } })).then(setJob, onError);
    }, 500);
    return () => window.clearTimeout(t);
  }, [job, onError]);
  return [job, setJob];
}

export const jobPercent = (job: Job | null) =>
  job?.progress_total ? Math.round((100 * job.progress_done) / job.progress_total) : job?.state === "succeeded" ? 100 : 0;

export const jobRunning = (job: Job | null) => job !== null && !FINISHED.has(job.state);
