import type { Executor, Tx } from "../../db/database.ts";
import type { RequestContext } from "../../platform/context.ts";
import { recordChange } from "../../platform/events.ts";
import * as repo from "./repository.ts";

export interface MailSender {
  id: string;
  kind: "agent" | "customer";
  active: boolean;
  organizationId: string | null;
  name: string;
  email: string;
}

/**
 * The user behind a sender address. An unknown sender becomes a customer of the organization
 * whose domains include the address's domain (or of none) when `create`; otherwise null.
 * A concurrent intake of the same new sender is absorbed by the unique e-mail.
 */
export async function userForSender(
  tx: Tx,
  ctx: RequestContext,
  sender: { address: string; name: string },
  create: boolean,
): Promise<MailSender | null> {
  const email = sender.address.toLowerCase();
  const found = await repo.findUserByEmail(tx, email);
  if (found) return toSender(found);
  if (!create) return null;
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const organization = await organizationByDomain(tx, domain);
  const name = sender.name.trim().slice(0, 200) || email.slice(0, email.lastIndexOf("@"));
  const row = await tx
    .insertInto("users")
    .values({ email, name, kind: "customer", admin: false, organization_id: organization, password_hash: null })
    .onConflict((oc) => oc.column("email").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const again = await repo.findUserByEmail(tx, email);
    return again ? toSender(again) : null;
  }
  await recordChange(tx, ctx, {
    entityType: "user",
    entityId: row.id,
    action: "created",
    before: null,
    after: { email, name, kind: "customer", organizationId: organization, source: "email" },
  });
  return toSender(row);
}

async function organizationByDomain(db: Executor, domain: string): Promise<string | null> {
  const row = await db
    .selectFrom("organizations")
    .select("id")
    .where("active", "=", true)
    .where((eb) => eb(eb.val(domain), "=", eb.fn.any("domains")))
    .orderBy("name")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

function toSender(row: {
  id: string;
  kind: "agent" | "customer";
  active: boolean;
  organization_id: string | null;
  name: string;
  email: string;
}): MailSender {
  return {
    id: row.id,
    kind: row.kind,
    active: row.active,
    organizationId: row.organization_id,
    name: row.name,
    email: row.email,
  };
}
