// portal.test.mjs: the web portal /my of yun-cloud in Debian's Chromium:
// sign in, the synced notes, contacts, photos, messages and calls, paging
// newest first, and sign out.  The data is put through the /sync API as a
// phone would, for a user registered through the accounts API.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const cloud = process.env.YUN_CLOUD_URL;
assert.ok(cloud, 'run through run-portal-tests.sh: YUN_CLOUD_URL is not set');

const portal = new URL('my/', cloud).href;
const NAME = 'portal-user';
const PASSWORD = 'portal password 1';
// A 1×1 PNG, so that the thumbnail really decodes.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const NOTES = 23;
const BASE_TIME = Date.UTC(2025, 0, 1);

let browser;

async function call(path, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(new URL(path, cloud), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function seed() {
  const registered = await call('accounts', { method: 'POST', body: { name: NAME, password: PASSWORD } });
  assert.equal(registered.status, 201, JSON.stringify(registered.json));
  const session = await call('accounts/session', { method: 'POST', body: { name: NAME, password: PASSWORD } });
  assert.equal(session.status, 201);
  const token = session.json.token;

  const put = async (db, docs) => {
    const created = await call(`sync/${db}`, { method: 'PUT', token });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const bulk = await call(`sync/${db}/_bulk_docs`, { method: 'POST', token, body: { docs } });
    assert.equal(bulk.status, 201, JSON.stringify(bulk.json));
    for (const row of bulk.json) assert.ok(row.rev && !row.error, JSON.stringify(row));
  };

  // Notes, so that they need two pages: note 22 is the newest.
  await put('notes', Array.from({ length: NOTES }, (_, i) => ({
    _id: `note-${String(i).padStart(2, '0')}`,
    title: `Note number ${i}`,
    body: i === NOTES - 1 ? 'Buy <b>milk</b> & bread' : `body of note ${i}`,
    updated: BASE_TIME + i * 60000,
  })));
  await put('contacts', [{
    _id: 'contact-1',
    name: { formatted: 'Ana María López', given: 'Ana', family: 'López' },
    tel: [{ value: '+34 600 123 456', types: ['cell'] }],
    email: [{ value: 'ana@example.org' }],
    updated: BASE_TIME,
  }]);
  await put('messages', [
    { _id: 'msg-1', thread: '+34600111222', from: '+34600111222', to: ['me'], body: 'See you at 8', time: BASE_TIME + 1000, read: true },
    { _id: 'msg-2', thread: '+34600111222', from: 'me', to: ['+34600111222'], body: 'Great, see you', time: BASE_TIME + 2000, read: true },
  ]);
  await put('calls', [{ _id: 'call-1', number: '+34 611 222 333', direction: 'missed', duration: 0, time: BASE_TIME }]);
  await put('photos', [{
    _id: 'photo-1', taken: BASE_TIME, width: 1, height: 1,
    _attachments: { image: { content_type: 'image/png', data: PNG } },
  }]);
}

before(async () => {
  await seed();
  browser = await chromium.launch({
    executablePath: process.env.YUN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function desktop() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  return { context, page };
}

async function signIn(page) {
  await page.goto(portal);
  await page.fill('#name', NAME);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#who:not([hidden])');
}

test('a wrong password is refused with a clear error', async () => {
  const { context, page } = await desktop();
  await page.goto(portal);
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.fill('#name', NAME);
  await page.fill('#password', 'not the password');
  await page.click('#sign-in-form button[type=submit]');
  const error = page.locator('#error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /Could not sign in/);
  assert.equal(await page.isVisible('#app'), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('yun-portal-token')), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('signed in, every kind of synced data shows, newest first', async () => {
  const { context, page } = await desktop();
  await signIn(page);
  assert.equal(await page.textContent('#who-name'), NAME);
  assert.ok(await page.evaluate(() => sessionStorage.getItem('yun-portal-token')));

  // Notes: the newest first, its text as text, not markup.
  await page.waitForSelector('#list .item');
  const first = page.locator('#list .item').first();
  assert.equal(await first.locator('h3').textContent(), `Note number ${NOTES - 1}`);
  assert.equal(await first.locator('.body').textContent(), 'Buy <b>milk</b> & bread');
  assert.equal(await page.locator('#list b').count(), 0);
  assert.equal(await page.locator('#list .item').count(), 20);
  assert.equal(await page.textContent('#page'), 'Page 1 of 2');

  // Older: the rest, down to the oldest.
  await page.click('#older');
  assert.equal(await page.textContent('#page'), 'Page 2 of 2');
  assert.equal(await page.locator('#list .item').count(), NOTES - 20);
  assert.equal(await page.locator('#list .item h3').last().textContent(), 'Note number 0');
  assert.equal(await page.isDisabled('#older'), true);
  await page.click('#newer');
  assert.equal(await page.textContent('#page'), 'Page 1 of 2');

  await page.click('.tabs button[data-view=contacts]');
  await page.waitForSelector('#list .item h3:has-text("Ana María López")');
  const contact = page.locator('#list .item').first();
  assert.match(await contact.textContent(), /\+34 600 123 456/);
  assert.match(await contact.textContent(), /ana@example\.org/);

  await page.click('.tabs button[data-view=photos]');
  const img = page.locator('#list img').first();
  await img.waitFor();
  await page.waitForFunction(() => {
    const image = document.querySelector('#list img');
    return image && image.src.startsWith('blob:') && image.complete && image.naturalWidth > 0;
  });
  assert.equal(await img.evaluate((image) => image.naturalWidth), 1);

  await page.click('.tabs button[data-view=messages]');
  const thread = page.locator('#list button.thread').first();
  await thread.waitFor();
  assert.match(await thread.textContent(), /\+34600111222 \(2\)/);
  // The thread shows its newest message.
  assert.match(await thread.textContent(), /Great, see you/);
  await thread.click();
  await page.waitForSelector('#view-title:has-text("Messages with +34600111222")');
  const bodies = await page.locator('#list .item .body').allTextContents();
  assert.deepEqual(bodies, ['Great, see you', 'See you at 8']);
  await page.click('#back');
  await page.waitForSelector('#list button.thread');

  await page.click('.tabs button[data-view=calls]');
  await page.waitForSelector('#list .item h3:has-text("+34 611 222 333")');
  assert.match(await page.locator('#list .item').first().textContent(), /Missed/);

  assert.equal(await page.isVisible('#error'), false);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('signing out revokes the token and forgets it', async () => {
  const { context, page } = await desktop();
  await signIn(page);
  const token = await page.evaluate(() => sessionStorage.getItem('yun-portal-token'));
  assert.ok(token);
  assert.equal((await call('accounts/session', { token })).status, 200);

  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.equal(await page.isVisible('#app'), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('yun-portal-token')), null);
  assert.equal((await call('accounts/session', { token })).status, 401);

  // A reload stays signed out.
  await page.reload();
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an expired session goes back to signing in with a message', async () => {
  const { context, page } = await desktop();
  await signIn(page);
  await page.waitForSelector('#list .item');
  const token = await page.evaluate(() => sessionStorage.getItem('yun-portal-token'));
  // Revoked behind the page's back, as another sign-out would.
  assert.equal((await call('accounts/session', { method: 'DELETE', token })).status, 200);

  await page.click('.tabs button[data-view=calls]');
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.match(await page.textContent('#error'), /session has ended/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
