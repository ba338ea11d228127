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
// Namespaces whose schema lists events are event targets of their own
// (addEventListener/removeEventListener).  The factory returns dispatch(),
// which the extension calls when the UI process sends this page an event:
// only the app's own page ever receives its events.
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
  const indexOf = String.prototype.indexOf;
  const slice = String.prototype.slice;
  const EventTarget_ = EventTarget;
  const CustomEvent_ = CustomEvent;
  const addListener = EventTarget.prototype.addEventListener;
  const removeListener = EventTarget.prototype.removeEventListener;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const own = (object, key) => apply(hasOwn, object, [key]);
  const TypeError_ = TypeError;
  const String_ = String;
  const URL_ = URL;
  const then = Promise.prototype.then;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getter = (prototype, key) => {
    const descriptor = prototype ? getOwnPropertyDescriptor(prototype, key) : undefined;
    return descriptor ? descriptor.get : undefined;
  };
  const baseURI = getter(Node.prototype, 'baseURI');
  const urlHref = getter(URL.prototype, 'href');
  const urlProtocol = getter(URL.prototype, 'protocol');
  // Transient user activation, read through the getter as it is now: a
  // page cannot fake it by replacing navigator.userActivation later.
  const userActivation = navigator.userActivation;
  const isActive = typeof UserActivation === 'function'
    ? getter(UserActivation.prototype, 'isActive') : undefined;

  let nextId = 1;

  // Calls waiting for their answer, id → {reject, name}.  When the page
  // goes away they reject with AbortError; the UI process cancels their
  // work too, and a late answer finds nobody.
  const Map_ = Map;
  const mapSet = Map.prototype.set;
  const mapDelete = Map.prototype.delete;
  const mapForEach = Map.prototype.forEach;
  const mapClear = Map.prototype.clear;
  const pending = new Map_();
  apply(addListener, window, ['pagehide', () => {
    apply(mapForEach, pending, [(call) =>
      call.reject(new DOMException_(`${call.name}: the page went away`, 'AbortError'))]);
    apply(mapClear, pending, []);
  }]);

  function invoke(api, method, name, args) {
    return new Promise_((resolve, reject) => {
      const id = nextId++;
      let request;
      try {
        request = stringify({ id, api, method, args });
      } catch (e) {
        reject(new DOMException_(`${name}: the arguments cannot be sent as JSON`, 'DataError'));
        return;
      }

      apply(mapSet, pending, [id, { reject, name }]);
      const refused = send(api, request, (reply) => {
        if (!apply(mapDelete, pending, [id]))
          return;
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
      if (typeof refused === 'string') {
        // "Name\nmessage", from the extension.
        const end = apply(indexOf, refused, ['\n']);
        apply(mapDelete, pending, [id]);
        reject(new DOMException_(`${name}: ${apply(slice, refused, [end + 1])}`,
                                 apply(slice, refused, [0, end])));
      }
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

  // A namespace's events go through an EventTarget the page never sees,
  // reached with the methods captured above.
  const targets = create(null);
  function listen(api, events) {
    const target = new EventTarget_();
    targets[api] = { target, events };
    const check = (type, listener) =>
      own(events, type) && (typeof listener === 'function' ||
                            (typeof listener === 'object' && listener !== null));
    return {
      addEventListener(type, listener, options) {
        if (check(type, listener))
          apply(addListener, target, [type, listener, options]);
      },
      removeEventListener(type, listener, options) {
        if (check(type, listener))
          apply(removeListener, target, [type, listener, options]);
      },
    };
  }

  // The standard Contact Picker: navigator.contacts.select(properties,
  // {multiple}) and getProperties(), carried by the bridge's contactPicker
  // namespace.
  function contactsManager(api, namespace) {
    const supported = namespace.methods.select.args.properties.items.enum;
    const copy = (list) => {
      const out = [];
      for (let i = 0; i < list.length; i++)
        out[i] = list[i];
      return out;
    };
    return freeze({
      select(properties, options) {
        if (!isArray(properties))
          return Promise_.reject(new DOMException_('contacts.select: properties must be an array', 'DataError'));
        const multiple = typeof options === 'object' && options !== null && options.multiple === true;
        return invoke(api, 'select', 'contacts.select', { properties: copy(properties), multiple });
      },
      getProperties() {
        return Promise_.resolve(copy(supported));
      },
    });
  }

  // The standard Web Share API: navigator.share(data) and canShare(data),
  // carried by the bridge's webShare namespace to the phone's share sheet.
  // Its rules are checked here for the standard's errors and again in the
  // UI process, which decides.
  function webShare(api, namespace) {
    const limits = namespace.methods.share.args;
    let sharing = false;

    // The data to send, or a string saying why it cannot be shared and the
    // error's name after a newline.
    function shareData(data) {
      if (data === undefined || data === null)
        data = {};
      if (typeof data !== 'object' && typeof data !== 'function')
        return 'TypeError\nshare: expected a ShareData object';
      if (data.files !== undefined)
        return 'TypeError\nshare: sharing files is not supported';
      // No prototype: a setter the page put on Object.prototype sees nothing.
      const args = create(null);
      const names = ['text', 'title', 'url'];
      for (let i = 0; i < 3; i++) {
        const name = names[i];
        const value = data[name];
        if (value === undefined)
          continue;
        let text;
        try {
          text = String_(value);
        } catch (e) {
          return `TypeError\nshare: ${name} cannot be made a string`;
        }
        if (text.length > limits[name].maxLength)
          return `DataError\nshare: ${name} is longer than ${limits[name].maxLength} characters`;
        if (text !== '')
          args[name] = text;
      }
      if (args.title === undefined && args.text === undefined && args.url === undefined)
        return 'TypeError\nshare: nothing to share; give a title, a text or a url';
      if (args.url !== undefined) {
        let url;
        try {
          url = new URL_(args.url, apply(baseURI, document, []));
        } catch (e) {
          return 'TypeError\nshare: url is not a valid URL';
        }
        const protocol = apply(urlProtocol, url, []);
        if (protocol !== 'http:' && protocol !== 'https:')
          return 'TypeError\nshare: only http and https URLs can be shared';
        args.url = apply(urlHref, url, []);
        if (args.url.length > limits.url.maxLength)
          return `DataError\nshare: url is longer than ${limits.url.maxLength} characters`;
      }
      return args;
    }

    function refuse(why) {
      const end = apply(indexOf, why, ['\n']);
      const name = apply(slice, why, [0, end]);
      const message = apply(slice, why, [end + 1]);
      return Promise_.reject(name === 'TypeError' ? new TypeError_(message)
                                                  : new DOMException_(message, name));
    }

    return {
      share(data) {
        if (sharing)
          return refuse('InvalidStateError\nshare: another share is under way');
        // Without the getter (an engine without the User Activation API)
        // nothing here can tell; the share sheet still asks the user.
        if (isActive !== undefined && !apply(isActive, userActivation, []))
          return refuse('NotAllowedError\nshare: needs a user gesture, such as a tap');
        const args = shareData(data);
        if (typeof args === 'string')
          return refuse(args);
        sharing = true;
        return new Promise_((resolve, reject) => {
          apply(then, invoke(api, 'share', 'share', args), [
            () => { sharing = false; resolve(undefined); },
            (error) => { sharing = false; reject(error); },
          ]);
        });
      },
      canShare(data) {
        return typeof shareData(data) !== 'string';
      },
    };
  }

  const schema = parse(schemaText);
  const yun = create(null);
  for (const api of keys(schema.namespaces)) {
    const namespace = schema.namespaces[api];
    if (namespace.standard === 'navigator.contacts') {
      if (navigator.contacts === undefined)
        defineProperty(navigator, 'contacts', { value: contactsManager(api, namespace), enumerable: true });
      continue;
    }
    if (namespace.standard === 'navigator.share') {
      const methods = webShare(api, namespace);
      defineProperty(navigator, 'share', { value: methods.share, enumerable: true });
      defineProperty(navigator, 'canShare', { value: methods.canShare, enumerable: true });
      continue;
    }
    const target = namespace.root ? yun : create(null);
    for (const method of keys(namespace.methods)) {
      const name = namespace.root ? method : `${api}.${method}`;
      defineProperty(target, method, { value: stub(api, method, name), enumerable: true });
    }
    if (namespace.events) {
      const methods = listen(api, namespace.events);
      defineProperty(target, 'addEventListener', { value: methods.addEventListener });
      defineProperty(target, 'removeEventListener', { value: methods.removeEventListener });
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

  // The UI process's events for this page: (namespace, type, detail JSON).
  return function dispatch(api, type, detailText) {
    const entry = targets[api];
    if (entry === undefined || !own(entry.events, type))
      return;
    let detail;
    try {
      detail = parse(detailText);
    } catch (e) {
      return;
    }
    apply(dispatchEvent, entry.target, [new CustomEvent_(type, { detail: freeze(detail) })]);
  };
})
