import path from "node:path";
import { z } from "zod";

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default("0.0.0.0"),
  databaseUrl: z.string().url().optional(),
  dataDir: z.string().default("./data"),
  adminEmail: z.email().optional(),
  adminPassword: z.string().min(12, "must be at least 12 characters").optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Marks cookies Secure; on by default unless explicitly off (behind https the proxy sets x-forwarded-proto). */
  trustProxy: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  sessionHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  workers: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  webDir: z.string().default(path.resolve(import.meta.dirname, "../web/dist")),
  /** Key for the passwords Steward keeps for other servers (IMAP, SMTP); default: a key file in the data directory. */
  secretKey: z.string().min(16, "must be at least 16 characters").optional(),
  /** The built-in SMTP listener, `host:port`; off when unset. */
  smtpListen: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be host:port")
    .optional(),
  /** Hosts allowed to deliver to the SMTP listener (comma-separated IPs or CIDR ranges); default loopback only. */
  smtpAllow: z.string().default("127.0.0.1,::1"),
  /** The address people reach Steward at, for links in e-mail (password reset, notifications); default http://localhost:PORT. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Browser tests only: the server's clock runs ahead by the milliseconds written in this file. */
  testClockFile: z.string().min(1).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

const ENV_NAMES: Record<string, string> = {
  port: "PORT",
  host: "HOST",
  databaseUrl: "DATABASE_URL",
  dataDir: "STEWARD_DATA_DIR",
  adminEmail: "STEWARD_ADMIN_EMAIL",
  adminPassword: "STEWARD_ADMIN_PASSWORD",
  logLevel: "LOG_LEVEL",
  trustProxy: "STEWARD_TRUST_PROXY",
  sessionHours: "STEWARD_SESSION_HOURS",
  workers: "STEWARD_WORKERS",
  webDir: "STEWARD_WEB_DIR",
  testClockFile: "STEWARD_TEST_CLOCK_FILE",
  secretKey: "STEWARD_SECRET_KEY",
  smtpListen: "STEWARD_SMTP_LISTEN",
  smtpAllow: "STEWARD_SMTP_ALLOW",
  publicUrl: "STEWARD_PUBLIC_URL",
};

/** Reads the environment once, at start; a bad value stops start-up with a clear message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse({
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.STEWARD_DATA_DIR,
    adminEmail: env.STEWARD_ADMIN_EMAIL || undefined,
    adminPassword: env.STEWARD_ADMIN_PASSWORD || undefined,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.STEWARD_TRUST_PROXY,
    sessionHours: env.STEWARD_SESSION_HOURS,
    workers: env.STEWARD_WORKERS,
    webDir: env.STEWARD_WEB_DIR,
    testClockFile: env.STEWARD_TEST_CLOCK_FILE || undefined,
    secretKey: env.STEWARD_SECRET_KEY || undefined,
    smtpListen: env.STEWARD_SMTP_LISTEN || undefined,
    smtpAllow: env.STEWARD_SMTP_ALLOW || undefined,
    publicUrl: env.STEWARD_PUBLIC_URL || undefined,
  });
  if (parsed.success && parsed.data.testClockFile && env.NODE_ENV === "production") {
    throw new Error(
      "Invalid configuration:\n  STEWARD_TEST_CLOCK_FILE: a test clock is refused when NODE_ENV=production",
    );
  }
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${ENV_NAMES[String(i.path[0])] ?? i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
