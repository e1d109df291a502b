// Reads one URL of the leak catalogue for its parent, the page that framed it sandboxed (so this
// frame's origin is opaque and its fetch says Origin: null), and posts back what it could read.
// It takes orders only from its parent, and reads only /leaks/ of the API named in ?api=.
"use strict";
(function () {
  var leaks = new URL(location.href).searchParams.get("api") + "/leaks/";
  window.addEventListener("message", function (event) {
    var order = event.data;
    if (event.source !== window.parent || typeof order.url !== "string" || !order.url.startsWith(leaks)) return;
    // The parent's origin cannot be named from an opaque origin's point of view without trusting
    // the message: "*" (what goes back is what this frame read, which the attack shows anyway).
    fetch(order.url, { credentials: "include" })
      .then(function (response) {
        return response.text().then(function (body) {
          window.parent.postMessage({ key: order.key, readable: true, status: response.status, body: body }, "*");
        });
      })
      .catch(function (error) {
        window.parent.postMessage({ key: order.key, readable: false, error: error.name + ": " + error.message }, "*");
      });
  });
  window.parent.postMessage({ ready: true }, "*");
})();
