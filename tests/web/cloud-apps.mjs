// cloud-apps.mjs: what the cloud apps' web tests share: Debian's
// Chromium at a phone's size, the real yun-cloud that
// run-cloud-apps-tests.sh started, and calls to its API as the page's
// user.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const cloud = process.env.YUN_CLOUD_URL;
assert.ok(cloud, 'run through run-cloud-apps-tests.sh: YUN_CLOUD_URL is not set');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.YUN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

/** A new phone-sized browser context, with the page's errors collected. */
export async function phone(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 760 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    ...options,
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  return { context, page };
}

/** The stand-in user name the app keeps for itself. */
export async function userOf(page) {
  return page.evaluate(() => localStorage.getItem('yun-user'));
}

/** Calls the cloud's API as `user`; returns the parsed JSON and status. */
export async function api(path, { user, method = 'GET', body } = {}) {
  const headers = {};
  if (user) headers['X-Yun-User'] = user;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, cloud), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Nothing at the page's width scrolls sideways: readable at 360 px. */
export async function assertFitsWidth(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than the screen`);
}
