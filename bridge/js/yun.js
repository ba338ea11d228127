// yun.js: navigator.yun, as the web-process extension installs it.
//
// The extension evaluates this file in the top frame of a page inside the
// app's scope, at window-object-cleared, before any of the page's scripts
// run.  Its value is a function that receives the native `send` function;
// `send` is never reachable from the page except through the methods below.
// Everything this file needs from the page's globals is captured now, so a
// page that later replaces Promise, JSON or Object members cannot change
// what the bridge does.
//
// SPDX-License-Identifier: GPL-3.0-or-later
(function (send) {
  'use strict';

  const Promise_ = Promise;
  const DOMException_ = DOMException;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const hasOwn = Object.prototype.hasOwnProperty;
  const apply = Reflect.apply;
  const own = (object, key) => apply(hasOwn, object, [key]);

  let nextId = 1;

  function invoke(api, method, args) {
    return new Promise_((resolve, reject) => {
      let request;
      try {
        request = stringify({ id: nextId++, api, method, args });
      } catch (e) {
        reject(new DOMException_(`${api}.${method}: the arguments cannot be sent as JSON`, 'DataError'));
        return;
      }

      const refused = send(request, (reply) => {
        let message;
        try {
          message = parse(reply);
        } catch (e) {
          reject(new DOMException_(`${api}.${method}: the runtime did not answer`, 'InvalidStateError'));
          return;
        }
        if (own(message, 'error'))
          reject(new DOMException_(message.error.message, message.error.name));
        else
          resolve(message.result);
      });
      if (typeof refused === 'string')
        reject(new DOMException_(`${api}.${method}: ${refused}`, 'DataError'));
    });
  }

  const yun = freeze({
    device: freeze({
      info: () => invoke('device', 'info', {}),
    }),
  });

  defineProperty(navigator, 'yun', {
    value: yun,
    enumerable: true,
    configurable: false,
    writable: false,
  });
})
