// Runs inside a frame of the hostile page and tries to use the top frame's
// bridge.  What it got goes back by postMessage, which works from any
// origin: {frame, hasYun, reach}, where reach is "unreachable: ..." when
// the top frame's navigator.yun cannot even be read, or the outcome of
// calling it.
'use strict';
(function () {
  const script = document.currentScript;
  const frame = new URL(script.src).searchParams.get('frame') ||
                new URLSearchParams(location.search).get('frame') || 'unknown';
  const answer = (reach) =>
    parent.postMessage({ type: 'hostile-frame', frame, hasYun: 'yun' in navigator, reach }, '*');

  // A same-origin frame leaves a listener of its own behind in the top
  // frame, to call the bridge after the frame is gone.
  if (frame === 'same-origin') {
    const top = parent;
    top.addEventListener('hostile-later', () => {
      const report = (outcome) => top.report('late', outcome);
      try {
        top.navigator.yun.device.info().then(() => report('resolved'),
                                                (error) => report(`rejected: ${error.name}`));
      } catch (error) {
        report(`threw: ${error.name}`);
      }
    });
  }

  let call;
  try {
    call = parent.navigator.yun.device.info();
  } catch (error) {
    answer(`unreachable: ${error.name}`);
    return;
  }
  call.then(() => answer('resolved'),
            (error) => answer(`rejected: ${error.name}: ${error.message}`));
})();
