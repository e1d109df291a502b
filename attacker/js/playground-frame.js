// Runs the playground's fetch() as this frame's origin (attacker.localhost, or an opaque origin when
// the playground sandboxes the frame) and posts what the script got back to the playground. It takes
// orders only from its parent, the app origin named in ?parent=, and fetches only the playground
// endpoint of the API named in ?api=.
"use strict";
(function () {
  var params = new URL(location.href).searchParams;
  var parentOrigin = params.get("parent");
  var endpoint = params.get("api") + "/playground/";

  // The same report as lab.js tryFetch(): this frame cannot import the app's module (another origin).
  async function tryFetch(url, init) {
    try {
      var response = await fetch(url, init);
      var text = await response.text();
      return { threw: false, status: response.status, ok: response.ok, body: text, type: response.type,
               headers: Object.fromEntries(response.headers.entries()) };
    } catch (error) {
      return { threw: true, error: error.name + ": " + error.message };
    }
  }

  window.addEventListener("message", async function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var order = event.data;
    if (typeof order.url !== "string" || !order.url.startsWith(endpoint)) return;
    var result;
    for (var i = 0; i < order.repeat; i += 1) result = await tryFetch(order.url, order.init);
    window.parent.postMessage({ id: order.id, result: result }, parentOrigin);
  });
  window.parent.postMessage({ ready: true }, parentOrigin);
})();
