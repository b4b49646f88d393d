/** E-mail channel: mailboxes, intake (IMAP, SMTP listener), quarantine, outgoing mail. The only import surface. */
export { ImapWatcher } from "./imap.ts";
export { type IntakeResult, receive } from "./intake.ts";
export { outboundPoller, queueMail, replyMailConsumer, sendQueued } from "./outbound.ts";
export { emailRoutes } from "./routes.ts";
export { storedSmtp } from "./settings.ts";
export { startSmtpListener } from "./smtp-listener.ts";
