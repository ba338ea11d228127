// @NAME@: a Yun app.  navigator.yun is there in the Yun shell (see
// yun.d.ts for every method); in a plain browser the app still runs.
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
