import { describe, expect, it } from "vitest";
import { binLabel, dailyBars } from "../src/pages/Histogram";

describe("dailyBars", () => {
  it("gives one bar per day, zero where the server sent nothing, oldest first", () => {
    const bars = dailyBars(
      [
        { day: "2026-11-20", submitted: 4 },
        { day: "2026-11-26", submitted: 9 },
      ],
      "2026-11-26",
      10,
    );
    expect(bars).toHaveLength(10);
    expect(bars.map((b) => b.count)).toEqual([0, 0, 0, 4, 0, 0, 0, 0, 0, 9]);
    expect(bars[9]?.title).toBe("2026-11-26: 9 submitted");
  });

  it("labels today and every seventh day before it, across a month end", () => {
    const bars = dailyBars([], "2026-12-02", 15);
    expect(bars.filter((b) => b.label).map((b) => b.label)).toEqual(["11-18", "11-25", "12-02"]);
  });

  it("drops days outside the window", () => {
    const bars = dailyBars([{ day: "2026-01-01", submitted: 3 }], "2026-11-26", 30);
    expect(bars.every((b) => b.count === 0)).toBe(true);
  });
});

describe("binLabel", () => {
  it("shows open-ended bins with ≥", () => {
    expect(binLabel({ from: 60, to: 120, count: 1 })).toBe("1m–2m");
    expect(binLabel({ from: 3600, to: null, count: 1 })).toBe("≥1h");
  });
});
