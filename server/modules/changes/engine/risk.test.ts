import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessRisk, CUSTOMER_CAP, type RiskInput, type RiskModel, riskLevel, SERVICE_CAP } from "./risk.ts";

const model: RiskModel = {
  questions: [
    { id: "a", text: "First time?", weight: 15 },
    { id: "b", text: "Untested?", weight: 10 },
    { id: "c", text: "Zero weight", weight: 0 },
  ],
  thresholds: { medium: 20, high: 40, veryHigh: 70 },
};

const base: RiskInput = { type: "normal", answers: {}, outage: { kind: "none" }, services: 0, organizations: 0 };

const inputs = fc.record({
  type: fc.constantFrom("standard", "normal", "emergency") as fc.Arbitrary<RiskInput["type"]>,
  answers: fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }, { requiredKeys: [] }),
  outage: fc.record({ kind: fc.constantFrom("none", "partial", "full") as fc.Arbitrary<"none" | "partial" | "full"> }),
  services: fc.nat(50),
  organizations: fc.nat(50),
});

describe("change risk", () => {
  it("adds the weight of each yes and names it, and lists the unanswered questions", () => {
    const r = assessRisk(model, { ...base, answers: { a: true, b: false } });
    expect(r.score).toBe(15);
    expect(r.level).toBe("low");
    expect(r.reasons).toEqual([{ label: "First time?", points: 15 }]);
    expect(r.unanswered).toEqual(["c"]);
  });

  it("counts services, customers, outage and emergency, capped", () => {
    const r = assessRisk(model, {
      type: "emergency",
      answers: { a: true, b: true, c: true },
      outage: { kind: "full", minutes: 30 },
      services: 2,
      organizations: 100,
    });
    expect(r.reasons.map((x) => x.label)).toEqual([
      "First time?",
      "Untested?",
      "Hits 2 business services",
      "100 customer organizations subscribed to them",
      "Expected full outage for 30 min",
      "Emergency: little time to prepare and test",
    ]);
    expect(r.score).toBe(15 + 10 + 16 + CUSTOMER_CAP + 15 + 10);
    expect(r.level).toBe("very_high");
  });

  it("levels at the thresholds, inclusive", () => {
    const t = model.thresholds;
    expect([19, 20, 39, 40, 69, 70].map((s) => riskLevel(s, t))).toEqual([
      "low",
      "medium",
      "medium",
      "high",
      "high",
      "very_high",
    ]);
  });

  it("the score is the sum of its reasons, and never falls when a yes, a service or a customer is added", () => {
    const order = ["low", "medium", "high", "very_high"];
    fc.assert(
      fc.property(inputs, fc.constantFrom("a", "b", "c"), (input, q) => {
        const r = assessRisk(model, input);
        expect(r.score).toBe(r.reasons.reduce((s, x) => s + x.points, 0));
        expect(r.score).toBeLessThanOrEqual(25 + SERVICE_CAP + CUSTOMER_CAP + 15 + 10);
        for (const more of [
          { ...input, answers: { ...input.answers, [q]: true } },
          { ...input, services: input.services + 1 },
          { ...input, organizations: input.organizations + 1 },
        ]) {
          const m = assessRisk(model, more);
          expect(m.score).toBeGreaterThanOrEqual(r.score);
          expect(order.indexOf(m.level)).toBeGreaterThanOrEqual(order.indexOf(r.level));
        }
      }),
    );
  });
});
