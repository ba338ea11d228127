// app.js: Yun Prices.  Search a product, compare every shop's offer by
// total price with shipping, read the price history on a chart, and set
// an alert: when a refreshed price is below it, the page shows a
// notification (the shell delivers it on a Yun phone).

import { api, ApiError, describeError, h, keepOffline, money, show } from './lib.js';

const PAGE = 20;
const REFRESH_MS = 60 * 1000;
const NOTIFIED_KEY = 'yun-prices-notified';
const SVG = 'http://www.w3.org/2000/svg';

const view = document.getElementById('view');
const status = document.getElementById('status');
const title = document.getElementById('title');
const searchForm = document.getElementById('search');
const searchInput = document.getElementById('q');

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = 'status' + (kind ? ' ' + kind : '');
}

function productItem(product) {
  return h('li', {},
    h('a', { href: `#/product/${product.id}`, 'data-product': product.id },
      h('img', { class: 'thumb', src: product.image_url, alt: '', width: 64, height: 64, loading: 'lazy' }),
      h('div', { class: 'grow' },
        h('div', { class: 'title' }, product.name),
        h('div', { class: 'muted' }, `${product.offer_count} offers`)),
      h('span', { class: 'price' }, product.best_total_fen === null ? '—' : money(product.best_total_fen))));
}

function showList(q) {
  title.textContent = q ? 'Search' : 'Prices';
  searchInput.value = q ?? '';
  const list = h('ul', { class: 'list', id: 'products' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More products');
  let offset = 0;

  async function load() {
    more.disabled = true;
    try {
      const query = q ? `&q=${encodeURIComponent(q)}` : '';
      const page = await api(`/api/prices/products?limit=${PAGE}&offset=${offset}${query}`);
      list.append(...page.items.map(productItem));
      if (offset === 0 && page.items.length === 0) list.append(h('li', {}, 'No product matches.'));
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
    } catch (error) {
      setStatus(describeError(error), 'error');
    }
    more.disabled = false;
  }
  more.addEventListener('click', load);
  show(view, h('h2', {}, q ? `Results for “${q}”` : 'All products'), list, more);
  return load();
}

/** The history as an inline SVG line chart, with the alert as a line. */
function chart(history, below) {
  const points = history.items;
  const width = 340, height = 160, left = 56, right = 8, top = 10, bottom = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('id', 'history-chart');
  if (points.length === 0) return svg;

  const values = points.map((p) => p.best_fen);
  const lo = Math.min(...values, below ?? Infinity);
  const hi = Math.max(...values, below ?? -Infinity);
  const span = hi - lo || 1;
  const x = (i) => left + (i * (width - left - right)) / Math.max(points.length - 1, 1);
  const y = (v) => top + ((hi - v) * (height - top - bottom)) / span;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.best_fen).toFixed(1)}`).join(' ');

  const add = (tag, attributes, text) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    svg.append(node);
    return node;
  };
  svg.setAttribute('aria-label', `Best price over ${points.length} days, from ${money(values[0])} to ${money(values.at(-1))}; lowest ${money(history.lowest_fen)}, highest ${money(history.highest_fen)}`);
  add('path', { class: 'area', d: `${path} L${x(points.length - 1)} ${height - bottom} L${left} ${height - bottom}Z` });
  add('path', { class: 'line', d: path });
  if (below) add('line', { class: 'alert', x1: left, x2: width - right, y1: y(below), y2: y(below) });
  add('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, money(hi).replace('.00', ''));
  add('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end' }, money(lo).replace('.00', ''));
  add('text', { x: left, y: height - 6 }, points[0].date);
  add('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, points.at(-1).date);
  return svg;
}

function offersTable(offers) {
  return h('table', { class: 'offers', id: 'offers' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Shop'), h('th', {}, 'Price'), h('th', {}, 'Shipping'), h('th', {}, 'Total'))),
    h('tbody', {}, offers.map((o) => h('tr', { class: o.in_stock ? '' : 'out', 'data-total': o.total_fen },
      h('td', {}, o.merchant_name, h('br'), h('span', { class: 'muted' }, o.in_stock ? `${o.city} · ★ ${o.merchant_rating}` : 'Out of stock')),
      h('td', {}, money(o.price_fen)),
      h('td', {}, o.shipping_fen ? money(o.shipping_fen) : 'Free'),
      h('td', {}, h('strong', {}, money(o.total_fen)))))));
}

async function alertFor(id) {
  const page = await api('/api/prices/alerts?limit=100');
  return page.items.find((a) => a.product === id) ?? null;
}

function alertForm(product, current, onChange) {
  const input = h('input', { id: 'below', type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal', required: true });
  const message = h('p', { class: 'status', role: 'status' });
  const remove = h('button', { type: 'button', class: 'secondary', hidden: !current }, 'Remove alert');
  if (current) input.value = (current.below_fen / 100).toFixed(2);

  const form = h('form', { class: 'card', id: 'alert-form' },
    h('h2', {}, 'Price alert'),
    h('div', { class: 'alert-form' },
      h('label', {}, 'Tell me when the total is below (¥)', input),
      h('button', { type: 'submit' }, current ? 'Change alert' : 'Set alert'), remove),
    message);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fen = Math.round(Number(input.value) * 100);
    if (!(fen > 0)) {
      message.className = 'status error';
      message.textContent = 'Enter a price in yuan, such as 1999.';
      return;
    }
    // Asked now, while the user is acting, as browsers require.
    if ('Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission().catch(() => {});
    }
    try {
      await api(`/api/prices/alerts/${product.id}`, { method: 'PUT', body: { below_fen: fen } });
      message.className = 'status ok';
      message.textContent = `We will tell you when ${product.name} costs less than ${money(fen)}.`;
      remove.hidden = false;
      onChange(fen);
      checkAlerts();
    } catch (error) {
      message.className = 'status error';
      message.textContent = describeError(error);
    }
  });
  remove.addEventListener('click', async () => {
    try {
      await api(`/api/prices/alerts/${product.id}`, { method: 'DELETE' });
      message.className = 'status ok';
      message.textContent = 'The alert is removed.';
      remove.hidden = true;
      input.value = '';
      onChange(null);
    } catch (error) {
      message.className = 'status error';
      message.textContent = describeError(error);
    }
  });
  return form;
}

async function showProduct(id) {
  const [product, offers, history, current] = await Promise.all([
    api(`/api/prices/products/${encodeURIComponent(id)}`),
    api(`/api/prices/products/${encodeURIComponent(id)}/offers?limit=100`),
    api(`/api/prices/products/${encodeURIComponent(id)}/history?days=90`),
    alertFor(id).catch(() => null),
  ]);
  title.textContent = product.name;
  const chartBox = h('div', { class: 'card' }, h('h2', {}, 'Price history, 90 days'), chart(history, current?.below_fen));
  const best = product.best_offer;

  show(view,
    h('section', { class: 'card' },
      h('h2', { id: 'product-name' }, product.name),
      h('p', { class: 'muted' }, product.description),
      best ? h('p', {}, 'Best total ', h('span', { class: 'best', id: 'best-total' }, money(best.total_fen)),
        ` at ${best.merchant_name}`) : h('p', {}, 'Out of stock everywhere.'),
      product.lowest_90d_fen ? h('p', { class: 'muted' }, `90 days: from ${money(product.lowest_90d_fen)} to ${money(product.highest_90d_fen)}`) : null),
    chartBox,
    alertForm(product, current, (fen) => chartBox.replaceChild(chart(history, fen), chartBox.lastChild)),
    h('section', { class: 'card' }, h('h2', {}, `Offers (${offers.items.length})`), offersTable(offers.items)));
}

async function showAlerts() {
  title.textContent = 'Alerts';
  const page = await api('/api/prices/alerts?limit=100');
  show(view, h('h2', {}, 'Your price alerts'),
    page.items.length === 0 ? h('p', { class: 'muted' }, 'No alerts yet: set one on a product’s page.')
      : h('ul', { class: 'list', id: 'alerts' }, page.items.map((a) => h('li', {},
        h('a', { href: `#/product/${a.product}` },
          h('div', { class: 'grow' },
            h('div', { class: 'title' }, a.name),
            h('div', { class: 'muted' }, `Below ${money(a.below_fen)} · now ${a.best_total_fen === null ? '—' : money(a.best_total_fen)}`)),
          a.triggered ? h('span', { class: 'triggered' }, 'Price dropped') : null)))));
}

/**
 * Asks the cloud for the current prices of the alerts, and notifies once
 * per product and price for those below their alert.
 */
export async function checkAlerts() {
  let page;
  try {
    page = await api('/api/prices/alerts?limit=100');
  } catch {
    return;
  }
  const notified = JSON.parse(localStorage.getItem(NOTIFIED_KEY) || '{}');
  for (const alert of page.items) {
    if (!alert.triggered || notified[alert.product] === alert.best_total_fen) continue;
    notified[alert.product] = alert.best_total_fen;
    const text = `${alert.name} now costs ${money(alert.best_total_fen)}, below your ${money(alert.below_fen)}.`;
    if ('Notification' in window && Notification.permission === 'granted') {
      const notification = new Notification('Price drop', { body: text, tag: `price-${alert.product}` });
      notification.onclick = () => { location.hash = `#/product/${alert.product}`; };
    } else {
      setStatus(text, 'ok');
    }
  }
  localStorage.setItem(NOTIFIED_KEY, JSON.stringify(notified));
}

async function route() {
  const hash = location.hash.slice(1) || '/';
  const [, kind, ...rest] = hash.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  setStatus('');
  try {
    if (kind === 'product' && arg) await showProduct(arg);
    else if (kind === 'alerts') await showAlerts();
    else if (kind === 'search' && arg) await showList(arg);
    else await showList(null);
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? 'This product is not listed.' : describeError(error);
    show(view, h('p', { class: 'status error' }, text), h('a', { href: '#/' }, 'All products'));
  }
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = searchInput.value.trim();
  location.hash = q ? `#/search/${encodeURIComponent(q)}` : '#/';
});

window.addEventListener('hashchange', () => { route(); window.scrollTo(0, 0); });
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') checkAlerts();
});
setInterval(checkAlerts, REFRESH_MS);
route();
checkAlerts();
keepOffline();
