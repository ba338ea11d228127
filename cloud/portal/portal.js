// portal.js: the portal /my.  Sign in, then browse one database at a
// time, newest first, a page at a time.
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { Cloud, CloudError } from './api.js';
import { views, threadsOf, renderThread, el } from './views.js';

const PAGE_SIZE = { notes: 20, contacts: 20, photos: 24, messages: 20, calls: 20 };

const $ = (id) => document.getElementById(id);
const cloud = new Cloud();

const state = {
  view: 'notes',
  docs: [],
  thread: null,
  page: 0,
  // Blob URLs of the pictures shown, freed when they go.
  blobs: [],
  // Only the newest load may draw.
  generation: 0,
};

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

function freeBlobs() {
  for (const url of state.blobs) URL.revokeObjectURL(url);
  state.blobs = [];
}

function showSignIn() {
  freeBlobs();
  $('app').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('name').focus();
}

function showApp() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = cloud.name;
}

/** A failure: an expired session goes back to signing in. */
function fail(error) {
  if (error instanceof CloudError && error.status === 401) {
    cloud.forget();
    showSignIn();
    showError('Your session has ended; please sign in again.');
    return;
  }
  showError(error.message);
}

function currentItems() {
  if (state.view !== 'messages') return state.docs;
  if (state.thread === null) return threadsOf(state.docs);
  return state.docs.filter((doc) => String(doc.thread ?? doc.from ?? '') === state.thread);
}

function draw() {
  const view = views[state.view];
  const items = currentItems();
  const size = PAGE_SIZE[state.view];
  const pages = Math.max(1, Math.ceil(items.length / size));
  state.page = Math.min(state.page, pages - 1);
  const shown = items.slice(state.page * size, (state.page + 1) * size);

  freeBlobs();
  $('view-title').textContent = state.view === 'messages' && state.thread !== null
    ? `Messages with ${state.thread}` : view.title;
  $('back').hidden = !(state.view === 'messages' && state.thread !== null);

  let list;
  if (state.view === 'messages' && state.thread === null) {
    list = el('ul', { className: 'items threads' },
      ...shown.map((entry) => renderThread(entry, (thread) => {
        state.thread = thread;
        state.page = 0;
        draw();
      })));
  } else {
    list = el('ul', { className: state.view === 'photos' ? 'photos' : 'items' },
      ...shown.map((doc) => view.render(doc, cloud, state.blobs)));
  }
  list.id = 'list';
  $('list').replaceWith(list);

  const noun = state.view === 'messages' && state.thread === null ? 'conversations' : view.title.toLowerCase();
  $('status').textContent = items.length === 0 ? `You have no ${noun} yet.`
    : `${items.length} ${items.length === 1 ? noun.replace(/s$/, '') : noun}`;
  $('page').textContent = `Page ${state.page + 1} of ${pages}`;
  $('newer').disabled = state.page === 0;
  $('older').disabled = state.page >= pages - 1;
}

async function load(viewName) {
  const generation = ++state.generation;
  state.view = viewName;
  state.thread = null;
  state.page = 0;
  state.docs = [];
  for (const button of document.querySelectorAll('.tabs button'))
    button.setAttribute('aria-pressed', String(button.dataset.view === viewName));
  showError('');
  $('status').textContent = 'Loading…';
  try {
    const docs = await cloud.allDocs(viewName);
    if (generation !== state.generation) return;
    const time = views[viewName].time;
    state.docs = docs.sort((a, b) => time(b) - time(a));
    draw();
  } catch (error) {
    if (generation !== state.generation) return;
    $('status').textContent = '';
    fail(error);
  }
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = event.submitter ?? $('sign-in-form').querySelector('button');
  button.disabled = true;
  showError('');
  try {
    await cloud.signIn($('name').value.trim(), $('password').value);
    $('password').value = '';
    showApp();
    await load('notes');
  } catch (error) {
    showError(error.message);
  } finally {
    button.disabled = false;
  }
});

$('sign-out').addEventListener('click', async () => {
  state.generation++;
  showError('');
  try {
    await cloud.signOut();
  } catch (error) {
    showError(error.message);
  }
  showSignIn();
});

for (const button of document.querySelectorAll('.tabs button'))
  button.addEventListener('click', () => load(button.dataset.view));

$('back').addEventListener('click', () => {
  state.thread = null;
  state.page = 0;
  draw();
});
$('newer').addEventListener('click', () => { state.page -= 1; draw(); });
$('older').addEventListener('click', () => { state.page += 1; draw(); });

if (cloud.signedIn) {
  showApp();
  load('notes');
} else {
  showSignIn();
}
