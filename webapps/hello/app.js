// Hello Yun: asks the runtime about the device and checks that frames
// inside the app get no bridge.  Results go to the page and to
// window.yunHello, where the shell's tests read them.

const results = {
  info: null,
  error: null,
  frames: {},
};
window.yunHello = results;

function show(selector, text, className) {
  const element = document.querySelector(selector);
  element.textContent = text;
  if (className)
    element.className = className;
}

async function showDevice() {
  if (!('yun' in navigator)) {
    results.error = { name: 'NotSupportedError', message: 'no navigator.yun: a plain browser' };
    show('#device-status', 'Running in a plain browser: no navigator.yun here.', 'bad');
    return;
  }

  try {
    const info = await navigator.yun.device.info();
    results.info = info;
    for (const field of ['runtime', 'version', 'model'])
      show(`[data-field="${field}"]`, String(info[field]));
    show('#device-status', 'navigator.yun.device.info() resolved.', 'ok');
  } catch (error) {
    results.error = { name: error.name, message: error.message };
    show('#device-status', `${error.name}: ${error.message}`, 'bad');
  }
}

// The same page on the other loopback name is another origin.
function crossOriginUrl() {
  const url = new URL('frame.html?frame=cross-origin', location.href);
  if (url.hostname === '127.0.0.1')
    url.hostname = 'localhost';
  else if (url.hostname === 'localhost')
    url.hostname = '127.0.0.1';
  else
    return null;
  return url.href;
}

function onProbe(event) {
  const report = event.data;
  if (!report || report.type !== 'yun-frame-probe' || !(report.frame in expectedFrames))
    return;

  results.frames[report.frame] = {
    hasYun: report.hasYun,
    hasMessageHandlers: report.hasMessageHandlers,
    origin: event.origin,
  };
  const isolated = !report.hasYun;
  show(`[data-frame="${report.frame}"] span`,
       isolated ? 'no bridge ✓' : 'HAS navigator.yun ✗', isolated ? 'ok' : 'bad');
}

const expectedFrames = { 'cross-origin': true, srcdoc: true };

function probeFrames() {
  const host = document.getElementById('frame-host');
  window.addEventListener('message', onProbe);

  const crossOrigin = crossOriginUrl();
  if (crossOrigin) {
    const frame = document.createElement('iframe');
    frame.src = crossOrigin;
    host.append(frame);
  } else {
    delete expectedFrames['cross-origin'];
    show('[data-frame="cross-origin"] span', 'not checked on this host');
  }

  // Sandboxed without allow-same-origin: a plain srcdoc frame shares this
  // page's origin, and the runtime turns navigator.yun off while one is here.
  const srcdoc = document.createElement('iframe');
  srcdoc.sandbox = 'allow-scripts';
  const probe = new URL('frame-probe.js', location.href).href;
  srcdoc.srcdoc = `<!doctype html><script src="${probe}" data-frame="srcdoc"></script>`;
  host.append(srcdoc);
}

probeFrames();
showDevice();
