import { z } from "zod";

/**
 * What the page's Content-Security-Policy (nonce-only scripts and styles, no eval) needs before
 * anything else runs. main.tsx imports this module first.
 */

/** The per-request nonce the server wrote into index.html (browsers expose it only as the `.nonce` property). */
export function getStyleNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? "";
}

declare global {
  // Read by get-nonce, through which react-remove-scroll (Mantine's modals and drawers) tags its <style>.
  var __webpack_nonce__: string | undefined;
}
globalThis.__webpack_nonce__ = getStyleNonce() || undefined;

// Zod compiles object parsers with `new Function` unless told not to; even its guarded probe for eval
// shows up as a violation. This must run before any schema is built.
z.config({ jitless: true });
