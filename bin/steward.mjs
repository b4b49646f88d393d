#!/usr/bin/env node
// Steward's command line. TypeScript runs through tsx's loader; no separate build step for the server.
import { register } from "tsx/esm/api";

register();
await import("../server/cli.ts");
