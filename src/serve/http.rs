//! Just enough HTTP/1.1 for the event server: an incremental request-head parser with hard
//! limits, response heads, and the bearer-token check.
//!
//! Requests have no body that matters (only `GET` is served), so a request is its head: the
//! parser is handed the bytes read so far and answers "need more", "here is the request", or the
//! 4xx status the client earned (400 malformed, 414 target too long, 431 head too large). Each
//! response to a plain endpoint ends its connection (`Connection: close`), which keeps the
//! connection state machine small; event streams stay open.

/// The most bytes a request head may take.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most header lines a request may have.
const MAX_HEADERS: usize = 100;
/// The longest request target.
const MAX_TARGET: usize = 4096;

/// A filter parameter that cannot be used; answered with 400.
#[derive(Debug)]
pub(crate) struct FilterError(pub String);

/// The parts of a request the server looks at.
#[derive(Debug, Default)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<Vec<u8>>,
    pub last_event_id: Option<Vec<u8>>,
}

/// What the bytes read so far amount to.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// The head is not complete yet.
    Incomplete,
    /// A complete request.
    Done(Request),
    /// A request the server refuses, with the status to answer and why.
    Bad(u16, &'static str),
}

/// Parses a request head from the start of `buf`.
pub(crate) fn parse(buf: &[u8]) -> Parsed {
    let Some(end) = head_end(buf) else {
        return if buf.len() > MAX_HEAD {
            Parsed::Bad(431, "request head too large")
        } else if !buf.is_empty() && !matches!(buf[0], b'A'..=b'Z' | b'\r' | b'\n') {
            // Not even the start of a method: no need to wait for more.
            Parsed::Bad(400, "malformed request line")
        } else {
            Parsed::Incomplete
        };
    };
    if end > MAX_HEAD {
        return Parsed::Bad(431, "request head too large");
    }
    let head = &buf[..end];
    // RFC 9112 lets a server ignore empty lines before the request line.
    let mut lines = head.split(|b| *b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let mut request_line = lines.next().unwrap_or_default();
    while request_line.is_empty() {
        match lines.next() {
            Some(l) => request_line = l,
            None => return Parsed::Bad(400, "empty request"),
        }
    }
    let Ok(request_line) = std::str::from_utf8(request_line) else {
        return Parsed::Bad(400, "malformed request line");
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Parsed::Bad(400, "malformed request line");
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Parsed::Bad(400, "malformed method");
    }
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Parsed::Bad(400, "unsupported HTTP version");
    }
    if target.len() > MAX_TARGET {
        return Parsed::Bad(414, "request target too long");
    }
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Parsed::Bad(400, "malformed request target");
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut req = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        ..Request::default()
    };
    let mut count = 0;
    for line in lines.filter(|l| !l.is_empty()) {
        count += 1;
        if count > MAX_HEADERS {
            return Parsed::Bad(431, "too many header fields");
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Parsed::Bad(400, "malformed header field");
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|b| is_token_byte(*b)) {
            return Parsed::Bad(400, "malformed header field");
        }
        let value = line[colon + 1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"authorization") {
            req.authorization = Some(value.to_vec());
        } else if name.eq_ignore_ascii_case(b"last-event-id") {
            req.last_event_id = Some(value.to_vec());
        }
    }
    Parsed::Done(req)
}

/// The index just past the blank line that ends the head (`\r\n\r\n` or a bare `\n\n`).
fn head_end(buf: &[u8]) -> Option<usize> {
    let limit = buf.len().min(MAX_HEAD + 4);
    let mut i = 0;
    while i < limit {
        if buf[i] == b'\n' {
            if buf.get(i + 1) == Some(&b'\n') {
                return Some(i + 2);
            }
            if buf.get(i + 1) == Some(&b'\r') && buf.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Decodes `%XX` escapes and `+` (a space, as forms and `URLSearchParams` write it).
pub(crate) fn percent_decode(s: &str) -> Result<String, FilterError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                    return Err(FilterError(format!("bad percent escape in `{s}`")));
                };
                out.push(b);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| FilterError(format!("`{s}` is not UTF-8 once decoded")))
}

/// True when the `Authorization` value is `Bearer <token>`; the token comparison takes the
/// same time wherever the first difference is.
pub(crate) fn authorized(header: Option<&[u8]>, token: &[u8]) -> bool {
    let Some(value) = header else { return false };
    let Some(scheme) = value.get(..7) else { return false };
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return false;
    }
    constant_time_eq(value[7..].trim_ascii(), token)
}

/// True when the request carries the token: as `Authorization: Bearer <token>` (the primary
/// way), or as a `token` query parameter (for browsers' `EventSource`, which cannot send
/// headers). Both comparisons take the same time wherever the first difference is.
pub(crate) fn request_authorized(req: &Request, token: &[u8]) -> bool {
    if authorized(req.authorization.as_deref(), token) {
        return true;
    }
    query_param(&req.query, "token")
        .and_then(|raw| percent_decode(raw).ok())
        .is_some_and(|given| constant_time_eq(given.as_bytes(), token))
}

/// The raw (still percent-encoded) value of the first `name` parameter of a query string.
fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// Compares `given` with `expected` in time that depends only on `expected`'s length.
pub(crate) fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = u8::from(given.len() != expected.len());
    for (i, e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!*e);
        diff |= std::hint::black_box(g ^ e);
    }
    diff == 0
}

/// The reason phrase of the statuses the server uses.
pub(crate) fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// A complete response that ends the connection.
pub(crate) fn response(code: u16, content_type: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n{extra}\r\n",
        reason(code),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A JSON error response: `{"error": message}`.
pub(crate) fn error_response(code: u16, message: &str) -> Vec<u8> {
    let body = serde_json::json!({ "error": message }).to_string();
    let extra = match code {
        401 => "WWW-Authenticate: Bearer\r\n",
        405 => "Allow: GET\r\n",
        _ => "",
    };
    response(code, "application/json", extra, body.as_bytes())
}

/// The head of an event stream; the body runs until either side closes.
pub(crate) const STREAM_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\nretry: 2000\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn done(raw: &[u8]) -> Request {
        match parse(raw) {
            Parsed::Done(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_a_request_in_pieces() {
        let raw = b"GET /events?kind=created HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 7\r\n\
                    authorization: Bearer abc\r\n\r\n";
        for cut in 1..raw.len() {
            assert!(matches!(parse(&raw[..cut]), Parsed::Incomplete), "cut {cut}");
        }
        let r = done(raw);
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str()),
            ("GET", "/events", "kind=created")
        );
        assert_eq!(r.last_event_id.as_deref(), Some(&b"7"[..]));
        assert!(authorized(r.authorization.as_deref(), b"abc"));
        assert!(!authorized(r.authorization.as_deref(), b"abd"));
        assert!(!authorized(None, b"abc"));
    }

    #[test]
    fn refuses_malformed_and_huge_requests() {
        for raw in [
            &b"garbage\r\n\r\n"[..],
            b"GET /x\r\n\r\n",
            b"GET x HTTP/1.1\r\n\r\n",
            b"GET /x HTTP/2.0\r\n\r\n",
            b"GET /x HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET /x HTTP/1.1\r\nbad name: 1\r\n\r\n",
            b"\x16\x03\x01",
        ] {
            assert!(matches!(parse(raw), Parsed::Bad(400, _)), "{raw:?}");
        }
        let mut huge = b"GET / HTTP/1.1\r\nX: ".to_vec();
        huge.resize(MAX_HEAD + 10, b'a');
        assert!(matches!(parse(&huge), Parsed::Bad(431, _)));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert!(matches!(parse(long.as_bytes()), Parsed::Bad(414, _)));
    }

    #[test]
    fn token_in_the_query_is_accepted_too() {
        let req = |raw: &[u8]| done(raw);
        let secret = b"s3cr/t t";
        assert!(request_authorized(&req(b"GET /events?token=s3cr%2Ft+t HTTP/1.1\r\n\r\n"), secret));
        assert!(request_authorized(
            &req(b"GET /events?kind=created&token=s3cr%2Ft%20t HTTP/1.1\r\n\r\n"),
            secret
        ));
        let header = b"GET /events HTTP/1.1\r\nAuthorization: Bearer s3cr/t t\r\n\r\n";
        assert!(request_authorized(&req(header), secret));
        for bad in [
            &b"GET /events HTTP/1.1\r\n\r\n"[..],
            b"GET /events?token= HTTP/1.1\r\n\r\n",
            b"GET /events?token HTTP/1.1\r\n\r\n",
            b"GET /events?token=s3cr%2Ft HTTP/1.1\r\n\r\n",
            b"GET /events?token=s3cr%2Ft+tt HTTP/1.1\r\n\r\n",
            b"GET /events?token=%zz HTTP/1.1\r\n\r\n",
            b"GET /events?xtoken=s3cr%2Ft+t HTTP/1.1\r\n\r\n",
            b"GET /events?token=wrong HTTP/1.1\r\nAuthorization: Bearer wrong\r\n\r\n",
        ] {
            assert!(!request_authorized(&req(bad), secret), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secre", b"secret"));
        assert!(!constant_time_eq(b"secretx", b"secret"));
        assert!(!constant_time_eq(b"", b"secret"));
        assert_eq!(percent_decode("a%2Fb+c").unwrap(), "a/b c");
    }
}
