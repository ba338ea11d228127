// app.js: the Yun Store.  Browse the catalog by category, search it, read
// an app's details and the permissions it will ask for, and install,
// update or remove it through navigator.yun.apps when the store runs on a
// Yun phone.  In a plain browser everything but installing works.

import { api, ApiError, describeError, h, keepOffline, show, stars } from './lib.js';

const PAGE = 20;
const view = document.getElementById('view');
const status = document.getElementById('status');
const title = document.getElementById('title');
const searchForm = document.getElementById('search');
const searchInput = document.getElementById('q');

// navigator.yun.apps is there only for the store on a Yun phone.
const yunApps = navigator.yun?.apps ?? null;

let categories = null;
// Each route() counts; a page whose data comes after the user moved on to
// another one is not shown.
let routeCount = 0;

function stale(count) {
  return count !== routeCount;
}

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = 'status' + (kind ? ' ' + kind : '');
}

function bytes(size) {
  if (size >= 1e6) return (size / 1e6).toFixed(1) + ' MB';
  if (size >= 1e3) return Math.round(size / 1e3) + ' kB';
  return size + ' B';
}

function appItem(app) {
  return h('li', {},
    h('a', { href: `#/app/${encodeURIComponent(app.id)}`, 'data-app': app.id },
      h('img', { class: 'thumb', src: app.icon_url, alt: '', width: 64, height: 64, loading: 'lazy' }),
      h('div', { class: 'grow' },
        h('div', { class: 'title' }, app.name),
        h('div', { class: 'muted' }, app.developer),
        h('div', { class: 'muted' }, stars(app.rating, app.ratings_count), ' · ', bytes(app.size),
          app.builtin ? ' · Yun' : ''))));
}

/** A list that pages with a "More" button. */
function pagedList(makeUrl, empty) {
  const list = h('ul', { class: 'list', 'aria-live': 'polite' });
  const more = h('button', { class: 'secondary', type: 'button', hidden: true }, 'More apps');
  let offset = 0;

  async function load() {
    more.disabled = true;
    try {
      const page = await api(makeUrl(offset));
      list.append(...page.items.map(appItem));
      if (offset === 0 && page.items.length === 0) list.append(h('li', {}, empty));
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
      setStatus('');
    } catch (error) {
      setStatus(describeError(error), 'error');
    }
    more.disabled = false;
  }

  more.addEventListener('click', load);
  load();
  return [list, more];
}

async function categoryChips(current) {
  if (!categories) {
    const page = await api('/api/store/categories?limit=100');
    categories = page.items;
  }
  return h('nav', { class: 'chips', 'aria-label': 'Categories' },
    h('a', { class: 'chip', href: '#/', 'aria-current': current ? 'false' : 'true' }, 'Popular'),
    categories.map((c) => h('a', {
      class: 'chip', href: `#/category/${c.id}`, 'aria-current': String(c.id === current),
    }, c.name)));
}

async function showHome(count) {
  // The list's request goes out beside the categories', not after it.
  const list = pagedList((offset) => `/api/store/apps?limit=${PAGE}&offset=${offset}`, 'No apps.');
  const chips = await categoryChips(null);
  if (stale(count)) return;
  title.textContent = 'Store';
  show(view, chips, h('h2', {}, 'Popular apps'), list);
}

async function showCategory(id, count) {
  const list = pagedList((offset) => `/api/store/apps?category=${encodeURIComponent(id)}&sort=rating&limit=${PAGE}&offset=${offset}`,
    'No apps in this category yet.');
  const chips = await categoryChips(id);
  if (stale(count)) return;
  const name = categories.find((c) => c.id === id)?.name ?? id;
  title.textContent = name;
  show(view, chips, h('h2', {}, name), list);
}

function showSearch(q) {
  title.textContent = 'Search';
  searchInput.value = q;
  show(view, h('h2', {}, `Results for “${q}”`),
    pagedList((offset) => `/api/store/apps?q=${encodeURIComponent(q)}&limit=${PAGE}&offset=${offset}`,
      'No app matches. Try fewer or other words.'));
}

// Installing -------------------------------------------------------------

/** What the phone has installed of this app: its record, or null. */
async function installed(id) {
  if (!yunApps) return null;
  try {
    return await yunApps.get({ id });
  } catch (error) {
    if (error?.name === 'NotFoundError') return null;
    throw error;
  }
}

/** A message a person can act on, for a failed install. */
function installError(error) {
  const text = `${error?.name ?? ''} ${error?.message ?? ''}`.toLowerCase();
  if (error?.name === 'QuotaExceededError' || /no space|disk full|enospc/.test(text)) {
    return 'There is not enough space on the phone. Free some space and try again.';
  }
  if (error?.name === 'DataError' && /sha-?256|checksum|hash/.test(text)) {
    return 'The download was damaged: it is not the package the store lists (SHA-256 mismatch). Nothing was changed; try again.';
  }
  if (error?.name === 'NetworkError' || error instanceof TypeError) {
    return 'No network: the app could not be downloaded. Check your connection and try again.';
  }
  if (error?.name === 'NotAllowedError') {
    return 'The store is not allowed to install apps on this phone.';
  }
  if (error?.name === 'InvalidStateError' && /already installed/.test(text)) {
    return 'This app is already installed.';
  }
  return `The app could not be installed: ${error?.message ?? error}`;
}

function absolute(url) {
  return url ? new URL(url, location.href).href : null;
}

/**
 * What navigator.yun.apps.install() needs.  The cloud's own apps call the
 * cloud's API on their origin, so they install as hosted apps even though
 * the catalog also lists their zip; other apps with a zip install packaged,
 * checked against the SHA-256 the catalog lists.
 */
function installRequest(app) {
  const request = { id: app.id, manifestUrl: absolute(app.manifest_url) };
  if (app.package_url && app.sha256 && !app.builtin) {
    request.packageUrl = absolute(app.package_url);
    request.sha256 = app.sha256;
  }
  return request;
}

/**
 * Whether the installed app is the version the store has.  A packaged
 * app's version is its manifest's (or its zip's SHA-256); a hosted app's
 * is the SHA-256 of its manifest, so that is compared with the manifest
 * the cloud serves now.
 */
async function isCurrent(record, app) {
  if (record.source !== 'hosted') return record.version === app.version || record.version === app.sha256;
  try {
    const response = await fetch(absolute(app.manifest_url), { cache: 'no-store' });
    if (!response.ok || !crypto.subtle) return true;
    const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    return hex === record.version;
  } catch {
    // Offline: nothing to update to.
    return true;
  }
}

const phaseText = {
  download: 'Downloading…', verify: 'Checking the download…', install: 'Installing…', done: 'Done.',
};

function installControls(app) {
  const box = h('div', { class: 'card', id: 'install' });
  const progress = h('progress', { max: 1, value: 0, hidden: true });
  const message = h('p', { class: 'status', role: 'status' });

  if (!yunApps) {
    const start = app.builtin ? `/apps/${app.id}/` : `/api/store/apps/${app.id}/site/`;
    show(box, h('p', {},
      'Installing needs a Yun phone: this store is open in a web browser. ',
      'You can still try the app here: '),
    h('a', { class: 'button', href: start, target: '_blank', rel: 'noopener' }, `Open ${app.name}`));
    return box;
  }

  async function run(action) {
    if (navigator.onLine === false && action !== 'uninstall') {
      message.className = 'status error';
      message.textContent = installError({ name: 'NetworkError' });
      return;
    }
    const buttons = box.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    progress.hidden = action === 'uninstall';
    progress.value = 0;
    message.className = 'status';
    message.textContent = action === 'uninstall' ? 'Removing…' : 'Downloading…';

    const onProgress = (event) => {
      const detail = event.detail ?? {};
      if (detail.id && detail.id !== app.id) return;
      if (typeof detail.fraction === 'number') progress.value = detail.fraction;
      if (detail.phase) message.textContent = phaseText[detail.phase] ?? '';
    };
    yunApps.addEventListener('progress', onProgress);
    try {
      const request = installRequest(app);
      if (action === 'uninstall') await yunApps.uninstall({ id: app.id });
      else if (action === 'update') await yunApps.update(request);
      else await yunApps.install(request);
      progress.value = 1;
      message.className = 'status ok';
      message.textContent = action === 'uninstall' ? `${app.name} was removed.`
        : action === 'update' ? `${app.name} is up to date.` : `${app.name} is installed.`;
    } catch (error) {
      message.className = 'status error';
      message.textContent = action === 'uninstall'
        ? `The app could not be removed: ${error?.message ?? error}` : installError(error);
    } finally {
      yunApps.removeEventListener('progress', onProgress);
    }
    await refresh();
  }

  async function refresh() {
    let record = null;
    try {
      record = await installed(app.id);
    } catch (error) {
      message.className = 'status error';
      message.textContent = `Could not ask the phone about this app: ${error?.message ?? error}`;
    }
    const current = record && await isCurrent(record, app);
    const buttons = record
      ? [current ? null : h('button', { type: 'button', onclick: () => run('update') }, 'Update'),
        h('button', { type: 'button', class: 'danger', onclick: () => run('uninstall') }, 'Uninstall')]
      : [h('button', { type: 'button', onclick: () => run('install') }, 'Install')];
    show(box, h('div', { class: 'actions' }, buttons), progress, message);
  }

  refresh();
  return box;
}

// An app's page -----------------------------------------------------------

function permissionList(app) {
  if (app.permissions.length === 0) {
    return h('p', {}, 'This app asks for no access to your phone.');
  }
  return h('ul', { class: 'permissions', id: 'permissions' },
    app.permissions.map((p) => h('li', {},
      h('strong', {}, p.name), p.access === 'readwrite' ? ' (read and change)' : ' (read)',
      h('br'), h('span', { class: 'muted' }, p.reason))));
}

function reviewItem(review) {
  return h('div', { class: 'review' },
    h('div', {}, stars(review.rating), ' ', h('span', { class: 'muted' }, review.user)),
    review.text ? h('p', {}, review.text) : null);
}

function reviewForm(app, onSaved) {
  const rating = h('select', { name: 'rating', id: 'rating', required: true },
    [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, '★'.repeat(n))));
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 2000, placeholder: 'What do you think?' });
  const message = h('p', { class: 'status', role: 'status' });
  const form = h('form', { class: 'card', id: 'review-form' },
    h('h2', {}, 'Your review'),
    h('label', { for: 'rating' }, 'Rating'), rating,
    h('label', {}, 'Review', text),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save review')),
    message);

  api(`/api/store/apps/${app.id}/reviews/mine`).then((mine) => {
    rating.value = mine.rating;
    text.value = mine.text;
  }).catch(() => {});

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/store/apps/${app.id}/reviews/mine`, {
        method: 'PUT', body: { rating: Number(rating.value), text: text.value },
      });
      message.className = 'status ok';
      message.textContent = 'Thank you, your review is saved.';
      onSaved();
    } catch (error) {
      message.className = 'status error';
      message.textContent = describeError(error);
    }
  });
  return form;
}

async function showApp(id, count) {
  const app = await api(`/api/store/apps/${encodeURIComponent(id)}`);
  if (stale(count)) return;
  title.textContent = app.name;
  const reviews = h('div', { id: 'reviews' });

  async function loadReviews() {
    const page = await api(`/api/store/apps/${app.id}/reviews?limit=10`);
    show(reviews, page.items.length ? page.items.map(reviewItem) : h('p', { class: 'muted' }, 'No reviews yet.'));
  }

  show(view,
    h('section', { class: 'app-head' },
      h('img', { src: app.icon_url, alt: '', width: 80, height: 80 }),
      h('div', {},
        h('h2', { id: 'app-name' }, app.name),
        h('div', { class: 'muted' }, app.developer),
        h('div', {}, stars(app.rating, app.ratings_count)))),
    h('div', { class: 'facts' },
      h('div', {}, h('strong', {}, app.version), h('span', { class: 'muted' }, 'Version')),
      h('div', {}, h('strong', {}, bytes(app.size)), h('span', { class: 'muted' }, 'Size')),
      h('div', {}, h('strong', {}, app.category_name), h('span', { class: 'muted' }, 'Category'))),
    h('section', { class: 'card' },
      h('h2', {}, 'It will ask for'),
      permissionList(app)),
    installControls(app),
    h('div', { class: 'screens', 'aria-label': 'Screenshots' },
      app.screenshots.map((src, i) => h('img', { src, alt: `Screenshot ${i + 1}`, loading: 'lazy' }))),
    h('section', {}, h('h2', {}, 'About'), h('p', {}, app.description),
      h('p', { class: 'muted' }, `Updated ${new Date(app.updated).toLocaleDateString()}`,
        app.sha256 ? ` · SHA-256 ${app.sha256.slice(0, 16)}…` : '')),
    h('section', {}, h('h2', {}, 'Reviews'), reviews),
    reviewForm(app, loadReviews));
  await loadReviews();
}

// Routing ------------------------------------------------------------------

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1) || '/');
  const [, kind, arg] = hash.split('/');
  const count = ++routeCount;
  setStatus('');
  try {
    if (kind === 'app' && arg) await showApp(arg, count);
    else if (kind === 'category' && arg) await showCategory(arg, count);
    else if (kind === 'search') showSearch(hash.slice('/search/'.length));
    else await showHome(count);
    if (!stale(count)) window.scrollTo(0, 0);
  } catch (error) {
    if (stale(count)) return;
    const text = error instanceof ApiError && error.status === 404
      ? 'This app is not in the store (any more).' : describeError(error);
    show(view, h('p', { class: 'status error' }, text), h('a', { href: '#/' }, 'Back to the store'));
  }
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = searchInput.value.trim();
  if (q) location.hash = `#/search/${encodeURIComponent(q)}`;
});

window.addEventListener('hashchange', route);
route();
keepOffline();
