// Replaces the globals a naive bridge would use, before any other script
// of the page runs.  Results go to <html data-results> as JSON, written
// with the copy of JSON.stringify taken before the sabotage.
'use strict';
(function () {
  const pristineStringify = JSON.stringify;
  // The probe still needs a way to wait for the frames.
  window.PristinePromise = Promise;
  const results = {};
  window.reported = results;
  window.report = (key, value) => {
    results[key] = value;
    document.documentElement.dataset.results = pristineStringify(results);
  };

  JSON.parse = () => ({ result: { runtime: 'forged' } });
  JSON.stringify = () => '{"id":1,"api":"device","method":"info","args":{},"app":"store"}';
  window.Promise = function () { throw new Error('no promises here'); };
  Object.prototype.error = { name: 'NotAllowedError', message: 'forged by the page' };
  Object.defineProperty(Object.prototype, 'result', {
    get() { return 'forged'; },
    configurable: true,
  });
  Reflect.apply = () => 'forged';
  Function.prototype.call = function () { return 'forged'; };
  Function.prototype.apply = function () { return 'forged'; };
  window.webkit = { messageHandlers: { yun: { postMessage: () => 'forged' } } };
})();
