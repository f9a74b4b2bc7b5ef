//! node-semver's versions and ranges: `^`, `~`, x-ranges, hyphen ranges,
//! `||`, comparators, and its prerelease rule (a prerelease version only
//! satisfies a comparator set that names a prerelease of the same
//! `major.minor.patch`). Ranges desugar to comparator sets exactly as
//! node-semver's do, `-0` upper bounds included.

use std::{cmp::Ordering, fmt};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ident {
    Num(u64),
    Text(String),
}

impl Ord for Ident {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Ident::Num(a), Ident::Num(b)) => a.cmp(b),
            (Ident::Num(_), Ident::Text(_)) => Ordering::Less,
            (Ident::Text(_), Ident::Num(_)) => Ordering::Greater,
            (Ident::Text(a), Ident::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Ident {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ident::Num(n) => write!(f, "{n}"),
            Ident::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<Ident>,
}

impl Version {
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version { major, minor, patch, pre: Vec::new() }
    }

    /// A full version (`1.2.3`, `v1.2.3-beta.1+build`), as `semver.valid`.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches(['=', 'v']);
        let partial = Partial::parse(text)?;
        match partial {
            Partial { major: Some(major), minor: Some(minor), patch: Some(patch), pre } => {
                Some(Version { major, minor, patch, pre })
            }
            _ => None,
        }
    }

    fn with_pre_zero(mut self) -> Self {
        self.pre = vec![Ident::Num(0)];
        self
    }

    fn tuple(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.tuple().cmp(&other.tuple()).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.pre.cmp(&other.pre),
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            let pre: Vec<String> = self.pre.iter().map(ToString::to_string).collect();
            write!(f, "-{}", pre.join("."))?;
        }
        Ok(())
    }
}

/// A version with some parts left out or wild (`1`, `1.x`, `*`).
#[derive(Debug, Clone)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Vec<Ident>,
}

impl Partial {
    fn parse(text: &str) -> Option<Partial> {
        let text = text.trim().trim_start_matches(['=', 'v']);
        let text = text.split('+').next()?;
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let wild = |s: &str| matches!(s, "x" | "X" | "*");
        let mut numbers = [None, None, None];
        let parts: Vec<&str> = if core.is_empty() { Vec::new() } else { core.split('.').collect() };
        if parts.len() > 3 {
            return None;
        }
        for (i, part) in parts.iter().enumerate() {
            if wild(part) {
                break;
            }
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            numbers[i] = Some(part.parse().ok()?);
        }
        let pre = match pre {
            Some(pre) if !pre.is_empty() => pre
                .split('.')
                .map(|id| {
                    if id.is_empty() {
                        None
                    } else if id.bytes().all(|b| b.is_ascii_digit()) {
                        id.parse().ok().map(Ident::Num)
                    } else if id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        Some(Ident::Text(id.to_string()))
                    } else {
                        None
                    }
                })
                .collect::<Option<Vec<_>>>()?,
            Some(_) => return None,
            None => Vec::new(),
        };
        Some(Partial { major: numbers[0], minor: numbers[1], patch: numbers[2], pre })
    }

    /// The lowest version the partial covers.
    fn floor(&self) -> Version {
        Version { major: self.major.unwrap_or(0), minor: self.minor.unwrap_or(0), patch: self.patch.unwrap_or(0), pre: self.pre.clone() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

#[derive(Debug, Clone)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn test(&self, v: &Version) -> bool {
        let ord = v.cmp(&self.version);
        match self.op {
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
            Op::Eq => ord == Ordering::Equal,
        }
    }
}

/// A parsed range: any of its comparator sets may match.
#[derive(Debug, Clone)]
pub struct Range {
    sets: Vec<Vec<Comparator>>,
}

fn ge(v: Version) -> Comparator {
    Comparator { op: Op::Ge, version: v }
}

fn lt(v: Version) -> Comparator {
    Comparator { op: Op::Lt, version: v }
}

/// Comparators for a partial used alone (`1.2` means `>=1.2.0 <1.3.0-0`).
fn x_range(p: &Partial) -> Vec<Comparator> {
    match (p.major, p.minor, p.patch) {
        (None, _, _) => vec![ge(Version::new(0, 0, 0))],
        (Some(ma), None, _) => vec![ge(Version::new(ma, 0, 0)), lt(Version::new(ma + 1, 0, 0).with_pre_zero())],
        (Some(ma), Some(mi), None) => vec![ge(Version::new(ma, mi, 0)), lt(Version::new(ma, mi + 1, 0).with_pre_zero())],
        (Some(_), Some(_), Some(_)) => vec![Comparator { op: Op::Eq, version: p.floor() }],
    }
}

fn tilde(p: &Partial) -> Vec<Comparator> {
    match (p.major, p.minor, p.patch) {
        (None, _, _) => vec![ge(Version::new(0, 0, 0))],
        (Some(ma), None, _) => vec![ge(Version::new(ma, 0, 0)), lt(Version::new(ma + 1, 0, 0).with_pre_zero())],
        (Some(ma), Some(mi), _) => vec![ge(p.floor()), lt(Version::new(ma, mi + 1, 0).with_pre_zero())],
    }
}

fn caret(p: &Partial) -> Vec<Comparator> {
    match (p.major, p.minor, p.patch) {
        (None, _, _) => vec![ge(Version::new(0, 0, 0))],
        (Some(ma), None, _) => vec![ge(Version::new(ma, 0, 0)), lt(Version::new(ma + 1, 0, 0).with_pre_zero())],
        (Some(0), Some(mi), None) => vec![ge(Version::new(0, mi, 0)), lt(Version::new(0, mi + 1, 0).with_pre_zero())],
        (Some(ma), Some(_), None) => vec![ge(p.floor()), lt(Version::new(ma + 1, 0, 0).with_pre_zero())],
        (Some(0), Some(0), Some(pa)) => vec![ge(p.floor()), lt(Version::new(0, 0, pa + 1).with_pre_zero())],
        (Some(0), Some(mi), Some(_)) => vec![ge(p.floor()), lt(Version::new(0, mi + 1, 0).with_pre_zero())],
        (Some(ma), Some(_), Some(_)) => vec![ge(p.floor()), lt(Version::new(ma + 1, 0, 0).with_pre_zero())],
    }
}

/// `>1.2`, `<=1`... with partial versions, as node-semver rewrites them.
fn primitive(op: &str, p: &Partial) -> Vec<Comparator> {
    let bump = |p: &Partial| -> Version {
        match (p.major, p.minor) {
            (Some(ma), None) => Version::new(ma + 1, 0, 0),
            (Some(ma), Some(mi)) => Version::new(ma, mi + 1, 0),
            _ => Version::new(0, 0, 0),
        }
    };
    let full = p.patch.is_some() && p.minor.is_some() && p.major.is_some();
    if p.major.is_none() {
        // `>*` and `<*` match nothing; `>=*`/`<=*` everything.
        return match op {
            ">" | "<" => vec![lt(Version::new(0, 0, 0).with_pre_zero())],
            _ => vec![ge(Version::new(0, 0, 0))],
        };
    }
    match op {
        ">" if !full => vec![ge(bump(p))],
        ">" => vec![Comparator { op: Op::Gt, version: p.floor() }],
        ">=" => vec![ge(p.floor())],
        "<" if !full => vec![lt(p.floor().with_pre_zero())],
        "<" => vec![lt(p.floor())],
        "<=" if !full => vec![lt(bump(p).with_pre_zero())],
        "<=" => vec![Comparator { op: Op::Le, version: p.floor() }],
        _ => x_range(p),
    }
}

impl Range {
    pub fn parse(text: &str) -> Option<Range> {
        let mut sets = Vec::new();
        for part in text.split("||") {
            sets.push(parse_set(part.trim())?);
        }
        Some(Range { sets })
    }

    /// Whether `v` satisfies the range, with node-semver's prerelease rule.
    pub fn satisfies(&self, v: &Version) -> bool {
        self.sets.iter().any(|set| {
            set.iter().all(|c| c.test(v))
                && (v.pre.is_empty()
                    || set.iter().any(|c| !c.version.pre.is_empty() && c.version.tuple() == v.tuple()))
        })
    }

    /// The highest of `versions` in the range (`semver.maxSatisfying`).
    pub fn max_satisfying<'a>(&self, versions: impl IntoIterator<Item = &'a Version>) -> Option<&'a Version> {
        versions.into_iter().filter(|v| self.satisfies(v)).max()
    }
}

fn parse_set(text: &str) -> Option<Vec<Comparator>> {
    // Hyphen range: `a - b`.
    if let Some((from, to)) = text.split_once(" - ") {
        let (from, to) = (Partial::parse(from)?, Partial::parse(to)?);
        let mut set = if from.major.is_none() { vec![ge(Version::new(0, 0, 0))] } else { vec![ge(from.floor())] };
        match (to.major, to.minor, to.patch) {
            (None, _, _) => {}
            (Some(ma), None, _) => set.push(lt(Version::new(ma + 1, 0, 0).with_pre_zero())),
            (Some(ma), Some(mi), None) => set.push(lt(Version::new(ma, mi + 1, 0).with_pre_zero())),
            _ => set.push(Comparator { op: Op::Le, version: to.floor() }),
        }
        return Some(set);
    }
    // Operators may be separated from their versions by spaces (`>= 1.2`).
    let mut tokens: Vec<String> = Vec::new();
    let mut pending_op: Option<String> = None;
    for raw in text.split_whitespace() {
        let op_len = raw.bytes().take_while(|b| b"<>=~^".contains(b)).count();
        if op_len == raw.len() {
            pending_op = Some(raw.to_string());
            continue;
        }
        let token = match pending_op.take() {
            Some(op) => format!("{op}{raw}"),
            None => raw.to_string(),
        };
        tokens.push(token);
    }
    if tokens.is_empty() {
        return Some(vec![ge(Version::new(0, 0, 0))]);
    }
    let mut set = Vec::new();
    for token in tokens {
        let op_len = token.bytes().take_while(|b| b"<>=~^".contains(b)).count();
        let (op, rest) = token.split_at(op_len);
        let partial = Partial::parse(rest)?;
        set.extend(match op {
            "" | "=" => x_range(&partial),
            "~" | "~>" => tilde(&partial),
            "^" => caret(&partial),
            ">" | ">=" | "<" | "<=" => primitive(op, &partial),
            _ => return None,
        });
    }
    Some(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(range: &str, version: &str) -> bool {
        Range::parse(range).unwrap().satisfies(&Version::parse(version).unwrap())
    }

    #[test]
    fn caret_tilde_and_x_ranges() {
        assert!(sat("^1.2.3", "1.9.0") && !sat("^1.2.3", "2.0.0") && !sat("^1.2.3", "1.2.2"));
        assert!(sat("^0.2.3", "0.2.9") && !sat("^0.2.3", "0.3.0"));
        assert!(sat("^0.0.3", "0.0.3") && !sat("^0.0.3", "0.0.4"));
        assert!(sat("^0.x", "0.9.9") && !sat("^0.x", "1.0.0"));
        assert!(sat("~1.2.3", "1.2.9") && !sat("~1.2.3", "1.3.0"));
        assert!(sat("~1", "1.9.9") && !sat("~1", "2.0.0"));
        assert!(sat("1.x", "1.4.0") && sat("*", "3.0.0") && sat("", "0.0.1"));
        assert!(sat("1.2.3 - 2.3", "2.3.9") && !sat("1.2.3 - 2.3", "2.4.0"));
        assert!(sat(">=1.2 <2", "1.5.0") && !sat(">1.2", "1.2.9") && sat(">1.2", "1.3.0"));
        assert!(sat("<=1.2", "1.2.99") && !sat("<1.2", "1.2.0"));
        assert!(sat("1.2.3 || 2.x", "2.5.0") && !sat("1.2.3 || 2.x", "1.2.4"));
        assert!(sat(">= 1.0.0", "1.0.0"));
    }

    #[test]
    fn prereleases_only_match_their_own_tuple() {
        assert!(sat("^1.2.3-beta.2", "1.2.3-beta.4"));
        assert!(!sat("^1.2.3-beta.2", "1.2.4-beta.2"));
        assert!(!sat("^1.0.0", "1.5.0-rc.1"));
        assert!(sat(">=1.0.0-0", "1.0.0-alpha"));
        let mut versions: Vec<Version> = ["1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-alpha", "1.0.0", "1.0.0-rc.1", "1.0.0-beta.11", "1.0.0-beta.2"]
            .iter()
            .map(|v| Version::parse(v).unwrap())
            .collect();
        versions.sort();
        let order: Vec<String> = versions.iter().map(ToString::to_string).collect();
        assert_eq!(order, ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]);
    }

    #[test]
    fn max_satisfying_picks_the_highest() {
        let versions: Vec<Version> = ["1.0.0", "1.2.0", "1.10.0", "2.0.0"].iter().map(|v| Version::parse(v).unwrap()).collect();
        let range = Range::parse("^1.0.0").unwrap();
        assert_eq!(range.max_satisfying(&versions).unwrap().to_string(), "1.10.0");
        assert!(Range::parse("^3").unwrap().max_satisfying(&versions).is_none());
        assert!(Range::parse("not a range!").is_none());
    }
}
