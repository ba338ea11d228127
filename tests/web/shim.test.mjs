// shim.test.mjs: an app made by `yun-dev new`, served by `yun-dev serve`,
// in Debian's Chromium, on the browser shim (bridge/js/yun-shim.js).
//
// run-web-tests.sh starts the server and passes YUN_WEB_URL (the server's
// URL) and YUN_WEB_APP_DIR (the app's folder, which the tests change to
// see live reload and the manifest's permissions at work).
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.YUN_WEB_URL;
const appDir = process.env.YUN_WEB_APP_DIR;
assert.ok(url && appDir, 'run through run-web-tests.sh: YUN_WEB_URL and YUN_WEB_APP_DIR are not set');

let browser;
let page;
const pageErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.YUN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await open();
});

after(async () => {
  await browser?.close();
});

// Loads the app and waits for its module to have run, shim included.
async function open() {
  await page.goto(url);
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Starting'));
}

// Runs `navigator.yun.<call>` in the page; returns {value} or {name, message}.
async function call(expression) {
  return page.evaluate(async (source) => {
    try {
      // eslint-disable-next-line no-new-func
      return { value: await new Function(`return ${source};`)() };
    } catch (error) {
      return { name: error.name, message: error.message, isDOMException: error instanceof DOMException };
    }
  }, expression);
}

async function rejects(expression, name, messagePattern) {
  const result = await call(expression);
  assert.equal(result.name, name, `${expression} gave ${JSON.stringify(result)}`);
  assert.ok(result.isDOMException, `${expression} rejected with something other than a DOMException`);
  if (messagePattern !== undefined)
    assert.match(result.message, messagePattern);
  return result;
}

async function value(expression) {
  const result = await call(expression);
  assert.ok(!('name' in result), `${expression} rejected: ${result.name}: ${result.message}`);
  return result.value;
}

// Changes the app's manifest; the page reloads by itself (live reload).
async function declarePermissions(permissions) {
  const file = path.join(appDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  manifest.yun.permissions = permissions;
  const loaded = page.waitForEvent('load');
  await writeFile(file, JSON.stringify(manifest, null, 2));
  await loaded;
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Starting'));
}

test('the shim gives a plain browser navigator.yun, and says it is the shim', async () => {
  assert.equal(await page.evaluate(() => typeof navigator.yun), 'object');
  const capabilities = await value('navigator.yun.capabilities()');
  assert.equal(capabilities.runtime, 'Yun shim');
  assert.equal(capabilities.shim, true);
  for (const method of ['capabilities', 'device.info', 'permissions.query', 'permissions.request',
                        'notes.list', 'notes.get', 'notes.save', 'notes.remove'])
    assert.ok(capabilities.methods.includes(method), `capabilities lack ${method}`);

  const info = await value('navigator.yun.device.info()');
  assert.equal(info.runtime, 'Yun shim');
  assert.match(info.model, /emulated/);
  // The scaffold's own code ran against it.
  assert.match(await page.textContent('#status'), /Running on Yun shim/);
});

test('navigator.yun cannot be replaced by the page', async () => {
  const same = await page.evaluate(() => {
    const before = navigator.yun;
    try {
      navigator.yun = {};
    } catch (e) {
      // Strict code throws; either way nothing changes.
    }
    return navigator.yun === before && Object.isFrozen(navigator.yun) && Object.isFrozen(navigator.yun.notes);
  });
  assert.ok(same);
});

test('bad arguments reject with DataError, as in the runtime', async () => {
  await rejects("navigator.yun.notes.save({ title: 5, body: '' })", 'DataError',
                /^notes\.save: args\.title: expected a string, got number$/);
  await rejects("navigator.yun.notes.save({ body: '' })", 'DataError', /^notes\.save: args\.title: missing$/);
  await rejects("navigator.yun.notes.save({ title: '', body: '', colour: 'red' })", 'DataError',
                /^notes\.save: args: unexpected member "colour"$/);
  await rejects('navigator.yun.notes.list({ limit: 0 })', 'DataError', /less than 1/);
  await rejects('navigator.yun.notes.list({ limit: 2.5 })', 'DataError', /expected an integer/);
  await rejects("navigator.yun.notes.get({ id: '' })", 'DataError', /shorter than 1 characters/);
  await rejects("navigator.yun.notes.save({ title: 'x'.repeat(1001), body: '' })", 'DataError', /longer than 1000/);
  await rejects("navigator.yun.notes.save({ title: '', body: '', tags: [''] })", 'DataError', /tags\[0\]/);
  await rejects("navigator.yun.permissions.query({ name: 'telepathy' })", 'DataError', /expected one of/);
  await rejects('navigator.yun.permissions.query({}, {})', 'DataError', /takes one options object, got 2/);
  await rejects("navigator.yun.device.info('now')", 'DataError', /expected an options object/);
  await rejects('navigator.yun.device.info([])', 'DataError', /expected an options object/);
  await rejects('navigator.yun.device.info(new Date())', 'DataError', /expected an options object/);
  await rejects('(() => { const o = {}; o.o = o; return navigator.yun.notes.list(o); })()', 'DataError',
                /cannot be sent as JSON/);
});

test('an undeclared permission is denied without asking', async () => {
  let asked = false;
  const onDialog = (dialog) => {
    asked = true;
    dialog.dismiss();
  };
  page.on('dialog', onDialog);
  try {
    assert.equal(await value("navigator.yun.permissions.query({ name: 'notes' })"), 'denied');
    await rejects("navigator.yun.permissions.request({ name: 'notes' })", 'NotAllowedError',
                  /does not declare the "notes" permission/);
    await rejects('navigator.yun.notes.list()', 'NotAllowedError',
                  /^notes\.list: the app's manifest does not declare the "notes" permission with "read" access$/);
    assert.equal(asked, false);
  } finally {
    page.off('dialog', onDialog);
  }
});

test('live reload: touching a file reloads the page', async () => {
  await page.evaluate(() => {
    window.beforeReload = true;
  });
  const loaded = page.waitForEvent('load');
  const now = new Date();
  await utimes(path.join(appDir, 'style.css'), now, now);
  await loaded;
  assert.equal(await page.evaluate(() => window.beforeReload), undefined);
});

test('notes: declared, allowed at the prompt, saved, listed, changed and removed', async () => {
  await declarePermissions({ notes: { access: 'readwrite', reason: 'To keep your notes.' } });
  await page.evaluate(() => globalThis.yunShim.resetPermissions());
  assert.equal(await value("navigator.yun.permissions.query({ name: 'notes' })"), 'prompt');

  const questions = [];
  const onDialog = (dialog) => {
    questions.push(dialog.message());
    dialog.accept();
  };
  page.on('dialog', onDialog);
  try {
    const saved = await value("navigator.yun.notes.save({ title: 'Shopping', body: 'Tea, rice', tags: ['home'] })");
    assert.equal(questions.length, 1);
    assert.match(questions[0], /"web-app" asks to use your notes/);
    assert.match(questions[0], /To keep your notes\./);
    assert.match(saved.rev, /^1-[0-9a-f]{32}$/);
    assert.equal(await value("navigator.yun.permissions.query({ name: 'notes' })"), 'granted');

    const listed = await value('navigator.yun.notes.list()');
    const note = listed.find((n) => n.id === saved.id);
    assert.ok(note, 'the saved note is not listed');
    assert.equal(note.title, 'Shopping');
    assert.deepEqual(note.tags, ['home']);

    // Notes outlive a reload: they are in localStorage.
    await open();
    const got = await value(`navigator.yun.notes.get({ id: ${JSON.stringify(saved.id)} })`);
    assert.equal(got.body, 'Tea, rice');

    const changed = await value(`navigator.yun.notes.save({ id: ${JSON.stringify(saved.id)}, rev: ${JSON.stringify(saved.rev)}, title: 'Shopping', body: 'Tea' })`);
    assert.match(changed.rev, /^2-/);
    await rejects(`navigator.yun.notes.save({ id: ${JSON.stringify(saved.id)}, rev: ${JSON.stringify(saved.rev)}, title: 'old', body: '' })`,
                  'InvalidStateError');
    await rejects(`navigator.yun.notes.save({ id: ${JSON.stringify(saved.id)}, title: 'x', body: '' })`,
                  'DataError', /id and rev go together/);
    assert.equal(await value(`navigator.yun.notes.remove({ id: ${JSON.stringify(saved.id)}, rev: ${JSON.stringify(changed.rev)} })`), true);
    await rejects(`navigator.yun.notes.get({ id: ${JSON.stringify(saved.id)} })`, 'NotFoundError');
    // Asked once only: the answer was remembered.
    assert.equal(questions.length, 1);
  } finally {
    page.off('dialog', onDialog);
  }
});

test('a permission denied at the prompt rejects with NotAllowedError', async () => {
  await page.evaluate(() => globalThis.yunShim.resetPermissions());
  const onDialog = (dialog) => dialog.dismiss();
  page.on('dialog', onDialog);
  try {
    await rejects('navigator.yun.notes.list()', 'NotAllowedError', /the user denied the "notes" permission/);
    assert.equal(await value("navigator.yun.permissions.query({ name: 'notes' })"), 'denied');
    assert.equal(await value("navigator.yun.permissions.request({ name: 'notes' })"), 'denied');
  } finally {
    page.off('dialog', onDialog);
  }
});

test('a readwrite call with read access declared is denied without asking', async () => {
  await declarePermissions({ notes: { access: 'read', reason: 'To show your notes.' } });
  await page.evaluate(() => globalThis.yunShim.resetPermissions());
  await rejects("navigator.yun.notes.save({ title: '', body: '' })", 'NotAllowedError',
                /with "readwrite" access/);
});

test('emulated location, contacts and camera, clearly labelled', async () => {
  await declarePermissions({
    location: { access: 'read', reason: 'To show where you are.' },
    contacts: { access: 'read', reason: 'To find a friend.' },
    camera: { access: 'read', reason: 'To take a picture.' },
  });
  await page.evaluate(() => globalThis.yunShim.resetPermissions());
  const onDialog = (dialog) => dialog.accept();
  page.on('dialog', onDialog);
  const coords = await page.evaluate(() => new Promise((resolve, reject) =>
    navigator.geolocation.getCurrentPosition((p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
                                             (e) => reject(new Error(e.message)))));
  assert.deepEqual(coords, { latitude: 30.2741, longitude: 120.1551 });

  const picked = await page.evaluate(() => navigator.contacts.select(['name', 'email']));
  assert.deepEqual(picked, [{ name: ['Ada Lovelace'], email: ['ada@example.org'] }]);
  const fixtures = await page.evaluate(() => globalThis.yunShim.fixtures.contacts.map((c) => c.note));
  assert.ok(fixtures.every((note) => /Fixture contact from yun-shim\.js/.test(note)));

  const photo = await page.evaluate(async () => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.setAttribute('capture', 'environment');
    document.body.append(input);
    const changed = new Promise((resolve) => input.addEventListener('change', resolve, { once: true }));
    input.click();
    await changed;
    const file = input.files[0];
    const bitmap = await createImageBitmap(file);
    return { type: file.type, size: file.size, width: bitmap.width, height: bitmap.height };
  });
  assert.equal(photo.type, 'image/jpeg');
  assert.ok(photo.size > 1000, `a blank image of ${photo.size} bytes`);
  assert.deepEqual([photo.width, photo.height], [640, 480]);

  // navigator.yun.contacts: the same fixtures, searched as the phone does.
  const found = await value("navigator.yun.contacts.find({ query: 'hop' })");
  assert.deepEqual(found.map((c) => c.name.formatted), ['Grace Hopper']);
  const byNumber = await value("navigator.yun.contacts.find({ query: '0103' })");
  assert.deepEqual(byNumber.map((c) => c.id), ['fixture-3']);
  const recent = await value("navigator.yun.contacts.find({ order: 'recent', limit: 2 })");
  assert.deepEqual(recent.map((c) => c.id), ['fixture-1', 'fixture-2']);
  await rejects("navigator.yun.contacts.get({ id: 'nobody' })", 'NotFoundError');
  await rejects("navigator.yun.contacts.find({ order: 'age' })", 'DataError', /expected one of "name", "recent"/);

  // navigator.yun.camera: the test picture, scaled to fit.
  const picture = await value('navigator.yun.camera.takePicture({ maxWidth: 320, quality: 0.5 })');
  assert.deepEqual([picture.width, picture.height], [320, 240]);
  assert.equal(picture.content_type, 'image/jpeg');
  const decoded = await page.evaluate(async (url) => {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob());
    return [bitmap.width, bitmap.height];
  }, picture.url);
  assert.deepEqual(decoded, [320, 240]);
  await rejects('navigator.yun.camera.takePicture({ quality: 2 })', 'DataError', /more than 1/);
  page.off('dialog', onDialog);
});

test('permissions fire change events when the user answers, and not to strangers', async () => {
  await page.evaluate(() => {
    globalThis.yunShim.resetPermissions();
    window.permissionEvents = [];
    navigator.yun.permissions.addEventListener('change', (event) => window.permissionEvents.push(event.detail));
    // Not a declared event: ignored, as in the runtime.
    navigator.yun.permissions.addEventListener('other', () => window.permissionEvents.push('other'));
  });
  page.once('dialog', (dialog) => dialog.dismiss());
  assert.equal(await value("navigator.yun.permissions.request({ name: 'camera' })"), 'denied');
  assert.deepEqual(await page.evaluate(() => window.permissionEvents), [{ name: 'camera', state: 'denied' }]);
  assert.equal(await page.evaluate(() => typeof navigator.yun.permissions.dispatchEvent), 'undefined');
});

test('the shim stays out of a page that already has navigator.yun', async () => {
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await other.addInitScript(() => {
      Object.defineProperty(navigator, 'yun', { value: Object.freeze({ real: true }) });
    });
    await other.goto(url);
    await other.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Starting'));
    assert.deepEqual(await other.evaluate(() => ({ real: navigator.yun.real, shim: typeof globalThis.yunShim })),
                     { real: true, shim: 'undefined' });
  } finally {
    await context.close();
  }
});

test('no uncaught errors in the page', () => {
  assert.deepEqual(pageErrors.map(String), []);
});
