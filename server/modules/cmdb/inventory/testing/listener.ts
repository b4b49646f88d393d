/**
 * A throwaway HTTP listener for real inventory agents (tests only): it records
 * every raw request, parses it with this module and answers with `replyTo`, so
 * an agent can go from PROLOG to INVENTORY against it. Optionally demands HTTP
 * basic authentication the way a server would (401 + WWW-Authenticate).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { bytesToText, decodeBody } from "../decode.ts";
import { InventoryError } from "../errors.ts";
import { parseInventoryRequest } from "../parse.ts";
import { type InventoryReply, replyTo } from "../replies.ts";
import type { BodyEncoding, InventoryMessage } from "../types.ts";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The body as received. */
  raw: Buffer;
  /** The body decoded (decompressed), when it could be. */
  decoded?: string;
  encoding?: BodyEncoding;
  message?: InventoryMessage;
  error?: { status: number; message: string };
  /** The HTTP status answered. */
  status: number;
  reply?: InventoryReply;
}

export interface ListenerOptions {
  /** Demand these credentials (HTTP basic) before answering. */
  basicAuth?: { user: string; password: string; realm: string };
  /** Answer with this instead of `replyTo` (to try other replies on an agent). */
  reply?: (message: InventoryMessage, encoding: BodyEncoding) => InventoryReply;
  /** Largest body accepted. Default 10 MiB. */
  maxBodyBytes?: number;
}

export interface InventoryListener {
  /** `http://127.0.0.1:PORT/api/v1/inventory` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startInventoryListener(options: ListenerOptions = {}): Promise<InventoryListener> {
  const requests: RecordedRequest[] = [];
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooBig = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks), tooBig);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, tooBig: boolean) {
    const record: RecordedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      raw,
      status: 0,
    };
    requests.push(record);
    const send = (status: number, contentType: string, body: Buffer, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "Content-Type": contentType, "Content-Length": String(body.length), ...headers });
      res.end(body);
    };

    if (options.basicAuth) {
      const { user, password, realm } = options.basicAuth;
      const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        send(401, "text/plain", Buffer.from("authentication required\n"), {
          "WWW-Authenticate": `Basic realm="${realm}"`,
        });
        return;
      }
    }
    if (tooBig) {
      send(413, "text/plain", Buffer.from("too large\n"));
      return;
    }
    try {
      const decoded = await decodeBody(raw, req.headers["content-type"]);
      record.decoded = bytesToText(decoded.data);
    } catch {
      // recorded below by the parser's error
    }
    try {
      const { message, encoding } = await parseInventoryRequest({
        body: raw,
        contentType: req.headers["content-type"],
        userAgent: req.headers["user-agent"],
      });
      record.message = message;
      record.encoding = encoding;
      const reply = options.reply ? options.reply(message, encoding) : replyTo(message, { encoding });
      record.reply = reply;
      send(200, reply.contentType, reply.body);
    } catch (error) {
      const status = error instanceof InventoryError ? error.status : 500;
      const message = (error as Error).message;
      record.error = { status, message };
      send(status, "text/plain", Buffer.from(`${message}\n`));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/inventory`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
