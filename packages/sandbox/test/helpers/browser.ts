import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gatewayPath, signRequest } from './gateway-client.js';

/** Debian's Chromium (nothing downloads a browser), quiet: no network of its own, no QUIC. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Where the browser tests keep their screenshots. */
export const ARTIFACTS = join(import.meta.dirname, '..', 'browser', 'artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/** A page of its own context (its own cookies), in Chinese, `width` pixels wide. */
export async function newPage(browser: Browser, width = 1200, height = 900): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width, height } });
  return context.newPage();
}

/** A full-page screenshot kept as an artifact under `name`.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Sends a signed payment request as a merchant would; resolves with the trade number it opened. */
export async function openTrade(base: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}${gatewayPath(signRequest(params))}`, { redirect: 'manual' });
  const location = res.headers.get('location') ?? '';
  if (!/^\/cashier\/\d+$/.test(location)) throw new Error(`the gateway answered ${res.status} ${location}: ${await res.text()}`);
  return location.split('/').pop()!;
}
