// Uses the bridge after sabotage.js has done its worst, and records what
// came back.
const report = window.report;

function outcome(promise) {
  return promise.then((value) => ({ resolved: value }),
                      (error) => ({ rejected: `${error.name}: ${error.message}` }));
}

// Adds a frame made by @setup (which may return a step to take once the
// frame is in the document), waits for reach.js in it to answer, and
// records that answer and whether the top frame's own call works while the
// frame is there.  The frame stays unless @remove.
async function probeFrame(id, setup, remove) {
  const frame = document.createElement('iframe');
  const answered = new window.PristinePromise((resolve) => {
    window.addEventListener('message', function listener(event) {
      if (event.data && event.data.type === 'hostile-frame' && event.data.frame === id) {
        window.removeEventListener('message', listener);
        resolve(event.data);
      }
    });
  });
  const then = setup(frame);
  document.body.append(frame);
  if (then)
    then();
  const answer = await answered;
  report(id, { hasYun: answer.hasYun, reach: answer.reach,
               top: await outcome(navigator.yun.device.info()) });
  if (remove)
    frame.remove();
}

const reach = new URL('reach.js', location.href);
const frameUrl = (id) => new URL(`frame.html?frame=${id}`, location.href).href;
const srcdoc = (id) => `<!doctype html><script src="${reach.href}?frame=${id}"></script>`;
const other = new URL(frameUrl('cross-origin'));
other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';

const taint = new URLSearchParams(location.search).get('taint');
if (taint === null) {
  report('info', await outcome(navigator.yun.device.info()));
  report('otherApp', await outcome(navigator.yun.device.info({ app: 'store' })));
  report('capabilities', await outcome(navigator.yun.capabilities()));
  report('popup', { opened: window.open(other.href) !== null });

  // Frames that cannot reach the top frame leave the bridge on.
  await probeFrame('cross-origin', (frame) => { frame.src = other.href; }, false);
  await probeFrame('data', (frame) => {
    frame.src = `data:text/html,${encodeURIComponent(srcdoc('data'))}`;
  }, false);
  await probeFrame('sandboxed-srcdoc', (frame) => {
    frame.sandbox = 'allow-scripts';
    frame.srcdoc = srcdoc('sandboxed-srcdoc');
  }, false);
} else {
  // ?taint=ID: one frame that can reach the top frame, in a document of
  // its own; it turns the bridge off for the rest of this document.
  const setups = {
    'same-origin': (frame) => { frame.src = frameUrl('same-origin'); },
    srcdoc: (frame) => { frame.srcdoc = srcdoc('srcdoc'); },
    blank: (frame) => () => {
      frame.contentDocument.open();
      frame.contentDocument.write(srcdoc('blank'));
      frame.contentDocument.close();
    },
  };
  await probeFrame(taint, setups[taint], true);
  report('afterRemoval', await outcome(navigator.yun.device.info()));

  // What the frame left behind in this document (reach.js adds a listener
  // to it) still cannot use the bridge.
  window.dispatchEvent(new Event('hostile-later'));
  for (let i = 0; i < 100 && taint === 'same-origin' && !('late' in window.reported); i++)
    await new window.PristinePromise((resolve) => setTimeout(resolve, 50));
  report('taint', taint);
}

report('done', true);
