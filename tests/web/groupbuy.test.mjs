// groupbuy.test.mjs: Yun Group Buying (webapps/groupbuy) in Debian's
// Chromium against a real yun-cloud: countdowns, joining and leaving, and
// sharing a deal with contacts.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertFitsWidth, cloud, launch, phone, userOf } from './cloud-apps.mjs';

const groupbuy = new URL('apps/groupbuy/', cloud).href;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openDeal(page) {
  const { json } = await api('/api/groupbuy/deals?limit=100');
  const deal = json.items.find((d) => d.remaining >= 3 && !d.ended);
  assert.ok(deal, 'no open deal with room');
  await page.goto(groupbuy + `#/deal/${deal.id}`);
  await page.waitForSelector('#deal-title');
  return deal;
}

test('deals count down on the server clock', async () => {
  const { context, page } = await phone(browser);
  await page.goto(groupbuy);
  await page.waitForSelector('#deals a[data-deal]');
  const countdown = page.locator('#deals .countdown').first();
  const before = await countdown.textContent();
  assert.match(before, /(\d+ d )?\d\d:\d\d:\d\d left/);
  await page.waitForFunction((text) => document.querySelector('#deals .countdown').textContent !== text, before);
  await assertFitsWidth(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('join and leave change the count on the server, once each', async () => {
  const { context, page } = await phone(browser);
  const deal = await openDeal(page);
  await page.click('#join');
  await page.waitForSelector('#leave');
  const user = await userOf(page);
  let { json: now } = await api(`/api/groupbuy/deals/${deal.id}`, { user });
  assert.equal(now.joined, deal.joined + 1);
  assert.equal(now.mine, true);
  assert.match(await page.textContent('#joined'), new RegExp(`^${deal.joined + 1} joined`));

  await page.click('#leave');
  await page.waitForSelector('#join');
  ({ json: now } = await api(`/api/groupbuy/deals/${deal.id}`, { user }));
  assert.equal(now.joined, deal.joined);
  assert.equal(now.mine, false);
  await context.close();
});

test('a deal is shared with contacts from the Contact Picker', async () => {
  const { context, page } = await phone(browser);
  // The Contact Picker and the share sheet, as the shell provides them.
  await page.addInitScript(() => {
    window.shared = [];
    navigator.contacts = { select: async () => [{ name: ['Li Na'], tel: ['+86 138 0000 0000'] }] };
    navigator.share = async (data) => { window.shared.push(data); };
  });
  const deal = await openDeal(page);
  await page.click('#share-contacts');
  await page.waitForFunction(() => /Tap Share/.test(document.querySelector('#share-box .status').textContent));
  assert.equal((await page.evaluate(() => window.shared)).length, 0);
  await page.click('#share');
  await page.waitForSelector('#share-box .status.ok');
  assert.match(await page.textContent('#share-box .status'), /Li Na/);
  const [data] = await page.evaluate(() => window.shared);
  assert.equal(data.url, `${groupbuy}#/deal/${deal.id}`);
  assert.match(data.text, new RegExp(deal.title));
  await context.close();
});

test('without a picker or share sheet the link is there to copy', async () => {
  const { context, page } = await phone(browser);
  const deal = await openDeal(page);
  assert.equal(await page.locator('#share-contacts').count(), 0);
  assert.equal(await page.inputValue('#share-url'), `${groupbuy}#/deal/${deal.id}`);
  // The link opens the deal.
  const other = await context.newPage();
  await other.goto(await page.inputValue('#share-url'));
  await other.waitForSelector('#deal-title');
  assert.equal(await other.textContent('#deal-title'), deal.title);
  await context.close();
});
