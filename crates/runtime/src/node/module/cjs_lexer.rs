//! Static detection of a CommonJS module's named exports, as Node's
//! cjs-module-lexer does, so `import { x } from './file.cjs'` links before
//! the CommonJS code runs. It recognises the common shapes:
//! `exports.x =`, `module.exports.x =`, `exports['x'] =`,
//! `Object.defineProperty(exports, 'x', ...)`, `module.exports = { a, b: 1 }`,
//! and re-exports `module.exports = require('y')`, `...require('y')` in an
//! exported object literal, and TypeScript's `__exportStar(require('y'))`.

/// What a CommonJS source exports, as far as can be seen without running it.
#[derive(Debug, Default, PartialEq)]
pub struct CjsExports {
    pub names: Vec<String>,
    pub reexports: Vec<String>,
}

impl CjsExports {
    fn add_name(&mut self, name: String) {
        if !self.names.contains(&name) {
            self.names.push(name);
        }
    }

    fn add_reexport(&mut self, specifier: String) {
        if !self.reexports.contains(&specifier) {
            self.reexports.push(specifier);
        }
    }
}

/// A token: an identifier, a string literal's value, or one punctuator.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
}

pub fn analyze(source: &str) -> CjsExports {
    let tokens = tokenize(source);
    let mut out = CjsExports::default();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i..];
        if let Some(consumed) = match_member_assign(t, &mut out)
            .or_else(|| match_define_property(t, &mut out))
            .or_else(|| match_module_exports_assign(t, &mut out))
            .or_else(|| match_export_star(t, &mut out))
        {
            i += consumed.max(1);
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident(t: Option<&Token>, name: &str) -> bool {
    matches!(t, Some(Token::Ident(s)) if s == name)
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    matches!(t, Some(Token::Punct(p)) if *p == c)
}

/// Length of `exports` or `module.exports` at the start of `t`.
fn exports_ref(t: &[Token]) -> Option<usize> {
    if is_ident(t.first(), "exports") {
        return Some(1);
    }
    if is_ident(t.first(), "module") && is_punct(t.get(1), '.') && is_ident(t.get(2), "exports") {
        return Some(3);
    }
    None
}

/// `exports.x =`, `exports['x'] =` (and through `module.exports`).
fn match_member_assign(t: &[Token], out: &mut CjsExports) -> Option<usize> {
    if matches!(t.first(), Some(Token::Punct('.'))) {
        return None;
    }
    let n = exports_ref(t)?;
    let (name, len) = match (t.get(n), t.get(n + 1), t.get(n + 2), t.get(n + 3)) {
        (Some(Token::Punct('.')), Some(Token::Ident(name)), _, _) => (name.clone(), n + 2),
        (Some(Token::Punct('[')), Some(Token::Str(name)), Some(Token::Punct(']')), _) => (name.clone(), n + 3),
        _ => return None,
    };
    if !is_punct(t.get(len), '=') || is_punct(t.get(len + 1), '=') {
        return None;
    }
    out.add_name(name);
    Some(len + 1)
}

/// `Object.defineProperty(exports, 'x', ...)`.
fn match_define_property(t: &[Token], out: &mut CjsExports) -> Option<usize> {
    if !(is_ident(t.first(), "Object") && is_punct(t.get(1), '.') && is_ident(t.get(2), "defineProperty") && is_punct(t.get(3), '(')) {
        return None;
    }
    let n = exports_ref(&t[4..])?;
    match (t.get(4 + n), t.get(5 + n)) {
        (Some(Token::Punct(',')), Some(Token::Str(name))) => {
            out.add_name(name.clone());
            Some(6 + n)
        }
        _ => None,
    }
}

/// `module.exports = require('y')` or `module.exports = { a, b: 1, ...require('y') }`.
fn match_module_exports_assign(t: &[Token], out: &mut CjsExports) -> Option<usize> {
    if !(is_ident(t.first(), "module") && is_punct(t.get(1), '.') && is_ident(t.get(2), "exports")) {
        return None;
    }
    if !is_punct(t.get(3), '=') || is_punct(t.get(4), '=') {
        return None;
    }
    if let Some(len) = require_call(&t[4..]).map(|(spec, len)| {
        out.add_reexport(spec);
        len
    }) {
        return Some(4 + len);
    }
    if !is_punct(t.get(4), '{') {
        return None;
    }
    // Entries are read while they keep Node's lexer's shapes: `a`, `a: b`,
    // `'a': b` and `...require('y')`; anything else ends detection there.
    let mut i = 5;
    loop {
        let ends_entry = |j: usize| is_punct(t.get(j), ',') || is_punct(t.get(j), '}');
        let consumed = match (t.get(i), t.get(i + 1), t.get(i + 2)) {
            (Some(Token::Ident(name)), _, _) if ends_entry(i + 1) => {
                out.add_name(name.clone());
                1
            }
            (Some(Token::Ident(name) | Token::Str(name)), Some(Token::Punct(':')), Some(Token::Ident(_))) if ends_entry(i + 3) => {
                out.add_name(name.clone());
                3
            }
            (Some(Token::Punct('.')), Some(Token::Punct('.')), Some(Token::Punct('.'))) => match require_call(&t[i + 3..]) {
                Some((spec, len)) if ends_entry(i + 3 + len) => {
                    out.add_reexport(spec);
                    3 + len
                }
                _ => return Some(i),
            },
            _ => return Some(i),
        };
        i += consumed;
        if is_punct(t.get(i), '}') {
            return Some(i + 1);
        }
        i += 1; // the comma
    }
}

/// `__exportStar(require('y'), exports)` and `__export(require('y'))`.
fn match_export_star(t: &[Token], out: &mut CjsExports) -> Option<usize> {
    let helper = matches!(t.first(), Some(Token::Ident(s)) if s == "__exportStar" || s == "__export");
    if !helper || !is_punct(t.get(1), '(') {
        return None;
    }
    let (spec, len) = require_call(&t[2..])?;
    out.add_reexport(spec);
    Some(2 + len)
}

/// `require('y')` at the start of `t`: the specifier and the token count.
fn require_call(t: &[Token]) -> Option<(String, usize)> {
    match (t.first(), t.get(1), t.get(2), t.get(3)) {
        (Some(Token::Ident(r)), Some(Token::Punct('(')), Some(Token::Str(spec)), Some(Token::Punct(')'))) if r == "require" => {
            Some((spec.clone(), 4))
        }
        _ => None,
    }
}

/// Splits source into identifiers, string values and punctuators, skipping
/// comments, template literals and regular expressions.
fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || c == '"' {
            let (value, end) = read_string(&chars, i);
            tokens.push(Token::Str(value));
            i = end;
        } else if c == '`' {
            i = skip_template(&chars, i);
            tokens.push(Token::Punct('`'));
        } else if c == '/' && regex_allowed(tokens.last()) {
            i = skip_regex(&chars, i);
            tokens.push(Token::Punct('/'));
        } else if c == '_' || c == '$' || c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i] == '$' || chars[i].is_alphanumeric()) {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

fn read_string(chars: &[char], start: usize) -> (String, usize) {
    let quote = chars[start];
    let mut value = String::new();
    let mut i = start + 1;
    while i < chars.len() && chars[i] != quote && chars[i] != '\n' {
        if chars[i] == '\\' && i + 1 < chars.len() {
            value.push(chars[i + 1]);
            i += 2;
        } else {
            value.push(chars[i]);
            i += 1;
        }
    }
    (value, i + 1)
}

fn skip_template(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    let mut depth = 0usize;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '`' if depth == 0 => return i + 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                depth += 1;
                i += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// A `/` starts a regular expression unless it follows a value.
fn regex_allowed(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Ident(word)) => matches!(word.as_str(), "return" | "typeof" | "case" | "do" | "else" | "in" | "of" | "void" | "throw" | "delete" | "new" | "yield" | "await"),
        Some(Token::Str(_)) => false,
        Some(Token::Punct(p)) => !matches!(p, ')' | ']' | '}' | '`'),
    }
}

fn skip_regex(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    let mut in_class = false;
    while i < chars.len() && chars[i] != '\n' {
        match chars[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '/' if !in_class => {
                i += 1;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                return i;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<String> {
        analyze(source).names
    }

    #[test]
    fn member_assignments() {
        assert_eq!(names("exports.a = 1; module.exports.b = 2; exports['c-d'] = 3;"), ["a", "b", "c-d"]);
        assert_eq!(names("if (exports.a === 1) {}"), Vec::<String>::new());
    }

    #[test]
    fn define_property_and_es_module_flag() {
        let found = names("Object.defineProperty(exports, '__esModule', { value: true }); Object.defineProperty(module.exports, \"x\", {});");
        assert_eq!(found, ["__esModule", "x"]);
    }

    #[test]
    fn object_literal_and_reexports() {
        let result = analyze("module.exports = { a, b: c, 'd': e, ...require('./more') };");
        assert_eq!(result.names, ["a", "b", "d"]);
        assert_eq!(result.reexports, ["./more"]);
        // Detection stops at the first entry of another shape.
        assert_eq!(names("module.exports = { a, b: f(1), c };"), ["a"]);
        assert_eq!(analyze("module.exports = require('./other');").reexports, ["./other"]);
        assert_eq!(analyze("__exportStar(require(\"./lib\"), exports);").reexports, ["./lib"]);
    }

    #[test]
    fn ignores_comments_strings_templates_and_regexes() {
        let source = "// exports.a = 1\n/* exports.b = 2 */ const s = 'exports.c = 3'; const t = `exports.d = ${x}`; const r = /exports.e = /; exports.f = 1;";
        assert_eq!(names(source), ["f"]);
    }

    #[test]
    fn literal_values_end_detection_as_in_node() {
        assert_eq!(names("module.exports = { named: 'n', other: 1 };"), Vec::<String>::new());
    }
}
