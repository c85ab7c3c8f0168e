import { describe, expect, it } from "vitest";
import { filterRows, isDicomUpload, isZip, parseReport, quarantineSplit, reasonText, reportIdOf, reportUrl, rowForAsset, statusCounts, summaryFacts } from "../src/pages/privacy/model";

const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

/** The shape services/medical_ingest.py writes (values made up; keywords only, never values). */
const RAW = {
  id: ID,
  project_id: 7,
  summary: {
    files: 4,
    stored_assets: 2,
    quarantined: 1,
    rejected: 1,
    warnings: ["series 1: slice gap"],
    profile: "DICOM PS3.15 E.1-1 Basic Application Level Confidentiality Profile",
    deidentified: true,
    dates: "removed",
  },
  files: [
    {
      index: 0,
      file: "ct-0.dcm",
      status: "ok",
      reason: null,
      removed: ["InstitutionName", "OtherPatientIDs"],
      emptied: ["PatientName", "PatientID"],
      dummied: ["StudyDate"],
      cleaned: [],
      uids_replaced: ["SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID"],
      dates_shifted: [],
      private_kept: [],
      counts: { removed: 2, emptied: 2, dummied: 1, cleaned: 0, uids_replaced: 3, dates_shifted: 0, private_kept: 0, private_removed: 4, kept: 50 },
      verification: { values_checked: 12, passed: true, elements: [] },
    },
    { index: 2, file: "dicom-3.dcm", status: "quarantined", reason: "burned_in_annotation", removed: ["X"], counts: { removed: 1, kept: 9 }, verification: { values_checked: 3, passed: true, elements: [] } },
    { index: 1, file: "ct-1.dcm", status: "rejected", error: "ct-1.dcm is truncated or corrupt (x): re-export it and upload again" },
    { index: 3, file: "leak.dcm", status: "quarantined", reason: "phi_scan_failed", counts: {}, verification: { values_checked: 5, passed: false, elements: ["ImageComments"] } },
  ],
};

describe("de-identification report", () => {
  const r = parseReport(RAW);

  it("reads the summary", () => {
    expect(r.id).toBe(ID);
    expect(r.projectId).toBe(7);
    expect(summaryFacts(r.summary)).toEqual([
      ["files", 4],
      ["stored", 2],
      ["quarantined", 1],
      ["rejected", 1],
    ]);
    expect(r.summary.dates).toBe("removed");
    expect(r.summary.warnings).toHaveLength(1);
  });

  it("counts removed (with private), replaced and kept per file", () => {
    const ok = r.rows[0];
    if (!ok) throw new Error("no row");
    expect([ok.removed, ok.replaced, ok.kept]).toEqual([6, 6, 50]);
    expect(ok.verified).toBe(true);
    expect(ok.lists.map(([label]) => label)).toEqual(["Removed", "Emptied", "Dummy value", "UID replaced"]);
    const rejected = r.rows[2];
    if (!rejected) throw new Error("no row");
    expect(rejected.status).toBe("rejected");
    expect(rejected.reason).toMatch(/truncated/);
    expect(rejected.verified).toBeNull();
    expect(r.rows[3]?.failedElements).toEqual(["ImageComments"]);
  });

  it("filters by status and counts each filter", () => {
    expect(filterRows(r.rows, "all")).toHaveLength(4);
    expect(filterRows(r.rows, "quarantined").map((x) => x.file)).toEqual(["dicom-3.dcm", "leak.dcm"]);
    expect(filterRows(r.rows, "ok").map((x) => x.file)).toEqual(["ct-0.dcm"]);
    expect(statusCounts(r.rows)).toEqual({ all: 4, ok: 1, quarantined: 2, rejected: 1 });
    const off = parseReport({ files: [{ file: "a.dcm", status: "stored_without_deidentification" }] });
    expect(filterRows(off.rows, "ok")).toHaveLength(1);
  });

  it("tells held files from files that were not stored", () => {
    expect(quarantineSplit(r)).toEqual({ held: 1, notStored: 1 });
    expect(quarantineSplit(parseReport({}))).toEqual({ held: 0, notStored: 0 });
  });

  it("survives a malformed body", () => {
    const empty = parseReport(null);
    expect(empty.rows).toEqual([]);
    expect(summaryFacts(empty.summary).every(([, n]) => n === 0)).toBe(true);
    expect(parseReport({ files: [{}] }).rows[0]?.file).toBe("file 1");
  });

  it("finds a quarantined asset's row by stored name", () => {
    expect(rowForAsset(r, "dicom-3.dcm")?.reason).toBe("burned_in_annotation");
    expect(rowForAsset(r, "other.dcm")).toBeUndefined();
    expect(reasonText("burned_in_annotation")).toBe("suspected burned-in annotation");
    expect(reasonText("something else")).toBe("something else");
  });
});

describe("imports naming a report", () => {
  it("takes the id from a job result or a problem body, and nothing else", () => {
    expect(reportIdOf({ imported: 3, deid_report: ID })).toBe(ID);
    expect(reportIdOf({ detail: "x", report: ID, quarantined: true })).toBe(ID);
    expect(reportIdOf({ imported: 3 })).toBeNull();
    expect(reportIdOf({ report: "../../secrets/x" })).toBeNull();
    expect(reportIdOf(null)).toBeNull();
    expect(reportUrl(ID)).toBe(`/api/v1/deid-reports/${ID}`);
  });

  it("routes zips to the import job and spots DICOM uploads", () => {
    expect(isZip("series.ZIP")).toBe(true);
    expect(isZip("a.dcm")).toBe(false);
    expect(isDicomUpload("IM0001", "application/dicom")).toBe(true);
    expect(isDicomUpload("x.dcm", null)).toBe(true);
    expect(isDicomUpload("x.png", "image/png")).toBe(false);
  });
});
