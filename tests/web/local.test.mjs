// local.test.mjs: Yun Local (webapps/local) in Debian's Chromium against a
// real yun-cloud: places near the browser's position, a place's page, and
// a review with a photo from <input type=file capture>.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { api, assertFitsWidth, cloud, launch, phone, userOf } from './cloud-apps.mjs';

const local = new URL('apps/local/', cloud).href;
// Broken Bridge, on the West Lake: one of the places the cloud lists.
const bridge = { latitude: 30.2590, longitude: 120.1515 };
// One red pixel, a real PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('places near the position come nearest first, with distance, category and rating', async () => {
  const { context, page } = await phone(browser, { geolocation: bridge, permissions: ['geolocation'] });
  await page.goto(local);
  // The city centre's list may come first, then the one near the position.
  await page.waitForFunction(() => document.querySelector('#places li .title')?.textContent === 'Broken Bridge');
  const distances = await page.locator('#places [data-distance]').evaluateAll((nodes) => nodes.map((n) => Number(n.dataset.distance)));
  assert.ok(distances.length >= 10);
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
  assert.match(await page.locator('#places li').nth(1).textContent(), /\d+ (m|km)/);
  assert.equal(await page.locator('#places li').first().locator('.stars').count(), 1);
  assert.equal(await page.textContent('#status'), '');
  await assertFitsWidth(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without a position the city centre is used, and the page says so', async () => {
  const { context, page } = await phone(browser);
  await page.goto(local);
  await page.waitForSelector('#places li a[data-place]');
  await page.waitForFunction(() => /not available/.test(document.querySelector('#status').textContent));
  assert.match(await page.textContent('#status'), /city centre/);
  await context.close();
});

test('a kind of place filters the list', async () => {
  const { context, page } = await phone(browser, { geolocation: bridge, permissions: ['geolocation'] });
  await page.goto(local);
  await page.waitForFunction(() => document.querySelector('#places li .title')?.textContent === 'Broken Bridge');
  await page.click('nav.chips button:text-is("Tea houses")');
  await page.waitForFunction(() => document.querySelector('nav.chips button[aria-current="true"]')?.textContent === 'Tea houses');
  await page.waitForSelector('#places li a[data-place]');
  const ids = await page.locator('#places a[data-place]').evaluateAll((links) => links.map((a) => a.dataset.place));
  for (const id of ids.slice(0, 5)) {
    const { json } = await api(`/api/local/places/${id}`);
    assert.equal(json.category, 'teahouses');
  }
  await context.close();
});

test('a review with a photo from the camera input is saved, shown, and edited in place', async () => {
  const { context, page } = await phone(browser, { geolocation: bridge, permissions: ['geolocation'] });
  await page.goto(local + '#/place/hz-0010');
  await page.waitForSelector('#review-form');
  assert.equal(await page.getAttribute('#photo', 'accept'), 'image/*');
  assert.notEqual(await page.getAttribute('#photo', 'capture'), null);
  await page.locator('.photos img').first().waitFor();

  await page.click('label[for=rating-4]');
  await page.fill('#review-text', 'Quiet at seven in the morning.');
  await page.setInputFiles('#photo', { name: 'lake.png', mimeType: 'image/png', buffer: png });
  await page.click('#review-form button[type=submit]');
  await page.waitForSelector('#review-form .status.ok');

  const user = await userOf(page);
  const photo = createHash('sha256').update(png).digest('hex');
  await page.waitForSelector(`#reviews img[src="/api/local/photos/${photo}"]`);
  const { json: mine } = await api('/api/local/places/hz-0010/reviews/mine', { user });
  assert.equal(mine.rating, 4);
  assert.equal(mine.photo, photo);
  const stored = Buffer.from(await (await fetch(new URL(`/api/local/photos/${photo}`, cloud))).arrayBuffer());
  assert.ok(stored.equals(png));

  // Back later: the form is the user's review, to edit.
  await page.reload();
  await page.waitForSelector('#review-heading:text-is("Edit your review")');
  assert.ok(await page.isChecked('#rating-4'));
  await page.click('label[for=rating-5]');
  await page.click('#review-form button[type=submit]');
  await page.waitForSelector('#review-form .status.ok');
  const { json: reviews } = await api('/api/local/places/hz-0010/reviews?limit=100');
  const own = reviews.items.filter((r) => r.user === user);
  assert.equal(own.length, 1);
  assert.equal(own[0].rating, 5);
  assert.equal(own[0].photo, photo);
  await context.close();
});

test('a file that is not a photo is refused with a clear message', async () => {
  const { context, page } = await phone(browser);
  await page.goto(local + '#/place/hz-0011');
  await page.waitForSelector('#review-form');
  await page.click('label[for=rating-3]');
  await page.setInputFiles('#photo', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
  await page.click('#review-form button[type=submit]');
  await page.waitForSelector('#review-form .status.error');
  assert.match(await page.textContent('#review-form .status'), /not a photo/);
  const user = await userOf(page);
  const { status } = await api('/api/local/places/hz-0011/reviews/mine', { user });
  assert.equal(status, 404);
  await context.close();
});
