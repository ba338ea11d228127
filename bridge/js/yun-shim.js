// yun-shim.js: navigator.yun emulated in a plain desktop browser.
//
// For developers only: `yun-dev serve` serves this module at
// /_yun/yun-shim.js, and the app that `yun-dev new` makes imports it only
// when navigator.yun is absent.  The Yun runtime never loads it: in the
// shell, navigator.yun is the real bridge (bridge/js/yun.js), defined before
// any of the page's scripts run, and this module does nothing when it finds
// one.
//
// It builds navigator.yun from the same schema as the runtime
// (bridge/schema/yun-api.json, fetched from next to this file), so the
// methods, the argument checks and the DOMException names and messages are
// the runtime's.  Behind them, everything is emulated and says so:
//  - capabilities() and device.info() answer runtime "Yun shim";
//  - permissions come from the app's manifest (<link rel="manifest">), and
//    a declared one is asked for with the browser's confirm(); decisions
//    stay in localStorage (yunShim.resetPermissions() forgets them);
//  - notes live in this origin's localStorage, not in the phone's store;
//  - contacts are a fixed list of fixtures, the camera gives a test image
//    drawn on a canvas, and the location is a fixed position, through
//    navigator.yun where the schema has those methods and through the
//    standard APIs: navigator.contacts.select, navigator.geolocation and
//    <input type="file" accept="image/*" capture>.
// globalThis.yunShim holds the fixtures and a few controls.
//
// SPDX-License-Identifier: GPL-3.0-or-later

const SHIM_VERSION = '0.1.0';
const RUNTIME = 'Yun shim';
const STORAGE = 'yun-shim:';
// The bridge's limits when the schema gives none (bridge/yun-bridge-schema.c).
const DEFAULT_MAX_LENGTH = 65536;
const DEFAULT_MAX_ITEMS = 10000;
const MAX_REQUEST_BYTES = 1024 * 1024;

// Fixture contacts, in the schema's Contact shape.
function fixtureContact(id, given, family, tel, email, org, updated) {
  return {
    id, rev: '1-fixture', name: { formatted: `${given} ${family}`, given, family },
    tel: [{ value: tel, types: ['cell'], pref: true }], email: [{ value: email, types: ['work'] }],
    org, note: 'Fixture contact from yun-shim.js', updated,
  };
}

const deepFreeze = (value) => {
  if (typeof value === 'object' && value !== null)
    Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
};

const fixtures = deepFreeze({
  contacts: [
    fixtureContact('fixture-1', 'Ada', 'Lovelace', '+44 20 7946 0001', 'ada@example.org', 'Analytical Engines', 1700000005000),
    fixtureContact('fixture-2', 'Grace', 'Hopper', '+1 202 555 0102', 'grace@example.org', 'COBOL Inc.', 1700000004000),
    fixtureContact('fixture-3', 'Jian', 'Wang', '+86 571 5555 0103', 'wang@example.org', 'Aliyun', 1700000003000),
    fixtureContact('fixture-4', 'Linus', 'Torvalds', '+1 503 555 0104', 'linus@example.org', '', 1700000002000),
    fixtureContact('fixture-5', 'Margaret', 'Hamilton', '+1 617 555 0105', 'margaret@example.org', 'Apollo', 1700000001000),
  ],
  // Hangzhou, where the Aliyun phone came from.
  position: Object.freeze({ latitude: 30.2741, longitude: 120.1551, accuracy: 10 }),
});

function fail(name, message) {
  return new DOMException(message, name);
}

// --- Argument checks, as bridge/yun-bridge-schema.c makes them ---------------

function typeName(value) {
  if (value === null)
    return 'null';
  if (Array.isArray(value))
    return 'array';
  return typeof value;
}

function resolve(schema, site) {
  return site.$ref !== undefined ? schema.types[site.$ref] : site;
}

function validate(schema, site, value, path) {
  const spec = resolve(schema, site);
  const actual = typeName(value);

  switch (spec.type) {
  case 'string': {
    if (actual !== 'string')
      throw fail('DataError', `${path}: expected a string, got ${actual}`);
    const length = [...value].length;
    const max = spec.maxLength ?? DEFAULT_MAX_LENGTH;
    if (length > max)
      throw fail('DataError', `${path}: longer than ${max} characters`);
    if (length < (spec.minLength ?? 0))
      throw fail('DataError', `${path}: shorter than ${spec.minLength} characters`);
    if (spec.enum !== undefined && !spec.enum.includes(value))
      throw fail('DataError', `${path}: expected one of ${spec.enum.map((c) => `"${c}"`).join(', ')}`);
    return;
  }
  case 'integer':
  case 'number':
    if (actual !== 'number')
      throw fail('DataError', `${path}: expected a number, got ${actual}`);
    if (spec.type === 'integer' && (!Number.isInteger(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER))
      throw fail('DataError', `${path}: expected an integer`);
    if (spec.minimum !== undefined && value < spec.minimum)
      throw fail('DataError', `${path}: less than ${spec.minimum}`);
    if (spec.maximum !== undefined && value > spec.maximum)
      throw fail('DataError', `${path}: more than ${spec.maximum}`);
    return;
  case 'boolean':
    if (actual !== 'boolean')
      throw fail('DataError', `${path}: expected true or false, got ${actual}`);
    return;
  case 'object':
    if (actual !== 'object')
      throw fail('DataError', `${path}: expected an object, got ${actual}`);
    validateMembers(schema, spec.properties, value, path);
    return;
  case 'array': {
    if (actual !== 'array')
      throw fail('DataError', `${path}: expected an array, got ${actual}`);
    const max = spec.maxItems ?? DEFAULT_MAX_ITEMS;
    if (value.length > max)
      throw fail('DataError', `${path}: more than ${max} items`);
    value.forEach((item, i) => validate(schema, spec.items, item, `${path}[${i}]`));
    return;
  }
  default:
    throw fail('DataError', `${path}: the schema gives no usable type`);
  }
}

function validateMembers(schema, properties, members, path) {
  for (const name of Object.keys(members)) {
    if (properties === undefined || !Object.hasOwn(properties, name))
      throw fail('DataError', `${path}: unexpected member "${name}"`);
  }
  for (const [name, spec] of Object.entries(properties ?? {})) {
    if (!Object.hasOwn(members, name)) {
      if (spec.required)
        throw fail('DataError', `${path}.${name}: missing`);
      continue;
    }
    validate(schema, spec, members[name], `${path}.${name}`);
  }
}

// --- Storage -----------------------------------------------------------------

function load(key, fallback) {
  try {
    const text = localStorage.getItem(STORAGE + key);
    return text === null ? fallback : JSON.parse(text);
  } catch (e) {
    return fallback;
  }
}

function store(key, value, what) {
  try {
    localStorage.setItem(STORAGE + key, JSON.stringify(value));
  } catch (e) {
    throw fail('QuotaExceededError', `${what}: this browser's localStorage is full`);
  }
}

function randomHex() {
  return crypto.randomUUID().replaceAll('-', '');
}

// --- The app's manifest and its permissions ----------------------------------

async function loadManifest() {
  const link = document.querySelector('link[rel~="manifest"]');
  const url = new URL(link?.getAttribute('href') ?? 'manifest.json', document.baseURI);
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (response.ok)
      return await response.json();
  } catch (e) {
    // Below: an app without a readable manifest declares nothing.
  }
  console.warn(`[yun-shim] cannot read the manifest at ${url}: every permission is undeclared`);
  return {};
}

function declaredPermissions(manifest) {
  const permissions = manifest?.yun?.permissions;
  return typeof permissions === 'object' && permissions !== null && !Array.isArray(permissions)
    ? permissions : {};
}

// --- Emulated device ----------------------------------------------------------

// A test image, as the camera's videotestsrc gives in the runtime's tests:
// colour bars, a label and the time it was taken.
async function drawTestImage(width, height, type, quality) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const bars = ['#c0c0c0', '#c0c000', '#00c0c0', '#00c000', '#c000c0', '#c00000', '#0000c0'];
  bars.forEach((colour, i) => {
    context.fillStyle = colour;
    context.fillRect(Math.floor(i * width / bars.length), 0, Math.ceil(width / bars.length), height);
  });
  context.fillStyle = 'rgba(0, 0, 0, 0.7)';
  context.fillRect(0, height * 0.7, width, height * 0.3);
  context.fillStyle = '#ffffff';
  context.font = `${Math.max(10, Math.round(height * 0.08))}px sans-serif`;
  context.textBaseline = 'middle';
  context.fillText('yun-shim test image', width * 0.05, height * 0.78);
  context.fillText(new Date().toISOString(), width * 0.05, height * 0.9);
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

// As the phone searches: a name by the start of any of its words, a number
// by its last digits, an e-mail address by its start.
function matchesContact(contact, query) {
  const q = query.trim().toLowerCase();
  const digits = q.replace(/\D/g, '');
  const name = contact.name.formatted.toLowerCase();
  return name.startsWith(q) || name.split(/\s+/).some((word) => word.startsWith(q)) ||
    contact.email.some((email) => email.value.toLowerCase().startsWith(q)) ||
    (digits.length >= 3 && contact.tel.some((tel) => tel.value.replace(/\D/g, '').endsWith(digits)));
}

function copy(value) {
  return JSON.parse(JSON.stringify(value));
}

// --- navigator.yun's methods -------------------------------------------------

function makeHandlers(app) {
  const notes = () => load('notes', {});

  function noteOf(record) {
    return { id: record.id, rev: record.rev, title: record.title, body: record.body, tags: [...record.tags], updated: record.updated };
  }

  return {
    'runtime.capabilities': () => ({
      runtime: RUNTIME,
      version: SHIM_VERSION,
      methods: app.methods,
      shim: true,
      emulated: ['notes: localStorage', 'contacts: fixtures', 'camera: test image', 'location: fixed position'],
    }),

    'device.info': () => ({
      runtime: RUNTIME,
      version: SHIM_VERSION,
      model: `Desktop browser (emulated by yun-shim.js): ${navigator.userAgent}`,
    }),

    'permissions.query': ({ name }) => app.permissionState(name),

    'permissions.request': async ({ name }) => {
      if (!Object.hasOwn(app.declared, name))
        throw fail('NotAllowedError', `permissions.request: the app's manifest does not declare the "${name}" permission`);
      return (await app.ask(name, 'permissions.request')) ? 'granted' : 'denied';
    },

    'notes.list': ({ limit = 100 }) => Object.values(notes())
      .sort((a, b) => b.updated - a.updated)
      .slice(0, limit)
      .map(noteOf),

    'notes.get': ({ id }) => {
      const record = notes()[id];
      if (record === undefined)
        throw fail('NotFoundError', `notes: there is no note "${id}"`);
      return noteOf(record);
    },

    'notes.save': ({ id, rev, title, body, tags = [] }) => {
      if ((id === undefined) !== (rev === undefined))
        throw fail('DataError', 'notes.save: args: id and rev go together');
      const all = notes();
      let generation = 1;
      if (id !== undefined) {
        const current = all[id];
        // The store answers a change of a missing note as a conflict.
        if (current === undefined || current.rev !== rev)
          throw fail('InvalidStateError', `notes: "${rev}" is not the current revision of "${id}"`);
        generation = Number.parseInt(current.rev, 10) + 1;
      } else {
        id = randomHex();
      }
      const record = { id, rev: `${generation}-${randomHex()}`, title, body, tags, updated: Date.now() };
      all[id] = record;
      store('notes', all, 'notes.save');
      return { id, rev: record.rev };
    },

    'notes.remove': ({ id, rev }) => {
      const all = notes();
      if (all[id] === undefined)
        throw fail('NotFoundError', `notes: there is no note "${id}"`);
      if (all[id].rev !== rev)
        throw fail('InvalidStateError', `notes: "${rev}" is not the current revision of "${id}"`);
      delete all[id];
      store('notes', all, 'notes.remove');
      return true;
    },

    // For when the schema has them: the fixtures stand in for the phone's
    // contacts, and the test image for its camera.
    'contacts.find': ({ query = '', order = 'name', limit = 50 }) =>
      fixtures.contacts.filter((c) => query.trim() === '' || matchesContact(c, query))
        .sort(order === 'recent' ? (a, b) => b.updated - a.updated
                                 : (a, b) => a.name.formatted.localeCompare(b.name.formatted))
        .slice(0, limit).map(copy),

    'contacts.get': ({ id }) => {
      const contact = fixtures.contacts.find((c) => c.id === id);
      if (contact === undefined)
        throw fail('NotFoundError', `contacts: there is no contact "${id}"`);
      return copy(contact);
    },

    // A 640x480 test picture, scaled down to fit maxWidth x maxHeight.
    'camera.takePicture': async ({ maxWidth = 640, maxHeight = 480, quality = 0.92 }) => {
      const scale = Math.min(1, maxWidth / 640, maxHeight / 480);
      const width = Math.max(1, Math.round(640 * scale));
      const height = Math.max(1, Math.round(480 * scale));
      const blob = await drawTestImage(width, height, 'image/jpeg', quality);
      return {
        id: randomHex(), rev: `1-${randomHex()}`, taken: Date.now(), width, height,
        content_type: blob.type, length: blob.size, url: URL.createObjectURL(blob),
      };
    },
  };
}

// --- Standard APIs the runtime backs with the phone ----------------------------

function installStandardApis(app) {
  // Geolocation: a fixed position, for an app that declares "location".
  const positionError = (code, message) => ({ code, message, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 });
  const position = () => ({
    coords: { ...fixtures.position, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
    timestamp: Date.now(),
  });
  async function locate(success, failure) {
    if (!(await app.allowed('location', 'read', 'geolocation'))) {
      failure?.(positionError(1, 'yun-shim: the app may not use the location'));
      return;
    }
    success(position());
  }
  let nextWatch = 1;
  const geolocation = Object.freeze({
    getCurrentPosition(success, failure) {
      locate(success, failure);
    },
    watchPosition(success, failure) {
      locate(success, failure);
      return nextWatch++;
    },
    clearWatch() {},
  });
  Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true });

  // Contact Picker: the first fixture, or all of them, with the properties
  // asked for; as in the runtime, it needs no standing permission.
  const contacts = Object.freeze({
    async getProperties() {
      return ['name', 'email', 'tel'];
    },
    async select(properties, options = {}) {
      if (!Array.isArray(properties) || properties.length === 0)
        throw new TypeError('navigator.contacts.select: properties must be a non-empty array');
      const chosen = options.multiple ? fixtures.contacts : fixtures.contacts.slice(0, 1);
      const values = (c, p) => (p === 'name' ? [c.name.formatted] : (c[p] ?? []).map((entry) => entry.value));
      return chosen.map((c) => Object.fromEntries(properties.map((p) => [p, values(c, p)])));
    },
  });
  Object.defineProperty(navigator, 'contacts', { value: contacts, configurable: true });

  // <input type="file" accept="image/*" capture>: the test image instead of
  // a file chooser, as the runtime opens its camera instead.
  document.addEventListener('click', async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.hasAttribute('capture'))
      return;
    event.preventDefault();
    const blob = await drawTestImage(640, 480, 'image/jpeg', 0.9);
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], `yun-shim-${Date.now()}.jpg`, { type: blob.type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, true);
}

// --- Building navigator.yun --------------------------------------------------

async function install() {
  const schemaUrl = new URL('yun-api.json', import.meta.url);
  const schema = await (await fetch(schemaUrl, { cache: 'no-store' })).json();
  const manifest = await loadManifest();
  const declared = declaredPermissions(manifest);
  const appName = typeof manifest.name === 'string' ? manifest.name : document.title || location.host;

  const app = {
    declared,
    methods: [],

    decisions: () => load('permissions', {}),

    permissionState(name) {
      if (!Object.hasOwn(declared, name))
        return 'denied';
      return app.decisions()[name] ?? 'prompt';
    },

    // The runtime's prompt, as well as a browser can: OK allows always,
    // Cancel denies; both are remembered.
    async ask(name, method) {
      const state = app.permissionState(name);
      if (state !== 'prompt')
        return state === 'granted';
      const reason = declared[name]?.reason ?? '';
      const allowed = window.confirm(`[Yun shim] "${appName}" asks to use your ${name}.\n\n${reason}\n\nOK allows it, Cancel denies it (asked by ${method}).`);
      const decisions = app.decisions();
      decisions[name] = allowed ? 'granted' : 'denied';
      store('permissions', decisions, method);
      app.dispatch('permissions', 'change', { name, state: decisions[name] });
      return allowed;
    },

    async allowed(name, access, method) {
      const entry = declared[name];
      if (entry === undefined || (access === 'readwrite' && entry.access !== 'readwrite'))
        return false;
      return app.ask(name, method);
    },
  };

  const handlers = makeHandlers(app);
  const yun = Object.create(null);

  // Namespaces with events are event targets, as in the runtime; the page
  // can listen but not dispatch.
  const targets = {};
  app.dispatch = (api, type, detail) => {
    targets[api]?.dispatchEvent(new CustomEvent(type, { detail: Object.freeze(copy(detail)) }));
  };

  for (const [api, namespace] of Object.entries(schema.namespaces)) {
    const target = namespace.root ? yun : Object.create(null);
    for (const [method, declaration] of Object.entries(namespace.methods)) {
      const name = namespace.root ? method : `${api}.${method}`;
      const handler = handlers[`${api}.${method}`];
      if (handler !== undefined)
        app.methods.push(name);

      const call = async (...params) => {
        if (params.length > 1)
          throw fail('DataError', `${name}: takes one options object, got ${params.length} arguments`);
        const options = params.length === 0 || params[0] === undefined ? {} : params[0];
        if (typeof options !== 'object' || options === null || Array.isArray(options) ||
            (Object.getPrototypeOf(options) !== Object.prototype && Object.getPrototypeOf(options) !== null))
          throw fail('DataError', `${name}: expected an options object`);

        // What the runtime receives: the options as JSON.
        let text;
        try {
          text = JSON.stringify(options);
        } catch (e) {
          throw fail('DataError', `${name}: the arguments cannot be sent as JSON`);
        }
        if (text.length > MAX_REQUEST_BYTES)
          throw fail('DataError', `${name}: the request is larger than ${MAX_REQUEST_BYTES} bytes`);
        const args = JSON.parse(text);

        if (handler === undefined)
          throw fail('NotSupportedError', `${name}: yun-shim.js does not emulate this method; try the app in yun-shell --dev`);
        validateMembers(schema, declaration.args, args, `${api}.${method}: args`);

        const permission = declaration.permission;
        if (permission !== undefined) {
          const entry = declared[permission.name];
          if (entry === undefined || (permission.access === 'readwrite' && entry.access !== 'readwrite'))
            throw fail('NotAllowedError', `${name}: the app's manifest does not declare the "${permission.name}" permission with "${permission.access}" access`);
          if (!(await app.ask(permission.name, name)))
            throw fail('NotAllowedError', `${name}: the user denied the "${permission.name}" permission`);
        }

        // Results travel as JSON in the runtime too: no shared objects.
        return copy(await handler(args));
      };
      Object.defineProperty(target, method, { value: call, enumerable: true });
    }
    if (namespace.events) {
      const events = new EventTarget();
      const known = (type, listener) => Object.hasOwn(namespace.events, type) &&
        (typeof listener === 'function' || (typeof listener === 'object' && listener !== null));
      targets[api] = events;
      Object.defineProperty(target, 'addEventListener', {
        value: (type, listener, options) => known(type, listener) && events.addEventListener(type, listener, options),
      });
      Object.defineProperty(target, 'removeEventListener', {
        value: (type, listener, options) => known(type, listener) && events.removeEventListener(type, listener, options),
      });
    }
    if (!namespace.root)
      Object.defineProperty(yun, api, { value: Object.freeze(target), enumerable: true });
  }
  app.methods.sort();

  Object.defineProperty(navigator, 'yun', { value: Object.freeze(yun), enumerable: true, configurable: false, writable: false });
  installStandardApis(app);

  globalThis.yunShim = Object.freeze({
    version: SHIM_VERSION,
    fixtures,
    // Forgets every answer, as revoking them in the permission centre does.
    resetPermissions() {
      const decided = Object.keys(app.decisions());
      localStorage.removeItem(`${STORAGE}permissions`);
      for (const name of decided)
        app.dispatch('permissions', 'change', { name, state: 'prompt' });
    },
    clearNotes() {
      localStorage.removeItem(`${STORAGE}notes`);
    },
  });

  console.info(`[yun-shim] navigator.yun is EMULATED for "${appName}": notes in localStorage, ` +
               'contacts are fixtures, the camera is a test image, the location is fixed. ' +
               'Try the app in yun-shell --dev for the real runtime.');
}

if (!('yun' in navigator))
  await install();

export default navigator.yun;
