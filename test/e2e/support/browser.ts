import fs from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { repoRoot } from "./server.ts";

export const screenshotDir = path.join(repoRoot, "test-results/screenshots");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console messages about the Content-Security-Policy, and securitypolicyviolation events. */
  cspViolations: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  shot: (name: string) => Promise<void>;
}

/** A fresh context (no cookies) and page that records CSP violations and page errors. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1366, height: 860 },
): Promise<OpenedPage> {
  const context = await browser.newContext({ baseURL, viewport, locale: "en-GB", timezoneId: "Europe/Berlin" });
  context.setDefaultTimeout(10_000);
  // Runs through the DevTools protocol, so it is not itself subject to the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  fs.mkdirSync(screenshotDir, { recursive: true });
  const shot = async (name: string) => {
    // Let transitions (drawers, notifications) settle so the picture shows the state the test reached.
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  };
  return { context, page, cspViolations, pageErrors, shot };
}

/** Waits until the locator is visible; fails with the locator in the message. */
export async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.first().waitFor({ state: "visible", timeout });
  return locator;
}

export async function hidden(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: "hidden", timeout });
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
}

/** Runs a test body in a fresh page; a failure leaves a screenshot; CSP violations and page errors fail it. */
export async function runInPage(
  browser: Browser,
  baseURL: string,
  name: string,
  body: (p: OpenedPage) => Promise<void>,
  viewport?: { width: number; height: number },
): Promise<void> {
  const opened = await openPage(browser, baseURL, viewport);
  try {
    await body(opened);
    expect(opened.cspViolations).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
  } catch (error) {
    await opened.shot(`failed-${name}`).catch(() => {});
    throw error;
  } finally {
    await opened.context.close();
  }
}

/** Opens `path`, signs in on the login page it redirects to, and waits to be back on `path`. */
export async function logInAt(page: Page, path: string, email: string, password: string): Promise<void> {
  await page.goto(path);
  await page.waitForURL((url) => url.pathname === "/login");
  await logIn(page, email, password);
  await page.waitForURL((url) => url.pathname === new URL(path, "http://x").pathname);
}
