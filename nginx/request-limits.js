// The lab's limits on the size of a request (nginx.conf.template says why these sizes), checked
// once nginx has read the whole request header, so that HTTP/1.1 and HTTP/2 get the same answer.
// nginx's own limits (large_client_header_buffers) are checked while it reads, and over HTTP/2 they
// end the connection instead of answering: these sit below them. json-errors.conf turns the
// refusal into its JSON 414 or 431.
const LINE = 16384;     // the request target, or one header line ("Name: value")
const HEADERS = 65536;  // every header line together (HTTP/2's cookie crumbs joined, as Django sees them)

// "uri_too_long", "headers_too_large", or "" for a request within the limits.
function refusal(r) {
    if (r.variables.request_uri.length > LINE) {
        return "uri_too_long";
    }
    let total = 0;
    const headers = r.rawHeadersIn;
    for (let i = 0; i < headers.length; i++) {
        const line = headers[i][0].length + 2 + headers[i][1].length;  // "Name: value"
        if (line > LINE) {
            return "headers_too_large";
        }
        total += line + 2;
    }
    return total > HEADERS ? "headers_too_large" : "";
}

export default { refusal };
