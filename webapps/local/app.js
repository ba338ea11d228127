// app.js: Yun Local, places and reviews.  Places near the position
// navigator.geolocation gives (the city centre without one), nearest
// first, with category, rating and distance; a place's page with its
// photos and reviews; and your own review with a photo, from the camera
// through <input capture> or navigator.yun.camera on a Yun phone.

import { api, ApiError, describeError, h, keepOffline, show, stars } from './lib.js';

const PAGE = 20;
const view = document.getElementById('view');
const status = document.getElementById('status');
const title = document.getElementById('title');

let position = null;      // {lat, lon} once known, or false if refused
let category = null;

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = 'status' + (kind ? ' ' + kind : '');
}

function distance(metres) {
  return metres < 1000 ? `${Math.round(metres / 10) * 10} m` : `${(metres / 1000).toFixed(1)} km`;
}

/** The position, asked once; null when there is none. */
function locate() {
  if (position !== null) return Promise.resolve(position || null);
  if (!('geolocation' in navigator)) {
    position = false;
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => {
        position = { lat: p.coords.latitude, lon: p.coords.longitude };
        resolve(position);
      },
      () => {
        position = false;
        resolve(null);
      },
      { timeout: 10000, maximumAge: 60000 });
  });
}

function placeItem(place) {
  return h('li', {},
    h('a', { href: `#/place/${place.id}`, 'data-place': place.id },
      h('img', { class: 'thumb', src: place.photo_url, alt: '', width: 64, height: 64, loading: 'lazy' }),
      h('div', { class: 'grow' },
        h('div', { class: 'title' }, place.name),
        h('div', { class: 'muted' }, stars(place.rating, place.ratings_count), ' ',
          place.price_level ? '¥'.repeat(place.price_level) : ''),
        h('div', { class: 'muted' }, place.address)),
      h('span', { class: 'distance', 'data-distance': place.distance_m }, distance(place.distance_m))));
}

async function showNearby() {
  title.textContent = 'Near you';
  // Asked beside the places, which do not wait for the chips.
  const categories = api('/api/local/categories?limit=100');
  // Until the position is known (the phone may be asking the user), the
  // list is the city centre's; it is redone once the position comes.
  const asking = position === null;
  const where = asking ? null : position || null;
  const origin = where ? `&lat=${where.lat.toFixed(6)}&lon=${where.lon.toFixed(6)}` : '';
  const centreNote = 'Your position is not available: showing places around the city centre.';
  if (asking) {
    locate().then((found) => {
      const home = !location.hash.startsWith('#/place/');
      if (found && home) route();
      else if (home) setStatus(centreNote);
    });
  }
  const list = h('ul', { class: 'list', id: 'places' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More places');
  let offset = 0;

  async function load() {
    more.disabled = true;
    try {
      const cat = category ? `&category=${category}` : '';
      const page = await api(`/api/local/places?radius=20000&limit=${PAGE}&offset=${offset}${origin}${cat}`);
      // A list already replaced (the position came) says nothing more.
      if (!list.isConnected) return;
      list.append(...page.items.map(placeItem));
      if (offset === 0 && page.items.length === 0) list.append(h('li', {}, 'Nothing of this kind nearby.'));
      offset = page.next_offset ?? offset;
      more.hidden = page.next_offset === null;
      if (position === null) setStatus('Finding where you are… Meanwhile, places around the city centre.');
      else setStatus(page.origin.default ? centreNote : '');
    } catch (error) {
      if (list.isConnected) setStatus(describeError(error), 'error');
    }
    more.disabled = false;
  }
  more.addEventListener('click', load);

  const chips = h('nav', { class: 'chips', 'aria-label': 'Kinds of places' },
    h('button', { type: 'button', class: 'chip', 'aria-current': String(!category), onclick: () => { category = null; route(); } }, 'All'));
  show(view, chips, list, more);
  const shown = load();
  chips.append(...(await categories).items.map((c) => h('button', {
    type: 'button', class: 'chip', 'aria-current': String(category === c.id),
    onclick: () => { category = c.id; route(); },
  }, c.name)));
  await shown;
}

function reviewItem(review) {
  return h('div', { class: 'review' },
    h('div', {}, stars(review.rating), ' ', h('span', { class: 'muted' }, review.user)),
    review.text ? h('p', {}, review.text) : null,
    review.photo_url ? h('img', { src: review.photo_url, alt: `Photo by ${review.user}`, loading: 'lazy' }) : null);
}

/** A photo from the phone's camera through navigator.yun.camera, as a
 * Blob: takePicture() resolves with a Photo whose url only this app can
 * load. */
async function yunCameraPhoto() {
  const photo = await navigator.yun.camera.takePicture({ maxWidth: 1600, maxHeight: 1600, quality: 0.85 });
  const response = await fetch(photo.url);
  return await response.blob();
}

function reviewForm(place, onSaved) {
  const message = h('p', { class: 'status', role: 'status' });
  const preview = h('img', { class: 'preview', alt: 'The photo you chose', hidden: true });
  const file = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: 'photo' });
  const text = h('textarea', { id: 'review-text', rows: 4, maxlength: 2000, placeholder: 'How was it?' });
  const ratings = h('div', { class: 'rating-input', role: 'radiogroup', 'aria-label': 'Rating' },
    [5, 4, 3, 2, 1].map((n) => [
      h('input', { type: 'radio', name: 'rating', id: `rating-${n}`, value: n, required: true }),
      h('label', { for: `rating-${n}`, title: `${n} stars` }, '★', h('span', { class: 'visually-hidden' }, `${n} stars`)),
    ]));
  let photo = null;      // a Blob to upload
  let keptPhoto = null;  // the id of the photo the saved review has

  function choose(blob) {
    photo = blob;
    preview.src = URL.createObjectURL(blob);
    preview.hidden = false;
  }

  file.addEventListener('change', () => {
    if (file.files[0]) choose(file.files[0]);
  });

  const camera = navigator.yun?.camera?.takePicture
    ? h('button', {
      type: 'button', class: 'secondary', onclick: async () => {
        try {
          choose(await yunCameraPhoto());
        } catch (error) {
          message.className = 'status error';
          message.textContent = `No photo: ${error?.message ?? error}`;
        }
      },
    }, 'Take a photo') : null;

  const form = h('form', { class: 'card', id: 'review-form' },
    h('h2', { id: 'review-heading' }, 'Write a review'),
    ratings,
    h('label', { for: 'review-text' }, 'Your review'), text,
    h('label', { for: 'photo' }, 'Photo'), file, camera, preview,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save review')),
    message);

  api(`/api/local/places/${place.id}/reviews/mine`).then((mine) => {
    form.querySelector('#review-heading').textContent = 'Edit your review';
    form.querySelector(`#rating-${mine.rating}`).checked = true;
    text.value = mine.text;
    keptPhoto = mine.photo;
    if (mine.photo_url) {
      preview.src = mine.photo_url;
      preview.hidden = false;
    }
  }).catch(() => {});

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const rating = form.querySelector('input[name=rating]:checked');
    if (!rating) {
      message.className = 'status error';
      message.textContent = 'Choose a rating from one to five stars.';
      return;
    }
    message.className = 'status';
    message.textContent = 'Saving…';
    try {
      if (photo) {
        const uploaded = await api('/api/local/photos', { method: 'POST', body: photo });
        keptPhoto = uploaded.id;
        photo = null;
      }
      await api(`/api/local/places/${place.id}/reviews/mine`, {
        method: 'PUT', body: { rating: Number(rating.value), text: text.value, photo: keptPhoto },
      });
      message.className = 'status ok';
      message.textContent = 'Your review is saved.';
      form.querySelector('#review-heading').textContent = 'Edit your review';
      onSaved();
    } catch (error) {
      message.className = 'status error';
      message.textContent = error instanceof ApiError && error.status === 415
        ? 'That file is not a photo: choose a JPEG, PNG, WebP or GIF image.' : describeError(error);
    }
  });
  return form;
}

async function showPlace(id) {
  const place = await api(`/api/local/places/${encodeURIComponent(id)}`);
  // The distance is shown when the position is already known; the page
  // never waits for it.
  const where = position || null;
  title.textContent = place.name;
  const reviews = h('div', { id: 'reviews' });
  const photos = h('div', { class: 'photos', 'aria-label': 'Photos' });

  async function load() {
    const [fresh, page] = await Promise.all([
      api(`/api/local/places/${place.id}`),
      api(`/api/local/places/${place.id}/reviews?limit=20`),
    ]);
    show(photos, fresh.photos.map((src, i) => h('img', { src, alt: `Photo ${i + 1} of ${place.name}`, loading: 'lazy' })));
    show(reviews, page.items.length ? page.items.map(reviewItem) : h('p', { class: 'muted' }, 'No reviews yet. Be the first.'));
  }

  const away = where ? distanceTo(where, place) : null;
  show(view,
    photos,
    h('h2', { id: 'place-name' }, place.name),
    h('p', {}, stars(place.rating, place.ratings_count), ' · ', place.category_name ?? place.category,
      place.price_level ? ` · ${'¥'.repeat(place.price_level)}` : '', away !== null ? ` · ${distance(away)}` : ''),
    h('p', { class: 'muted' }, place.address, ', ', place.district, h('br'), place.hours, ' · ', place.phone),
    h('p', {}, place.description),
    h('section', {}, h('h2', {}, 'Reviews'), reviews),
    reviewForm(place, load));
  await load();
}

/** Metres between two positions, for the place page. */
function distanceTo(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.atan2(Math.sqrt(x), Math.sqrt(1 - x));
}

async function route() {
  const [, kind, arg] = location.hash.slice(1).split('/');
  setStatus('');
  try {
    if (kind === 'place' && arg) await showPlace(decodeURIComponent(arg));
    else await showNearby();
  } catch (error) {
    const text = error instanceof ApiError && error.status === 404 ? 'This place is not listed.' : describeError(error);
    show(view, h('p', { class: 'status error' }, text), h('a', { href: '#/' }, 'Places near you'));
  }
}

window.addEventListener('hashchange', () => { route(); window.scrollTo(0, 0); });
route();
keepOffline();
