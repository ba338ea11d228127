// yun.js: navigator.yun, as the web-process extension installs it.
//
// The extension evaluates this file in the top frame of a page inside the
// app's scope, at window-object-cleared, before any of the page's scripts
// run.  Its value is a function that receives the native `send` function
// and the schema (schema/yun-api.json) and builds navigator.yun from the
// schema's namespaces; `send` is never reachable from the page except
// through those methods.  Everything this file needs from the page's
// globals is captured now, so a page that later replaces Promise, JSON or
// Object members cannot change what the bridge does.  The checks here only
// give early, clear errors: the UI process checks every call again.
//
// SPDX-License-Identifier: GPL-3.0-or-later
(function (send, schemaText) {
  'use strict';

  const Promise_ = Promise;
  const DOMException_ = DOMException;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const create = Object.create;
  const keys = Object.keys;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const isArray = Array.isArray;
  const ObjectPrototype = Object.prototype;
  const hasOwn = Object.prototype.hasOwnProperty;
  const apply = Reflect.apply;
  const own = (object, key) => apply(hasOwn, object, [key]);

  let nextId = 1;

  function invoke(api, method, name, args) {
    return new Promise_((resolve, reject) => {
      let request;
      try {
        request = stringify({ id: nextId++, api, method, args });
      } catch (e) {
        reject(new DOMException_(`${name}: the arguments cannot be sent as JSON`, 'DataError'));
        return;
      }

      const refused = send(request, (reply) => {
        let message;
        try {
          message = parse(reply);
        } catch (e) {
          reject(new DOMException_(`${name}: the runtime did not answer`, 'InvalidStateError'));
          return;
        }
        if (own(message, 'error'))
          reject(new DOMException_(message.error.message, message.error.name));
        else
          resolve(message.result);
      });
      if (typeof refused === 'string')
        reject(new DOMException_(`${name}: ${refused}`, 'DataError'));
    });
  }

  // Every method takes at most one argument, a plain options object.
  function stub(api, method, name) {
    return function (...params) {
      if (params.length > 1)
        return Promise_.reject(new DOMException_(`${name}: takes one options object, got ${params.length} arguments`, 'DataError'));
      const options = params.length === 0 || params[0] === undefined ? {} : params[0];
      if (typeof options !== 'object' || options === null || isArray(options) ||
          (getPrototypeOf(options) !== ObjectPrototype && getPrototypeOf(options) !== null))
        return Promise_.reject(new DOMException_(`${name}: expected an options object`, 'DataError'));
      return invoke(api, method, name, options);
    };
  }

  const schema = parse(schemaText);
  const yun = create(null);
  for (const api of keys(schema.namespaces)) {
    const namespace = schema.namespaces[api];
    const target = namespace.root ? yun : create(null);
    for (const method of keys(namespace.methods)) {
      const name = namespace.root ? method : `${api}.${method}`;
      defineProperty(target, method, { value: stub(api, method, name), enumerable: true });
    }
    if (!namespace.root)
      defineProperty(yun, api, { value: freeze(target), enumerable: true });
  }

  defineProperty(navigator, 'yun', {
    value: freeze(yun),
    enumerable: true,
    configurable: false,
    writable: false,
  });
})
