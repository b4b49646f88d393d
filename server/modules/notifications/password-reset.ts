import { inTransaction } from "../../db/database.ts";
import { appendAudit } from "../../platform/audit.ts";
import { systemContext } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { TooManyRequests, Unauthorized } from "../../platform/errors.ts";
import { textToHtml } from "../../platform/html.ts";
import { hashPassword, randomToken, sha256 } from "../../platform/secrets.ts";
import { publicUrlOf } from "../../platform/urls.ts";
import { queueMail, storedSmtp } from "../email/index.ts";

const TOKEN_MINUTES = 30;
const PER_ACCOUNT_PER_HOUR = 3;
const PER_ADDRESS_PER_HOUR = 20;

export const RESET_ANSWER =
  "If an account with a password exists for this address, a link to choose a new password is on its way. It works once, for 30 minutes.";

/**
 * A password-reset link for a local account. The answer is the same whether or not the account
 * exists; every request is recorded (an unknown address too) so the per-address limit counts them
 * all, and the per-account limit quietly stops further mail.
 */
export async function requestPasswordReset(
  deps: Deps,
  input: { email: string },
  client: { ip: string },
): Promise<{ message: string }> {
  const now = deps.now();
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const email = input.email.trim().toLowerCase();
  const byIp = await deps.db
    .selectFrom("password_resets")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("ip", "=", client.ip)
    .where("created_at", ">", hourAgo)
    .executeTakeFirstOrThrow();
  if (Number(byIp.n) >= PER_ADDRESS_PER_HOUR) {
    throw new TooManyRequests("Too many password-reset requests from this address; try again in an hour", 3600);
  }
  const token = randomToken();
  await inTransaction(deps.db, async (tx) => {
    const user = await tx
      .selectFrom("users")
      .select(["id", "name", "email", "active", "password_hash"])
      .where("email", "=", email)
      .executeTakeFirst();
    const eligible = user?.active && user.password_hash !== null ? user : null;
    let send = eligible !== null;
    if (eligible) {
      const recent = await tx
        .selectFrom("password_resets")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("user_id", "=", eligible.id)
        .where("created_at", ">", hourAgo)
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= PER_ACCOUNT_PER_HOUR) send = false;
    }
    await tx
      .insertInto("password_resets")
      .values({
        token_hash: sha256(token),
        user_id: send ? (eligible?.id ?? null) : null,
        ip: client.ip,
        expires_at: new Date(now.getTime() + TOKEN_MINUTES * 60_000),
        used_at: send ? null : now,
        created_at: now,
      })
      .execute();
    if (!send || !eligible) return;
    const smtp = await storedSmtp(tx);
    if (!smtp.from) {
      deps.log.warn("password reset requested, but no outgoing mail server is set up");
      return;
    }
    const link = `${publicUrlOf(deps.config)}/reset-password#token=${encodeURIComponent(token)}`;
    const text = `Hello ${eligible.name},\n\nSomeone (we hope you) asked to reset the password of your Steward account. To choose a new one, open this link within ${TOKEN_MINUTES} minutes; it works once:\n\n${link}\n\nIf you did not ask, ignore this mail: your password stays as it is.`;
    await queueMail(deps, tx, {
      kind: "password_reset",
      automatic: "auto-generated",
      capped: false,
      ticketId: null,
      articleId: null,
      from: { name: "Steward", address: smtp.from },
      to: [{ name: eligible.name, address: eligible.email }],
      subject: "Reset your Steward password",
      html: textToHtml(text, { links: true }),
      text,
      dedupeKey: `password_reset:${sha256(token)}`,
    });
    await appendAudit(tx, systemContext([], "web"), {
      action: "user.password_reset_requested",
      entityType: "user",
      entityId: eligible.id,
      changes: { ip: [null, client.ip] },
    });
  });
  return { message: RESET_ANSWER };
}

/** Sets the new password with a valid link: once, before it expires; every session of the account ends. */
export async function confirmPasswordReset(deps: Deps, input: { token: string; password: string }) {
  const now = deps.now();
  await inTransaction(deps.db, async (tx) => {
    const row = await tx
      .selectFrom("password_resets")
      .selectAll()
      .where("token_hash", "=", sha256(input.token))
      .forUpdate()
      .executeTakeFirst();
    const user = row?.user_id
      ? await tx.selectFrom("users").select(["id", "active"]).where("id", "=", row.user_id).executeTakeFirst()
      : undefined;
    if (!row || row.used_at || row.expires_at <= now || !user?.active) {
      // Like a wrong password at sign-in: the credential (the link) is refused.
      throw new Unauthorized("This password-reset link is invalid, was used already or has expired; ask for a new one");
    }
    // Hashed only for a valid link: a public route must not spend a password hash on every guess.
    const hash = await hashPassword(input.password);
    await tx.updateTable("users").set({ password_hash: hash, updated_at: now }).where("id", "=", user.id).execute();
    // This link and any other outstanding one for the account are spent; signed-in sessions end.
    await tx
      .updateTable("password_resets")
      .set({ used_at: now })
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    await tx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await appendAudit(tx, systemContext([], "web"), {
      action: "user.password_reset",
      entityType: "user",
      entityId: user.id,
      changes: { password: ["set", "changed"] },
    });
  });
}
