import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import doc from "../openapi.json?raw";
import schemaFile from "../src/api/schema.d.ts?raw";
import { csrfHeaders, problemMessage, readCookie } from "../src/api/client";

describe("generated API client", () => {
  it("src/api/schema.d.ts is what `npm run api:generate` makes from openapi.json", async () => {
    const expected = astToString(await openapiTS(doc, { defaultNonNullable: false }));
    expect(schemaFile.endsWith(expected), "schema.d.ts is stale: run `npm run api:generate`").toBe(true);
  }, 20_000);

  it("reads the CSRF cookie and sends it only on unsafe methods", () => {
    expect(readCookie("lh_csrf", "a=1; lh_csrf=tok%3D1; b=2")).toBe("tok=1");
    expect(readCookie("missing", "a=1")).toBeNull();
    expect(csrfHeaders("GET")).toEqual({});
  });

  it("turns problem details and validation errors into one message", () => {
    expect(problemMessage(409, { title: "Conflict", detail: "Stale revision." })).toBe("Stale revision.");
    expect(problemMessage(422, { detail: [{ msg: "field required" }, { msg: "too long" }] })).toBe("field required; too long");
    expect(problemMessage(0, null)).toBe("Cannot reach the server.");
  });
});
