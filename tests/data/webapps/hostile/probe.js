// Uses the bridge after sabotage.js has done its worst, and records what
// came back.
const report = window.report;

function outcome(promise) {
  return promise.then((value) => ({ resolved: value }),
                      (error) => ({ rejected: `${error.name}: ${error.message}` }));
}

function frameLoaded(frame) {
  return new window.PristinePromise((resolve) => {
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete')
      resolve();
    else
      frame.addEventListener('load', () => resolve(), { once: true });
  });
}

report('info', await outcome(navigator.yun.device.info()));
report('otherApp', await outcome(navigator.yun.device.info({ app: 'store' })));
report('capabilities', await outcome(navigator.yun.capabilities()));

for (const id of ['same-origin', 'blank']) {
  const frame = document.getElementById(id);
  await frameLoaded(frame);
  report(id, { hasYun: 'yun' in frame.contentWindow.navigator });
}

const other = new URL('frame.html', location.href);
other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
report('popup', { opened: window.open(other.href) !== null });

report('done', true);
