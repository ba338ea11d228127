// @NAME@: a Yun app.  navigator.yun is there in the Yun shell (see
// yun.d.ts for every method).  In a plain browser under `yun-dev serve`,
// the shim emulates it; elsewhere the app runs without it.
if (!('yun' in navigator)) {
  try {
    await import('/_yun/yun-shim.js');
  } catch (error) {
    // Not served by `yun-dev serve`: no shim, and no navigator.yun.
  }
}

const status = document.getElementById('status');

if ('yun' in navigator) {
  try {
    const { runtime, version, model } = await navigator.yun.device.info();
    status.textContent = `Running on ${runtime} ${version}, ${model}.`;
  } catch (error) {
    status.textContent = `${error.name}: ${error.message}`;
  }
} else {
  status.textContent = 'Running in a plain browser: no navigator.yun here.';
}
