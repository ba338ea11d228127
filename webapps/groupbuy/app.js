// app.js: Yun Group Buying.  Deals with a deadline, a number of buyers
// that makes them go ahead and a limited stock; a countdown on the
// server's clock; join and leave (the server makes both atomic and
// idempotent); and share a deal with friends from the contact picker,
// the share sheet or a link.

import { api, ApiError, describeError, h, keepOffline, money, show } from './lib.js';

const PAGE = 20;
const view = document.getElementById('view');
const status = document.getElementById('status');
const title = document.getElementById('title');

// The server's clock minus ours, so that countdowns are the server's.
let clockOffset = 0;

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = 'status' + (kind ? ' ' + kind : '');
}

function syncClock(serverTimeMs) {
  if (typeof serverTimeMs === 'number') clockOffset = serverTimeMs - Date.now();
}

function left(deadlineMs) {
  const seconds = Math.max(0, Math.floor((deadlineMs - (Date.now() + clockOffset)) / 1000));
  const d = Math.floor(seconds / 86400);
  const hh = Math.floor((seconds % 86400) / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = seconds % 60;
  if (seconds === 0) return 'Ended';
  const pad = (n) => String(n).padStart(2, '0');
  return (d ? `${d} d ` : '') + `${pad(hh)}:${pad(mm)}:${pad(ss)} left`;
}

/** Updates every countdown on the page once a second. */
function tick() {
  for (const node of document.querySelectorAll('[data-deadline]')) {
    node.textContent = left(Number(node.dataset.deadline));
  }
}

function badge(deal) {
  if (deal.ended) return h('span', { class: 'badge ended' }, deal.unlocked ? 'Ended · went ahead' : 'Ended');
  if (deal.sold_out) return h('span', { class: 'badge sold-out' }, 'Sold out');
  if (deal.unlocked) return h('span', { class: 'badge unlocked' }, 'Unlocked: the deal is on');
  return h('span', { class: 'badge open' }, `${deal.threshold - deal.joined} more needed`);
}

function meter(deal) {
  const percent = Math.min(100, Math.round((deal.joined / deal.threshold) * 100));
  return h('div', { class: 'meter', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': deal.threshold,
    'aria-valuenow': Math.min(deal.joined, deal.threshold), 'aria-label': 'Buyers toward the threshold' },
  h('span', { style: `width: ${percent}%` }));
}

function dealItem(deal) {
  return h('li', {},
    h('a', { href: `#/deal/${deal.id}`, 'data-deal': deal.id },
      h('img', { class: 'thumb', src: deal.image_url, alt: '', width: 64, height: 64, loading: 'lazy' }),
      h('div', { class: 'grow' },
        h('div', { class: 'title' }, deal.title),
        h('div', {}, h('span', { class: 'price' }, money(deal.price_fen)),
          h('span', { class: 'was' }, money(deal.original_price_fen))),
        meter(deal),
        h('div', { class: 'muted' }, badge(deal), ' · ',
          h('span', { class: 'countdown', 'data-deadline': deal.deadline_ms }, left(deal.deadline_ms))))));
}

async function showDeals() {
  title.textContent = 'Deals';
  const list = h('ul', { class: 'list', id: 'deals' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More deals');
  let offset = 0;

  async function load() {
    more.disabled = true;
    try {
      const page = await api(`/api/groupbuy/deals?limit=${PAGE}&offset=${offset}`);
      syncClock(page.server_time_ms);
      list.append(...page.items.map(dealItem));
      if (offset === 0 && page.items.length === 0) list.append(h('li', {}, 'No deals right now.'));
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
    } catch (error) {
      setStatus(describeError(error), 'error');
    }
    more.disabled = false;
  }
  more.addEventListener('click', load);
  show(view, list, more);
  await load();
}

/** Shares @deal: contacts from the picker, then the share sheet or a link. */
function shareBox(deal) {
  const url = new URL(`#/deal/${deal.id}`, location.href).href;
  const text = `${deal.title} for ${money(deal.price_fen)} (was ${money(deal.original_price_fen)}): join me before it ends!`;
  const message = h('p', { class: 'status', role: 'status' });
  const link = h('input', { id: 'share-url', readonly: true, value: url, 'aria-label': 'Link to this deal' });
  const buttons = [];
  // Contacts picked for the next share.  The share sheet wants a tap of
  // its own: the one that opened the picker is used up by then.
  let recipients = [];

  if ('contacts' in navigator && 'select' in navigator.contacts) {
    buttons.push(h('button', {
      type: 'button', id: 'share-contacts', onclick: async () => {
        try {
          const picked = await navigator.contacts.select(['name', 'tel', 'email'], { multiple: true });
          if (!picked.length) return;
          recipients = picked.map((c) => c.name?.[0] ?? c.tel?.[0] ?? c.email?.[0]).filter(Boolean);
          message.className = 'status';
          message.textContent = `Tap Share to send this deal to ${recipients.join(', ')}.`;
        } catch (error) {
          message.className = 'status error';
          message.textContent = `Could not pick contacts: ${error?.message ?? error}`;
        }
      },
    }, 'Send to contacts'));
  }

  async function share(body, names = []) {
    const data = { title: deal.title, text: body, url };
    try {
      if (navigator.share) await navigator.share(data);
      else if (navigator.yun?.share) await (navigator.yun.share.share ?? navigator.yun.share).call(navigator.yun.share, data);
      else {
        await navigator.clipboard?.writeText(url);
        message.className = 'status ok';
        message.textContent = names.length
          ? `Link copied: paste it in a message to ${names.join(', ')}.` : 'Link copied.';
        return;
      }
      message.className = 'status ok';
      message.textContent = names.length ? `Shared with ${names.join(', ')}.` : 'Shared.';
      recipients = [];
    } catch (error) {
      if (error?.name === 'AbortError') return;
      message.className = 'status error';
      message.textContent = names.length
        ? `Could not share (${error?.message ?? error}): send this link to ${names.join(', ')}: ${url}`
        : `Could not share: ${error?.message ?? error}. Copy the link instead.`;
    }
  }

  buttons.push(h('button', {
    type: 'button', class: 'secondary', id: 'share',
    onclick: () => (recipients.length ? share(`${text}\n${url}`, recipients) : share(text)),
  }, 'Share'));
  buttons.push(h('button', {
    type: 'button', class: 'secondary', id: 'copy-link', onclick: async () => {
      link.select();
      try {
        await navigator.clipboard.writeText(url);
        message.className = 'status ok';
        message.textContent = 'Link copied.';
      } catch {
        message.className = 'status';
        message.textContent = 'Select the link and copy it.';
      }
    },
  }, 'Copy link'));

  return h('section', { class: 'card', id: 'share-box' }, h('h2', {}, 'Share this deal'),
    h('div', { class: 'share-link' }, link), h('div', { class: 'actions' }, buttons), message);
}

async function showDeal(id) {
  let deal = await api(`/api/groupbuy/deals/${encodeURIComponent(id)}`);
  syncClock(deal.server_time_ms);
  title.textContent = deal.title;
  const body = h('div');
  const message = h('p', { class: 'status', role: 'status', id: 'join-status' });

  function render() {
    const button = deal.mine
      ? h('button', { type: 'button', class: 'danger', id: 'leave', disabled: deal.ended, onclick: () => act('DELETE') }, 'Leave this deal')
      : h('button', { type: 'button', id: 'join', disabled: deal.ended || deal.sold_out, onclick: () => act('PUT') },
        deal.sold_out ? 'Sold out' : 'Join this deal');
    show(body,
      h('img', { class: 'deal-image', src: deal.image_url, alt: '', width: 640, height: 420 }),
      h('h2', { id: 'deal-title' }, deal.title),
      h('p', { class: 'muted' }, deal.merchant),
      h('p', {}, h('span', { class: 'price' }, money(deal.price_fen)), h('span', { class: 'was' }, money(deal.original_price_fen)),
        ` · ${deal.discount_percent}% off`),
      h('p', {}, deal.description),
      h('div', { class: 'card' },
        h('p', {}, badge(deal), ' ', h('span', { class: 'countdown', id: 'countdown', 'data-deadline': deal.deadline_ms }, left(deal.deadline_ms))),
        meter(deal),
        h('p', { id: 'joined' }, `${deal.joined} joined · ${deal.threshold} needed · ${deal.remaining} of ${deal.stock} places left`),
        h('div', { class: 'actions' }, button), message),
      shareBox(deal));
  }

  async function act(method) {
    body.querySelectorAll('#join, #leave').forEach((b) => { b.disabled = true; });
    try {
      deal = await api(`/api/groupbuy/deals/${deal.id}/buyers/mine`, { method });
      syncClock(deal.server_time_ms);
      render();
      message.className = 'status ok';
      message.textContent = method === 'PUT'
        ? (deal.unlocked ? 'You are in, and the deal is on!' : `You are in. ${deal.threshold - deal.joined} more needed.`)
        : 'You left the deal.';
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 410)) {
        deal = await api(`/api/groupbuy/deals/${deal.id}`).catch(() => deal);
        render();
      }
      message.className = 'status error';
      message.textContent = error instanceof ApiError && error.status === 409 ? 'Sorry, the deal sold out.'
        : error instanceof ApiError && error.status === 410 ? 'Sorry, the deal has ended.' : describeError(error);
    }
  }

  render();
  show(view, body);
}

async function route() {
  const [, kind, arg] = location.hash.slice(1).split('/');
  setStatus('');
  try {
    if (kind === 'deal' && arg) await showDeal(decodeURIComponent(arg));
    else await showDeals();
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? 'This deal does not exist.' : describeError(error);
    show(view, h('p', { class: 'status error' }, text), h('a', { href: '#/' }, 'All deals'));
  }
}

window.addEventListener('hashchange', () => { route(); window.scrollTo(0, 0); });
setInterval(tick, 1000);
route();
keepOffline();
