// store.test.mjs: the Yun Store (webapps/store) in Debian's Chromium
// against a real yun-cloud.  navigator.yun.apps exists only in the shell;
// the tests that install stand in for it with a small fake of the
// bridge's side, clearly one, while the store page and the cloud are real.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertFitsWidth, cloud, launch, phone, userOf } from './cloud-apps.mjs';

const store = new URL('apps/store/', cloud).href;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openStore(hash = '', options) {
  const { context, page } = await phone(browser, options);
  await page.goto(store + hash);
  return { context, page };
}

test('the home page lists popular apps and the categories', async () => {
  const { context, page } = await openStore();
  await page.waitForSelector('#view .list li a[data-app]');
  const items = await page.locator('#view .list li a[data-app]').count();
  assert.equal(items, 20);
  const chips = await page.locator('nav.chips a').allTextContents();
  assert.ok(chips.includes('Finance') && chips.includes('Games'), `chips: ${chips}`);
  await assertFitsWidth(page);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a category shows only its apps, and "More apps" pages', async () => {
  const { context, page } = await openStore();
  await page.click('nav.chips a:text-is("Finance")');
  await page.waitForSelector('h2:text-is("Finance")');
  await page.waitForSelector('#view .list li a[data-app]');
  const ids = await page.locator('#view .list li a[data-app]').evaluateAll((links) => links.map((a) => a.dataset.app));
  for (const id of ids.slice(0, 5)) {
    const { json } = await api(`/api/store/apps/${id}`);
    assert.equal(json.category, 'finance');
  }
  const { json: all } = await api('/api/store/apps?category=finance&limit=1');
  if (all.total > 20) {
    await page.click('text=More apps');
    await page.waitForFunction((n) => document.querySelectorAll('#view .list li a[data-app]').length > n, ids.length);
  }
  await context.close();
});

test('search finds apps by a word of their name', async () => {
  const { context, page } = await openStore();
  await page.fill('#q', 'ledger');
  await page.press('#q', 'Enter');
  await page.waitForSelector('h2:has-text("Results for")');
  await page.waitForSelector('#view .list li a[data-app]');
  const first = await page.locator('#view .list li .title').first().textContent();
  assert.match(first, /Ledger/);
  await context.close();
});

test('an app page lists the permissions and reasons before installing', async () => {
  const { context, page } = await openStore('#/app/local');
  await page.waitForSelector('#permissions');
  const manifest = await (await fetch(new URL('apps/local/manifest.json', cloud))).json();
  const text = await page.textContent('#permissions');
  for (const [name, permission] of Object.entries(manifest.yun.permissions)) {
    assert.ok(text.includes(name), `${name} is not listed`);
    assert.ok(text.includes(permission.reason), `the reason for ${name} is not shown`);
  }
  // In a plain browser there is no installing: the page says so and
  // offers the app itself.
  const install = await page.textContent('#install');
  assert.match(install, /needs a Yun phone/);
  assert.equal(await page.getAttribute('#install a', 'href'), '/apps/local/');
  await assertFitsWidth(page);
  await context.close();
});

// A stand-in for the shell's navigator.yun.apps (bridge/schema/yun-api.json):
// installs succeed, or fail as told by window.failNext, and report progress
// events.  A hosted app's version is the SHA-256 of its manifest, as the
// shell's registry keeps it.
const fakeApps = () => {
  const installedApps = new Map();
  const events = new EventTarget();
  window.appCalls = [];
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const act = async (kind, request) => {
    window.appCalls.push({ kind, request });
    for (const [phase, fraction] of [['download', 0.3], ['verify', 0.6], ['install', 0.9]]) {
      events.dispatchEvent(new CustomEvent('progress', { detail: { id: request.id, phase, fraction } }));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    if (window.failNext) {
      const [name, message] = window.failNext;
      window.failNext = null;
      throw new DOMException(message, name);
    }
    const manifest = await (await fetch(request.manifestUrl)).arrayBuffer();
    const record = {
      id: request.id,
      manifestUrl: request.manifestUrl,
      source: request.packageUrl ? 'packaged' : 'hosted',
      version: request.sha256 ?? hex(await crypto.subtle.digest('SHA-256', manifest)),
    };
    installedApps.set(request.id, record);
    events.dispatchEvent(new CustomEvent('progress', { detail: { id: request.id, phase: 'done', fraction: 1 } }));
    return record;
  };
  navigator.yun = {
    apps: {
      addEventListener: events.addEventListener.bind(events),
      removeEventListener: events.removeEventListener.bind(events),
      get: async ({ id }) => {
        if (!installedApps.has(id)) throw new DOMException(`${id} is not installed`, 'NotFoundError');
        return installedApps.get(id);
      },
      list: async () => [...installedApps.values()],
      install: (request) => act('install', request),
      update: (request) => act('update', request),
      uninstall: async ({ id }) => {
        window.appCalls.push({ kind: 'uninstall', request: { id } });
        installedApps.delete(id);
        return true;
      },
    },
  };
};

test('install and uninstall go through navigator.yun.apps; the cloud\'s own apps install hosted', async () => {
  const { context, page } = await phone(browser);
  await page.addInitScript(fakeApps);
  await page.goto(store + '#/app/prices');
  await page.click('#install button:text-is("Install")');
  await page.waitForSelector('#install .status.ok');
  assert.match(await page.textContent('#install .status'), /is installed/);
  assert.equal(await page.getAttribute('#install progress', 'value'), '1');
  const [call] = await page.evaluate(() => window.appCalls);
  const { json: detail } = await api('/api/store/apps/prices');
  assert.equal(call.kind, 'install');
  // Prices calls the cloud's API on its own origin: it installs hosted.
  assert.deepEqual(call.request, { id: 'prices', manifestUrl: new URL('apps/prices/manifest.json', cloud).href });
  // Installed and current: no Update button.
  await page.waitForSelector('#install button:text-is("Uninstall")');
  assert.equal(await page.locator('#install button:text-is("Update")').count(), 0);
  // The catalog's package is the one with its hash.
  const zip = Buffer.from(await (await fetch(new URL(detail.package_url, cloud))).arrayBuffer());
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(zip).digest('hex'), detail.sha256);

  await page.click('#install button:text-is("Uninstall")');
  await page.waitForSelector('#install button:text-is("Install")');
  assert.match(await page.textContent('#install .status'), /was removed/);
  await context.close();
});

test('install errors say what went wrong: hash mismatch, disk full, no network', async () => {
  const { context, page } = await phone(browser);
  await page.addInitScript(fakeApps);
  await page.goto(store + '#/app/groupbuy');
  await page.waitForSelector('#install button:text-is("Install")');

  await page.evaluate(() => { window.failNext = ['DataError', 'apps.install: the package\'s SHA-256 is not the expected one']; });
  await page.click('#install button:text-is("Install")');
  await page.waitForSelector('#install .status.error');
  assert.match(await page.textContent('#install .status'), /damaged.*SHA-256 mismatch/);

  await page.evaluate(() => { window.failNext = ['QuotaExceededError', 'No space left on device']; });
  await page.click('#install button:text-is("Install")');
  await page.waitForFunction(() => /space/.test(document.querySelector('#install .status').textContent));
  assert.match(await page.textContent('#install .status'), /not enough space/);

  await context.setOffline(true);
  await page.click('#install button:text-is("Install")');
  await page.waitForFunction(() => /network/i.test(document.querySelector('#install .status').textContent));
  assert.match(await page.textContent('#install .status'), /No network/);
  await context.setOffline(false);
  // Nothing was installed by any of them.
  assert.equal(await page.locator('#install button:text-is("Install")').count(), 1);
  await context.close();
});

test('a review is saved for this user, and edited rather than added twice', async () => {
  const { context, page } = await openStore('#/app/hello');
  await page.waitForSelector('#review-form');
  await page.selectOption('#rating', '4');
  await page.fill('#review-form textarea', 'Shows what the runtime says.');
  await page.click('#review-form button[type=submit]');
  await page.waitForSelector('#review-form .status.ok');
  const user = await userOf(page);
  await page.waitForFunction((u) => document.querySelector('#reviews').textContent.includes(u), user);

  // The first save's message goes, so that the wait is for the second.
  await page.evaluate(() => { document.querySelector('#review-form .status').textContent = ''; });
  await page.selectOption('#rating', '2');
  await page.click('#review-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#review-form .status').textContent.includes('saved'));
  const { json: reviews } = await api('/api/store/apps/hello/reviews?limit=100');
  const mine = reviews.items.filter((r) => r.user === user);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].rating, 2);
  await context.close();
});

test('what was loaded stays readable offline', async () => {
  const { context, page } = await openStore();
  await page.waitForSelector('#view .list li a[data-app]');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Once more, now under the service worker, which keeps the answers.
  await page.reload();
  await page.waitForSelector('#view .list li a[data-app]');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#view .list li a[data-app]');
  assert.equal(await page.locator('#view .list li a[data-app]').count(), 20);
  // It says that what it shows is the copy kept from before.
  assert.match(await page.textContent('#offline'), /^You are offline: showing what was loaded on /);
  await context.close();
});
