import { PERMISSIONS } from "../../../common/permissions.ts";
import { inTransaction } from "../../db/database.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { recordChange } from "../../platform/events.ts";
import { generatePassword, hashPassword } from "../../platform/secrets.ts";
import * as repo from "./repository.ts";

export interface AdminResult {
  email: string;
  /** Set when Steward chose the password: it is shown once, never stored in clear. */
  generatedPassword: string | null;
  created: boolean;
}

/**
 * Creates an administrator, or (for an existing account) makes it an active
 * administrator with the given password: the operator's way back in.
 */
export async function createAdmin(
  deps: Pick<Deps, "db">,
  input: { email: string; password?: string | undefined; name?: string | undefined },
  source: "system" | "cli" = "cli",
): Promise<AdminResult> {
  const email = input.email.trim().toLowerCase();
  const generatedPassword = input.password ? null : generatePassword();
  const password = input.password ?? (generatedPassword as string);
  if (password.length < 12) throw new Error("The administrator password must be at least 12 characters");
  const passwordHash = await hashPassword(password);
  const ctx = systemContext(PERMISSIONS, source);
  return inTransaction(deps.db, async (tx) => {
    const existing = await repo.findUserByEmail(tx, email);
    if (existing) {
      if (existing.kind !== "agent") throw new Error(`${email} is a customer account; use another e-mail`);
      const updated = await tx
        .updateTable("users")
        .set({
          admin: true,
          active: true,
          password_hash: passwordHash,
          version: existing.version + 1,
          updated_at: new Date(),
        })
        .where("id", "=", existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordChange(tx, ctx, {
        entityType: "user",
        entityId: existing.id,
        action: "updated",
        before: { admin: existing.admin, active: existing.active },
        after: { admin: updated.admin, active: updated.active, password: "changed" },
      });
      return { email, generatedPassword, created: false };
    }
    const row = await tx
      .insertInto("users")
      .values({ email, name: input.name ?? "Administrator", kind: "agent", admin: true, password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(tx, ctx, {
      entityType: "user",
      entityId: row.id,
      action: "created",
      before: null,
      after: { email, name: row.name, kind: "agent", admin: true, active: true, password: "set" },
    });
    return { email, generatedPassword, created: true };
  });
}

/** On first start (no administrator yet) creates one from the environment, or admin@localhost. */
export async function ensureFirstAdmin(
  deps: Pick<Deps, "db">,
  env: { email?: string | undefined; password?: string | undefined },
): Promise<AdminResult | null> {
  const any = await deps.db.selectFrom("users").select("id").where("admin", "=", true).limit(1).executeTakeFirst();
  if (any) return null;
  return createAdmin(deps, { email: env.email ?? "admin@localhost", password: env.password }, "system");
}
