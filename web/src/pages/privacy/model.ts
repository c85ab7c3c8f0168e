/**
 * Pure logic of the privacy screens: the de-identification report (GET /deid-reports/{id}) read
 * defensively, its per-file rows, filters and the report id an import names.  Reports carry
 * attribute keywords and counts, never a value (docs/medical.md).
 */

type Json = Record<string, unknown>;

export type FileStatus = "ok" | "quarantined" | "rejected" | "stored_without_deidentification";
export type StatusFilter = "all" | "ok" | "quarantined" | "rejected";

export interface ReportSummary {
  files: number;
  stored: number;
  quarantined: number;
  rejected: number;
  warnings: string[];
  profile: string;
  deidentified: boolean;
  dates: string;
}

export interface ReportRow {
  index: number;
  /** The file name as stored (replaced by dicom-N.dcm when it carried an identifying value). */
  file: string;
  status: FileStatus;
  reason: string;
  removed: number;
  replaced: number;
  kept: number;
  /** Attribute keywords per action, for the row's details. */
  lists: [string, string[]][];
  /** null when the file was never de-identified (rejected before, or de-identification off). */
  verified: boolean | null;
  valuesChecked: number;
  failedElements: string[];
}

export interface DeidReport {
  id: string;
  projectId: number | null;
  summary: ReportSummary;
  rows: ReportRow[];
}

const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Attribute lists of a file entry, in the order the viewer shows them (label, key). */
export const LISTS: [string, string][] = [
  ["Removed", "removed"],
  ["Emptied", "emptied"],
  ["Dummy value", "dummied"],
  ["Cleaned", "cleaned"],
  ["UID replaced", "uids_replaced"],
  ["Date shifted", "dates_shifted"],
  ["Private kept", "private_kept"],
];

const REASONS: Record<string, string> = {
  burned_in_annotation: "suspected burned-in annotation",
  phi_scan_failed: "identifying values survived de-identification (not stored)",
};

/** A reason code (or a rejection's message) as a person reads it. */
export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

function row(e: Json, n: number): ReportRow {
  const counts = obj(e.counts);
  const c = (k: string) => (k in counts ? num(counts[k]) : strings(e[k]).length);
  const v = e.verification === undefined ? null : obj(e.verification);
  const status = str(e.status) as FileStatus;
  return {
    index: typeof e.index === "number" ? e.index : n,
    file: str(e.file) || `file ${n + 1}`,
    status: status || "rejected",
    reason: str(e.reason) || str(e.error),
    removed: c("removed") + num(counts.private_removed),
    replaced: c("emptied") + c("dummied") + c("cleaned") + c("uids_replaced") + c("dates_shifted"),
    kept: num(counts.kept) + c("private_kept"),
    lists: LISTS.map(([label, key]): [string, string[]] => [label, strings(e[key])]).filter(([, l]) => l.length > 0),
    verified: v === null ? null : v.passed === true,
    valuesChecked: v === null ? 0 : num(v.values_checked),
    failedElements: v === null ? [] : strings(v.elements),
  };
}

/** The report as the viewer uses it; missing or odd fields become zeros and empty lists. */
export function parseReport(raw: unknown): DeidReport {
  const r = obj(raw);
  const s = obj(r.summary);
  const rows = (Array.isArray(r.files) ? r.files : []).map((e, n) => row(obj(e), n));
  return {
    id: str(r.id),
    projectId: typeof r.project_id === "number" ? r.project_id : null,
    summary: {
      files: "files" in s ? num(s.files) : rows.length,
      stored: num(s.stored_assets),
      quarantined: num(s.quarantined),
      rejected: "rejected" in s ? num(s.rejected) : rows.filter((x) => x.status === "rejected").length,
      warnings: strings(s.warnings),
      profile: str(s.profile),
      deidentified: s.deidentified !== false,
      dates: str(s.dates),
    },
    rows,
  };
}

/** The summary's figures as label/value pairs (the compact card and the viewer's head). */
export function summaryFacts(s: ReportSummary): [string, number][] {
  return [
    ["files", s.files],
    ["stored", s.stored],
    ["quarantined", s.quarantined],
    ["rejected", s.rejected],
  ];
}

/** Rows with this status ("ok" also covers files stored without de-identification). */
export function filterRows(rows: ReportRow[], filter: StatusFilter): ReportRow[] {
  if (filter === "all") return rows;
  if (filter === "ok") return rows.filter((r) => r.status === "ok" || r.status === "stored_without_deidentification");
  return rows.filter((r) => r.status === filter);
}

/** How many rows each filter shows (the filter buttons' counts). */
export function statusCounts(rows: ReportRow[]): Record<StatusFilter, number> {
  return {
    all: rows.length,
    ok: filterRows(rows, "ok").length,
    quarantined: filterRows(rows, "quarantined").length,
    rejected: filterRows(rows, "rejected").length,
  };
}

/** The de-identification report an import names: a zip job's result (`deid_report`) or a refused single upload's problem (`report`). */
export function reportIdOf(source: unknown): string | null {
  const o = obj(source);
  const id = str(o.deid_report) || str(o.report);
  return /^[0-9a-f-]{32,36}$/i.test(id) ? id : null;
}

/** Same-origin URL of the report JSON (the Download link's href). */
export const reportUrl = (id: string) => `/api/v1/deid-reports/${encodeURIComponent(id)}`;

/** File name for the downloaded report. */
export const reportFilename = (id: string) => `deid-report-${id}.json`;

/** The row of `report` describing a stored asset (by its stored file name), for a quarantined asset's reason. */
export function rowForAsset(report: DeidReport, filename: string): ReportRow | undefined {
  return report.rows.find((r) => r.file === filename) ?? (report.rows.length === 1 ? report.rows[0] : undefined);
}

/** Files a single upload or a zip should go to: zips to the import job, the rest one by one. */
export const isZip = (name: string) => /\.zip$/i.test(name);

/** True for uploads worth asking the server's de-identification report about. */
export const isDicomUpload = (name: string, mime: string | null | undefined) => mime === "application/dicom" || /\.(dcm|dicom)$/i.test(name);

/** Quarantined files split by what happened to them: held (stored, waiting for a manager) or not stored (the verification scan failed). */
export function quarantineSplit(report: DeidReport): { held: number; notStored: number } {
  const q = report.rows.filter((r) => r.status === "quarantined");
  const notStored = q.filter((r) => r.reason === "phi_scan_failed" || r.verified === false).length;
  return { held: q.length - notStored, notStored };
}
