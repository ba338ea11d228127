// views.js: how each kind of document is shown.  Text goes in with
// textContent only: nothing from the data is ever parsed as HTML.
//
// SPDX-License-Identifier: GPL-3.0-or-later

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) {
    if (child === null || child === undefined || child === '') continue;
    node.append(child);
  }
  return node;
}

function num(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function formatTime(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return '';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function values(list) {
  if (typeof list === 'string') return [list];
  if (!Array.isArray(list)) return [];
  return list
    .map((entry) => (typeof entry === 'string' ? entry : entry && entry.value))
    .filter((value) => typeof value === 'string' && value !== '');
}

export function contactName(doc) {
  const name = doc.name;
  if (typeof name === 'string') return name;
  if (Array.isArray(name)) return values(name).join(' ');
  if (name && typeof name === 'object') {
    if (name.formatted) return String(name.formatted);
    return [name.given, name.family].filter(Boolean).join(' ');
  }
  return '';
}

/** Each database: how to order it (newest first) and show one document. */
export const views = {
  notes: {
    title: 'Notes',
    time: (doc) => num(doc.updated),
    render(doc) {
      return el('li', { className: 'item' },
        el('h3', { textContent: doc.title || '(untitled)' }),
        el('div', { className: 'body', textContent: typeof doc.body === 'string' ? doc.body : '' }),
        el('div', { className: 'meta', textContent: [formatTime(doc.updated), values(doc.tags).join(', ')].filter(Boolean).join(' · ') }));
    },
  },
  contacts: {
    title: 'Contacts',
    time: (doc) => num(doc.updated),
    render(doc) {
      const details = [];
      const tel = values(doc.tel);
      const email = values(doc.email);
      if (tel.length) details.push(el('div', { className: 'tel', textContent: `Phone: ${tel.join(', ')}` }));
      if (email.length) details.push(el('div', { className: 'email', textContent: `E-mail: ${email.join(', ')}` }));
      const org = [doc.title, doc.org].filter((value) => typeof value === 'string' && value).join(', ');
      return el('li', { className: 'item' },
        el('h3', { textContent: contactName(doc) || '(no name)' }),
        ...details,
        org ? el('div', { className: 'meta', textContent: org }) : null);
    },
  },
  photos: {
    title: 'Photos',
    time: (doc) => num(doc.taken),
    render(doc, cloud, blobs) {
      const img = el('img', { alt: `Photo ${formatTime(doc.taken)}`.trim(), loading: 'lazy' });
      const figure = el('li', { className: 'photo' },
        el('figure', { className: 'photo' }, img,
          el('figcaption', { textContent: formatTime(doc.taken) || `${num(doc.width)} × ${num(doc.height)}` })));
      if (doc._attachments && doc._attachments.image) {
        cloud.attachmentUrl('photos', doc._id, 'image').then((url) => {
          blobs.push(url);
          img.src = url;
        }, (error) => {
          img.alt = error.message;
        });
      }
      return figure;
    },
  },
  messages: {
    title: 'Messages',
    time: (doc) => num(doc.time),
    render(doc) {
      const to = values(doc.to).join(', ');
      return el('li', { className: 'item' },
        el('div', { className: 'meta', textContent: [doc.from ? `From ${doc.from}` : '', to ? `to ${to}` : '', formatTime(doc.time)].filter(Boolean).join(' · ') }),
        el('div', { className: 'body', textContent: typeof doc.body === 'string' ? doc.body : '' }));
    },
  },
  calls: {
    title: 'Calls',
    time: (doc) => num(doc.time),
    render(doc) {
      const direction = { in: 'Incoming', out: 'Outgoing', missed: 'Missed' }[doc.direction] || String(doc.direction ?? '');
      const duration = typeof doc.duration === 'number' ? `${Math.floor(doc.duration / 60)} min ${doc.duration % 60} s` : '';
      return el('li', { className: 'item' },
        el('h3', { textContent: String(doc.number ?? '') }),
        el('div', { className: 'meta', textContent: [direction, duration, formatTime(doc.time)].filter(Boolean).join(' · ') }));
    },
  },
};

/** The message threads, newest first: {thread, last, count}. */
export function threadsOf(messages) {
  const threads = new Map();
  for (const doc of messages) {
    const key = String(doc.thread ?? doc.from ?? '');
    const entry = threads.get(key) ?? { thread: key, last: doc, count: 0 };
    entry.count += 1;
    if (num(doc.time) > num(entry.last.time)) entry.last = doc;
    threads.set(key, entry);
  }
  return [...threads.values()].sort((a, b) => num(b.last.time) - num(a.last.time));
}

export function renderThread(entry, open) {
  const button = el('button', { type: 'button', className: 'thread' },
    el('h3', { textContent: `${entry.thread} (${entry.count})` }),
    el('div', { className: 'body', textContent: typeof entry.last.body === 'string' ? entry.last.body : '' }),
    el('div', { className: 'meta', textContent: formatTime(entry.last.time) }));
  button.addEventListener('click', () => open(entry.thread));
  return el('li', { className: 'item' }, button);
}

export { el };
