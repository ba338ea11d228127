// prices.test.mjs: Yun Prices (webapps/prices) in Debian's Chromium
// against a real yun-cloud: search, offers by total, the history chart,
// and an alert that fires as a Notification.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertFitsWidth, cloud, launch, phone, userOf } from './cloud-apps.mjs';

const prices = new URL('apps/prices/', cloud).href;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Records notifications instead of showing them: the shell routes the
// real ones; here the test only needs to see that the page made one.
const recordNotifications = () => {
  window.notifications = [];
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.notifications.push({ title, ...options }); }
  };
};

async function firstPhone(page) {
  await page.goto(prices);
  await page.fill('#q', 'phone');
  await page.press('#q', 'Enter');
  await page.waitForSelector('h2:has-text("Results for")');
  await page.waitForSelector('#products a[data-product]');
  return page.locator('#products a[data-product]').first().getAttribute('data-product');
}

test('a product shows every offer, cheapest total with shipping first, and its history chart', async () => {
  const { context, page } = await phone(browser);
  const id = await firstPhone(page);
  await page.click(`#products a[data-product="${id}"]`);
  await page.waitForSelector('#offers tbody tr');
  const totals = await page.locator('#offers tbody tr:not(.out)').evaluateAll((rows) => rows.map((r) => Number(r.dataset.total)));
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b));
  const { json: product } = await api(`/api/prices/products/${id}`);
  assert.equal(totals[0], product.best_total_fen);
  assert.equal(await page.locator('#offers tbody tr').count(), product.offer_count);

  const chart = page.locator('#history-chart');
  assert.match(await chart.getAttribute('aria-label'), /over 90 days/);
  assert.ok((await chart.locator('path.line').getAttribute('d')).split('L').length >= 90);
  await assertFitsWidth(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an alert above the current price fires a notification, once', async () => {
  const { context, page } = await phone(browser);
  await page.addInitScript(recordNotifications);
  const id = await firstPhone(page);
  await page.click(`#products a[data-product="${id}"]`);
  await page.waitForSelector('#alert-form');
  const { json: product } = await api(`/api/prices/products/${id}`);
  const above = (product.best_total_fen + 5000) / 100;

  await page.fill('#below', String(above));
  await page.click('#alert-form button[type=submit]');
  await page.waitForSelector('#alert-form .status.ok');
  await page.waitForFunction(() => window.notifications.length > 0);
  const [notification] = await page.evaluate(() => window.notifications);
  assert.equal(notification.title, 'Price drop');
  assert.match(notification.body, new RegExp(product.name));

  const user = await userOf(page);
  const { json: alerts } = await api('/api/prices/alerts', { user });
  assert.equal(alerts.items.length, 1);
  assert.equal(alerts.items[0].below_fen, Math.round(above * 100));
  assert.equal(alerts.items[0].triggered, true);

  // A refresh at the same price does not notify again.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.reload();
  await page.waitForSelector('#alert-form');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  assert.equal(await page.evaluate(() => window.notifications.length), 0);

  // The alerts page lists it as dropped.
  await page.click('#alerts-link');
  await page.waitForSelector('#alerts li');
  assert.match(await page.textContent('#alerts'), /Price dropped/);
  await context.close();
});

test('an alert below the current price does not fire, and can be removed', async () => {
  const { context, page } = await phone(browser);
  await page.addInitScript(recordNotifications);
  const id = await firstPhone(page);
  await page.click(`#products a[data-product="${id}"]`);
  await page.waitForSelector('#alert-form');
  await page.fill('#below', '1');
  await page.click('#alert-form button[type=submit]');
  await page.waitForSelector('#alert-form .status.ok');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  assert.equal(await page.evaluate(() => window.notifications.length), 0);
  assert.equal(await page.locator('#history-chart line.alert').count(), 1);

  await page.click('#alert-form button:text-is("Remove alert")');
  await page.waitForFunction(() => /removed/.test(document.querySelector('#alert-form .status').textContent));
  const { json: alerts } = await api('/api/prices/alerts', { user: await userOf(page) });
  assert.equal(alerts.items.length, 0);
  await context.close();
});
