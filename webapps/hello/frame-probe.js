// Runs inside a frame of the Hello app and tells the parent what it can
// reach: navigator.yun, and WebKit's script message handlers.
'use strict';
(function () {
  const handlers = window.webkit && window.webkit.messageHandlers;
  const report = {
    type: 'yun-frame-probe',
    frame: (document.currentScript && document.currentScript.dataset.frame) ||
           new URLSearchParams(location.search).get('frame') || 'unknown',
    hasYun: 'yun' in navigator,
    hasMessageHandlers: Boolean(handlers),
  };
  parent.postMessage(report, '*');
})();
