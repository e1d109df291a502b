// What a static host's own server received of the browser's cookies: their names, never their
// values. The cookie-scope lessons ask it on the app, the sibling and the dev layout's front
// (frontend/mistakes.html, sibling/index.html): a cookie the API set with Domain=<its site>, or on
// another port of the same host, comes back to these servers too, HttpOnly or not.
function received(r) {
    // $http_cookie: every Cookie header of the request (HTTP/2 sends one per cookie), joined.
    const names = (r.variables.http_cookie || "").split(";")
        .map((pair) => pair.split("=")[0].trim())
        .filter((name, index, all) => name && all.indexOf(name) === index)
        .sort();
    r.headersOut["Content-Type"] = "application/json";
    r.return(200, JSON.stringify({ host: r.headersIn.host, cookies: names }) + "\n");
}

export default { received };
