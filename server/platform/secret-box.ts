import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Secrets Steward must give back to another server (IMAP and SMTP passwords) are stored
 * encrypted with AES-256-GCM. The key comes from `STEWARD_SECRET_KEY`, or from
 * `<data dir>/secret.key`, created on first use (mode 0600). API answers never carry them.
 */
export class SecretBox {
  #key: Buffer | null = null;

  /** The key is read (or the key file made) on first use, not at start. */
  constructor(private readonly keySource: () => string) {}

  static fromConfig(config: { secretKey?: string | undefined; dataDir: string }): SecretBox {
    return new SecretBox(() => config.secretKey ?? keyFile(config.dataDir));
  }

  private get key(): Buffer {
    this.#key ??= createHash("sha256").update(this.keySource()).digest();
    return this.#key;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${data.toString("base64url")}`;
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split(".");
    if (v !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }
}

function keyFile(dataDir: string): string {
  const file = path.resolve(dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}
