// live-reload.js: added by `yun-dev serve` to the HTML pages it serves, and
// only there; a package never holds it.  It reloads the page when a file
// of the app changes, and when the page reconnects to a `yun-dev serve`
// that was restarted meanwhile.
//
// SPDX-License-Identifier: GPL-3.0-or-later
(() => {
  'use strict';

  // Frames reload with their top page.
  if (window.top !== window || typeof EventSource !== 'function')
    return;

  const source = new EventSource('/_yun/live-reload');
  let server = null;

  source.addEventListener('hello', (event) => {
    if (server !== null && server !== event.data) {
      source.close();
      location.reload();
      return;
    }
    server = event.data;
  });

  source.addEventListener('reload', (event) => {
    let paths = [];
    try {
      paths = JSON.parse(event.data).paths;
    } catch (e) {
      // Reload anyway: something changed.
    }
    console.info(`yun-dev serve: ${paths.join(', ') || 'files'} changed, reloading`);
    source.close();
    location.reload();
  });
})();
