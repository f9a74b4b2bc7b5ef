//! Native side of WHATWG `URL`: parsing, serialising and the component
//! setters, by the `url` crate (a WHATWG URL Standard implementation).

use lode_engine::{Binding, Val};
use url::Url;

/// The components `url.js` keeps, in this order.
fn components<'s>(url: &Url) -> Val<'s> {
    let port = url.port().map(|p| p.to_string()).unwrap_or_default();
    let search = match url.query() {
        Some(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    };
    let hash = match url.fragment() {
        Some(f) if !f.is_empty() => format!("#{f}"),
        _ => String::new(),
    };
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    };
    let fields = [
        url.as_str().to_string(),
        url.origin().ascii_serialization(),
        format!("{}:", url.scheme()),
        url.username().to_string(),
        url.password().unwrap_or("").to_string(),
        host,
        url.host_str().unwrap_or("").to_string(),
        port,
        url.path().to_string(),
        search,
        hash,
    ];
    Val::array(fields)
}

fn parse(input: &str, base: Option<&str>) -> Option<Url> {
    match base {
        Some(base) => Url::parse(base).ok()?.join(input).ok(),
        None => Url::parse(input).ok(),
    }
}

/// Applies one component setter the way the URL Standard does: invalid
/// values leave the URL unchanged.
fn set_component(url: &mut Url, name: &str, value: &str) {
    let strip = |v: &str, prefix: char| v.strip_prefix(prefix).unwrap_or(v).to_string();
    match name {
        "href" => {
            if let Ok(parsed) = Url::parse(value) {
                *url = parsed;
            }
        }
        "protocol" => {
            let scheme = value.split(':').next().unwrap_or("");
            let _ = url.set_scheme(scheme);
        }
        "username" => {
            let _ = url.set_username(value);
        }
        "password" => {
            let _ = url.set_password(if value.is_empty() { None } else { Some(value) });
        }
        "host" => {
            if url.cannot_be_a_base() {
                return;
            }
            let (host, port) = match value.rsplit_once(':') {
                Some((h, p)) if !h.ends_with(']') || value.starts_with('[') && h.ends_with(']') => (h, Some(p)),
                _ => (value, None),
            };
            if url.set_host(Some(host)).is_ok() {
                if let Some(port) = port.and_then(|p| p.parse::<u16>().ok()) {
                    let _ = url.set_port(Some(port));
                }
            }
        }
        "hostname" if !url.cannot_be_a_base() => {
            let _ = url.set_host(Some(value));
        }
        "port" => {
            if value.is_empty() {
                let _ = url.set_port(None);
            } else {
                let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(port) = digits.parse::<u16>() {
                    let _ = url.set_port(Some(port));
                }
            }
        }
        "pathname" if !url.cannot_be_a_base() => url.set_path(value),
        "search" => {
            let query = strip(value, '?');
            url.set_query(if value.is_empty() { None } else { Some(&query) });
        }
        "hash" => {
            let fragment = strip(value, '#');
            url.set_fragment(if value.is_empty() { None } else { Some(&fragment) });
        }
        _ => {}
    }
}

pub fn init(b: &mut Binding<'_, '_>) {
    // Components of `input` against `base`, or null if it does not parse.
    b.op("parse", |_, args| {
        let input = args.string(0)?;
        let base = if args.get(1).is_undefined() { None } else { Some(args.string(1)?) };
        Ok(Val::or_null(parse(&input, base.as_deref()).as_ref().map(components)))
    })
    .op("set", |_, args| {
        let (href, name, value) = (args.string(0)?, args.string(1)?, args.string(2)?);
        let Ok(mut url) = Url::parse(&href) else { return Ok(Val::Null) };
        set_component(&mut url, &name, &value);
        Ok(components(&url))
    })
    .op("domainToASCII", |_, args| Ok(url::Host::parse(&args.string(0)?).map(|h| h.to_string()).unwrap_or_default().into()))
    .op("domainToUnicode", |_, args| {
        let (unicode, result) = idna_to_unicode(&args.string(0)?);
        Ok(if result { unicode } else { String::new() }.into())
    });
}

fn idna_to_unicode(domain: &str) -> (String, bool) {
    match url::Host::parse(domain) {
        Ok(url::Host::Domain(ascii)) => {
            let (unicode, result) = idna::domain_to_unicode(&ascii);
            (unicode, result.is_ok())
        }
        Ok(other) => (other.to_string(), true),
        Err(_) => (String::new(), false),
    }
}
