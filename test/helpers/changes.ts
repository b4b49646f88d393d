import { expect } from "vitest";
import { type Client, unique } from "./api.ts";

/** "No" to every question of the current risk questionnaire. */
export async function noRisk(client: Client): Promise<Record<string, boolean>> {
  const settings = (await client.get("/api/v1/change-settings")).json() as { riskQuestions: { id: string }[] };
  return Object.fromEntries(settings.riskQuestions.map((q) => [q.id, false]));
}

/** A standard-change template, approved by `admin` (a change manager); returns its id. */
export async function approvedTemplate(admin: Client, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.post("/api/v1/change-templates", {
    name: unique("Template"),
    title: "Routine change",
    durationMinutes: 60,
    implementationPlan: "Follow the runbook",
    rollbackPlan: "Undo per the runbook",
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const approved = await admin.post(`/api/v1/change-templates/${res.json().id}/approve`);
  expect(approved.statusCode, approved.body).toBe(200);
  return res.json().id;
}
