// form.html's script, in a file of its own: the attacker's pages allow no inline script (CSP).
// Only two targets: this is the lab's attacker, not a general-purpose form poster.
const TARGETS = {
  "display-name": "/api/display-name/",
  "probe": "/api/cookies/probe/cross-site-form-post/",
};
const params = new URLSearchParams(location.search);
const { api } = await (await fetch("/lab-config.json")).json();
const form = document.querySelector("form");
form.action = `${api}${TARGETS[params.get("target")] ?? TARGETS["display-name"]}?run=${encodeURIComponent(params.get("run") ?? "")}`;
form.submit();
