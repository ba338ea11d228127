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
