// lib.js: what every cloud app of Yun needs: the JSON API with the user
// stand-in and the answers kept for offline use, DOM building without
// innerHTML, formatting, and the offline copy of the app's files.  Each app
// keeps its own copy, so that its package is complete.

const USER_KEY = 'yun-user';
// The API's last answers, which api() falls back on without a network.
const ANSWERS = 'yun-app-answers-v1';

/**
 * Who the user is for the cloud's API.  STAND-IN until apps sign in to the
 * accounts API: a random name kept in this app's storage, sent in the
 * X-Yun-User header.
 */
export function user() {
  let name = localStorage.getItem(USER_KEY);
  if (!name || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name)) {
    const bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    name = 'guest-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(USER_KEY, name);
  }
  return name;
}

/** An error of the API, with the server's reason. */
export class ApiError extends Error {
  constructor(status, error, reason) {
    super(reason || error || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
  }
}

/** The Cache API's store of answers, or null where there is none. */
function answers() {
  return globalThis.caches?.open(ANSWERS).catch(() => null) ?? Promise.resolve(null);
}

/** Keeps a GET's answer, with when it came, for offline use. */
async function keepAnswer(path, json) {
  const cache = await answers();
  const saved = new Response(JSON.stringify(json), {
    headers: { 'Content-Type': 'application/json', 'X-Yun-Saved': new Date().toISOString() },
  });
  await cache?.put(path, saved).catch(() => {});
}

/** The answer kept for `path`, as { json, saved }, or null. */
async function keptAnswer(path) {
  const kept = await (await answers())?.match(path).catch(() => null);
  if (!kept) return null;
  return { json: await kept.json(), saved: new Date(kept.headers.get('X-Yun-Saved')) };
}

/**
 * Says at the top of the page that it shows what was loaded before, at
 * `saved`, because the cloud cannot be reached; null takes that back.
 */
function showOffline(saved) {
  let notice = document.getElementById('offline');
  if (!saved) {
    notice?.remove();
    return;
  }
  if (!notice) {
    notice = h('p', { id: 'offline', class: 'status', role: 'status' });
    (document.querySelector('main') ?? document.body).prepend(notice);
  }
  const when = saved.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  notice.textContent = `You are offline: showing what was loaded on ${when}. ` +
    'Anything that needs the cloud waits until you are connected.';
}

/**
 * Calls the cloud's JSON API at `path` (absolute, like /api/store/apps).
 * Rejects with an ApiError for an HTTP error, or a TypeError when offline.
 * Without a network, a GET answers with what the same GET answered last,
 * and the page says it is offline.
 */
export async function api(path, { method = 'GET', body, type, signal } = {}) {
  const headers = { 'X-Yun-User': user() };
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (body instanceof Blob) {
    headers['Content-Type'] = type || body.type || 'application/octet-stream';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, signal });
  } catch (error) {
    const kept = method === 'GET' && !signal?.aborted ? await keptAnswer(path) : null;
    if (!kept) throw error;
    showOffline(kept.saved);
    return kept.json;
  }
  showOffline(null);
  const json = response.headers.get('Content-Type')?.startsWith('application/json')
    ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, json?.error, json?.reason);
  }
  if (method === 'GET') keepAnswer(path, json);
  return json;
}

/** A message a person can act on, for any failure of api(). */
export function describeError(error) {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError || error?.name === 'NetworkError') {
    return navigator.onLine === false ? 'You are offline. Try again when you are connected.'
      : 'Could not reach the cloud. Check your connection and try again.';
  }
  return error?.message || String(error);
}

/**
 * Makes an element: h('a', {href: '#'}, 'text', child).  Attributes starting
 * with "on" are listeners; text is always text, never HTML.
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      node.className = value;
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** "¥1,299.00" from fen. */
export function money(fen) {
  return '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Five stars, filled to the rating, with a text equivalent. */
export function stars(rating, count) {
  const filled = Math.round(rating ?? 0);
  const label = rating === null || rating === undefined ? 'No ratings yet'
    : `${rating.toFixed(1)} out of 5${count !== undefined ? `, ${count.toLocaleString('en-US')} ratings` : ''}`;
  return h('span', { class: 'stars', role: 'img', 'aria-label': label, title: label },
    '★'.repeat(filled) + '☆'.repeat(5 - filled));
}

/** Replaces what `node` shows. */
export function show(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}

/**
 * Keeps an offline copy of the app's files: a service worker where the
 * browser has them (api() keeps the answers).  Installed apps also have the
 * shell's own offline copy of the start page.
 */
export function keepOffline() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('sw.js').catch((error) => {
    console.info('No offline copy:', error.message);
  });
}
