import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { newNonce, pageCsp } from "./security.ts";

const NONCE_PLACEHOLDER = /__STEWARD_NONCE__/g;

/**
 * Serves the built web app: hashed assets from /assets, and index.html (with a
 * fresh CSP nonce) for every other page path, so client-side routes load.
 */
export async function serveWeb(app: FastifyInstance, webDir: string): Promise<boolean> {
  const indexFile = path.join(webDir, "index.html");
  if (!fs.existsSync(indexFile)) return false;
  const template = fs.readFileSync(indexFile, "utf8");
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: "/",
    index: false,
    wildcard: false,
    serve: true,
    setHeaders(res, file) {
      if (file.includes(`${path.sep}assets${path.sep}`))
        res.header("cache-control", "public, max-age=31536000, immutable");
    },
  });
  app.decorate("renderIndex", (): { html: string; csp: string } => {
    const nonce = newNonce();
    return { html: template.replace(NONCE_PLACEHOLDER, nonce), csp: pageCsp(nonce) };
  });
  return true;
}

declare module "fastify" {
  interface FastifyInstance {
    renderIndex?: () => { html: string; csp: string };
  }
}
