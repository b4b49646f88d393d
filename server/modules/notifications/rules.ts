import type { NotificationRuleId } from "../../../common/notifications.ts";

/** Values a template can name: `{{ticket.number}}`. Every value is text, bounded in length. */
export type TemplateData = Record<string, Record<string, string>>;

export interface RuleDef {
  label: string;
  description: string;
  defaults: { email: boolean; inApp: boolean };
  /** Who may hold this rule: agents, or those who manage mail. */
  audience: "agent" | "mail.manage";
  subject: string;
  body: string;
  sample: TemplateData;
}

const ticket = {
  number: "INC-000123",
  title: "VPN drops every hour",
  priority: "P2",
  state: "Open",
  group: "Service desk",
  requester: "Jane Doe",
  link: "https://steward.example/tickets/0b0e8a52-8d57-4c8e-9a5e-61c2b1f0c5a1",
};
const change = {
  number: "CHG-000042",
  title: "Replace core switch sw-core-01",
  plannedStart: "2026-12-08 22:00 UTC",
  plannedEnd: "2026-12-09 01:00 UTC",
  risk: "high",
  link: "https://steward.example/changes/3f0c2c1e-9b7a-4bd2-9d5e-0a3c8c7f6b11",
};
const recipient = { name: "Alex Agent" };
const actor = { name: "Jane Doe" };

export const RULES: Record<NotificationRuleId, RuleDef> = {
  ticket_new_in_group: {
    label: "New ticket in my groups",
    description: "A ticket is created in a group you belong to.",
    defaults: { email: false, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] New: {{ticket.title}}",
    body: "Hello {{recipient.name}},\n\n{{actor.name}} opened {{ticket.number}} in {{ticket.group}}:\n{{ticket.title}} (priority {{ticket.priority}})\n\n{{ticket.link}}",
    sample: { ticket, recipient, actor },
  },
  ticket_assigned: {
    label: "Assigned to me",
    description: "A ticket is assigned to you by someone else.",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] Assigned to you: {{ticket.title}}",
    body: "Hello {{recipient.name}},\n\n{{actor.name}} assigned {{ticket.number}} to you:\n{{ticket.title}} (priority {{ticket.priority}})\n\n{{ticket.link}}",
    sample: { ticket, recipient, actor: { name: "Sam Lead" } },
  },
  customer_replied: {
    label: "Customer replied",
    description: "The requester answers a ticket assigned to you (or, unassigned, in your groups).",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] {{actor.name}} replied: {{ticket.title}}",
    body: "Hello {{recipient.name}},\n\n{{actor.name}} wrote on {{ticket.number}}:\n\n{{article.text}}\n\n{{ticket.link}}",
    sample: {
      ticket,
      recipient,
      actor,
      article: { text: "It dropped again at 10:02, right after the meeting started." },
    },
  },
  mentioned: {
    label: "Mentioned",
    description: "Someone writes @your-address in a note or reply on a ticket you can read.",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] {{actor.name}} mentioned you",
    body: "Hello {{recipient.name}},\n\n{{actor.name}} mentioned you on {{ticket.number}} ({{ticket.title}}):\n\n{{article.text}}\n\n{{ticket.link}}",
    sample: {
      ticket,
      recipient,
      actor: { name: "Sam Lead" },
      article: { text: "@alex.agent@example.com can you check the firewall log?" },
    },
  },
  sla_warning: {
    label: "SLA warning",
    description: "A ticket assigned to you (or, unassigned, in your groups) nears its SLA target.",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] SLA warning: {{sla.target}} due {{sla.dueAt}}",
    body: "Hello {{recipient.name}},\n\nThe {{sla.target}} target of {{ticket.number}} ({{ticket.title}}) is due {{sla.dueAt}}.\n\n{{ticket.link}}",
    sample: { ticket, recipient, actor, sla: { target: "resolution", dueAt: "2026-12-07 14:00 UTC" } },
  },
  sla_breach: {
    label: "SLA breach",
    description: "A ticket assigned to you (or, unassigned, in your groups) misses its SLA target.",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{ticket.number}}] SLA breached: {{sla.target}}",
    body: "Hello {{recipient.name}},\n\nThe {{sla.target}} target of {{ticket.number}} ({{ticket.title}}) was due {{sla.dueAt}} and is breached.\n\n{{ticket.link}}",
    sample: { ticket, recipient, actor, sla: { target: "resolution", dueAt: "2026-12-07 14:00 UTC" } },
  },
  approval_requested: {
    label: "Approval requested",
    description: "A change waits for your decision as a member of its CAB.",
    defaults: { email: true, inApp: true },
    audience: "agent",
    subject: "[{{change.number}}] Approval requested: {{change.title}}",
    body: "Hello {{recipient.name}},\n\n{{change.number}} ({{change.title}}) waits for your approval.\nPlanned {{change.plannedStart}} to {{change.plannedEnd}}, risk {{change.risk}}.\n\n{{change.link}}",
    sample: { recipient, actor, change },
  },
  change_starting: {
    label: "Change starting soon",
    description: "A scheduled change you own or implement starts within the hour.",
    defaults: { email: false, inApp: true },
    audience: "agent",
    subject: "[{{change.number}}] Starts {{change.plannedStart}}: {{change.title}}",
    body: "Hello {{recipient.name}},\n\n{{change.number}} ({{change.title}}) starts {{change.plannedStart}} and should end {{change.plannedEnd}}.\n\n{{change.link}}",
    sample: { recipient, actor, change },
  },
  mail_suppressed: {
    label: "Automatic mail stopped",
    description: "Automatic mail to an address stopped at the per-address or per-ticket caps (mail loop protection).",
    defaults: { email: false, inApp: true },
    audience: "mail.manage",
    subject: "Automatic mail to {{mail.address}} stopped",
    body: "Hello {{recipient.name}},\n\nAutomatic mail to {{mail.address}} stopped: {{mail.reason}}.\nSee Outgoing mail in the admin area.\n\n{{mail.link}}",
    sample: {
      recipient,
      actor,
      mail: {
        address: "printer@example.com",
        reason: "printer@example.com already had 40 automatic mails in 24 hours",
        link: "https://steward.example/admin/outgoing-mail",
      },
    },
  },
};

/** The variables a rule's templates may name, from its sample data. */
export function variablesOf(rule: NotificationRuleId): string[] {
  const out: string[] = [];
  for (const [scope, values] of Object.entries(RULES[rule].sample)) {
    for (const key of Object.keys(values)) out.push(`${scope}.${key}`);
  }
  return out;
}
