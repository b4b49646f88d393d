/**
 * The risk of a change: the questionnaire's weights for each "yes", plus what
 * the affected CIs hit (business services, their customers), the expected
 * outage and an emergency's short preparation. Each contribution is a reason
 * the person reading the score can check.
 */
export type RiskLevel = "low" | "medium" | "high" | "very_high";

export interface RiskModel {
  questions: readonly { id: string; text: string; weight: number }[];
  thresholds: { medium: number; high: number; veryHigh: number };
}

export interface RiskInput {
  type: "standard" | "normal" | "emergency";
  answers: Readonly<Record<string, boolean>>;
  outage: { kind: "none" | "partial" | "full"; minutes?: number | undefined };
  services: number;
  organizations: number;
}

export interface RiskResult {
  score: number;
  level: RiskLevel;
  reasons: { label: string; points: number }[];
  unanswered: string[];
}

/** Points per business service hit, and the most services count for. */
export const SERVICE_POINTS = 8;
export const SERVICE_CAP = 32;
/** Points per customer organization subscribed to a hit service, and the cap. */
export const CUSTOMER_POINTS = 4;
export const CUSTOMER_CAP = 16;
export const OUTAGE_POINTS = { none: 0, partial: 6, full: 15 } as const;
export const EMERGENCY_POINTS = 10;

export function riskLevel(score: number, t: RiskModel["thresholds"]): RiskLevel {
  if (score >= t.veryHigh) return "very_high";
  if (score >= t.high) return "high";
  if (score >= t.medium) return "medium";
  return "low";
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

export function assessRisk(model: RiskModel, input: RiskInput): RiskResult {
  const reasons: { label: string; points: number }[] = [];
  const unanswered: string[] = [];
  for (const q of model.questions) {
    const a = input.answers[q.id];
    if (a === undefined) unanswered.push(q.id);
    else if (a && q.weight > 0) reasons.push({ label: q.text, points: q.weight });
  }
  if (input.services > 0) {
    reasons.push({
      label: `Hits ${plural(input.services, "business service")}`,
      points: Math.min(SERVICE_CAP, input.services * SERVICE_POINTS),
    });
  }
  if (input.organizations > 0) {
    reasons.push({
      label: `${plural(input.organizations, "customer organization")} subscribed to them`,
      points: Math.min(CUSTOMER_CAP, input.organizations * CUSTOMER_POINTS),
    });
  }
  if (input.outage.kind !== "none") {
    const minutes = input.outage.minutes ? ` for ${input.outage.minutes} min` : "";
    reasons.push({ label: `Expected ${input.outage.kind} outage${minutes}`, points: OUTAGE_POINTS[input.outage.kind] });
  }
  if (input.type === "emergency") {
    reasons.push({ label: "Emergency: little time to prepare and test", points: EMERGENCY_POINTS });
  }
  const score = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score, level: riskLevel(score, model.thresholds), reasons, unanswered };
}
