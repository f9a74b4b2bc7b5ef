//! Engine-neutral values: what an op hands back to JS ([`Val`]) and what it
//! throws ([`OpError`], [`JsError`]). They are plain Rust data; the engine
//! turns them into JS values only at the boundary, so nothing here needs
//! rooting.

use std::borrow::Cow;

use crate::Local;

/// A value on its way to JS. Scalars cost nothing; strings, bytes, arrays
/// and objects are built by the engine when the op returns.
pub enum Val<'s> {
    Undefined,
    Null,
    Bool(bool),
    Int(i32),
    Number(f64),
    BigInt(i64),
    Str(&'static str),
    String(String),
    /// A Node `Buffer` (a Uint8Array with Buffer's prototype) that takes
    /// over the bytes without copying them.
    Buffer(Vec<u8>),
    /// A plain `Uint8Array` over the bytes.
    Uint8Array(Vec<u8>),
    Array(Vec<Val<'s>>),
    /// A plain object with these own properties, in this order.
    Object(Vec<(Cow<'static, str>, Val<'s>)>),
    /// An error object, made by the realm's own constructor.
    Error(Box<JsError>),
    /// A JS value already held in this scope.
    Local(Local<'s>),
}

impl<'s> Val<'s> {
    /// An object from `(key, value)` pairs with static keys.
    pub fn object<const N: usize>(entries: [(&'static str, Val<'s>); N]) -> Self {
        Val::Object(entries.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect())
    }

    /// An array of anything that converts to a value.
    pub fn array<T: Into<Val<'s>>>(items: impl IntoIterator<Item = T>) -> Self {
        Val::Array(items.into_iter().map(Into::into).collect())
    }

    /// `null` when `None`.
    pub fn or_null<T: Into<Val<'s>>>(value: Option<T>) -> Self {
        value.map_or(Val::Null, Into::into)
    }
}

impl From<()> for Val<'_> {
    fn from((): ()) -> Self {
        Val::Undefined
    }
}

impl From<bool> for Val<'_> {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}

impl From<i32> for Val<'_> {
    fn from(v: i32) -> Self {
        Val::Int(v)
    }
}

impl From<u32> for Val<'_> {
    fn from(v: u32) -> Self {
        i32::try_from(v).map_or(Val::Number(v.into()), Val::Int)
    }
}

impl From<u16> for Val<'_> {
    fn from(v: u16) -> Self {
        Val::Int(v.into())
    }
}

impl From<u8> for Val<'_> {
    fn from(v: u8) -> Self {
        Val::Int(v.into())
    }
}

impl From<i64> for Val<'_> {
    /// As a JS number (exact up to 2^53).
    fn from(v: i64) -> Self {
        i32::try_from(v).map_or(Val::Number(v as f64), Val::Int)
    }
}

impl From<u64> for Val<'_> {
    fn from(v: u64) -> Self {
        i32::try_from(v).map_or(Val::Number(v as f64), Val::Int)
    }
}

impl From<usize> for Val<'_> {
    fn from(v: usize) -> Self {
        i32::try_from(v).map_or(Val::Number(v as f64), Val::Int)
    }
}

impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Number(v)
    }
}

impl From<&'static str> for Val<'_> {
    fn from(v: &'static str) -> Self {
        Val::Str(v)
    }
}

impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::String(v)
    }
}

impl<'s> From<Local<'s>> for Val<'s> {
    fn from(v: Local<'s>) -> Self {
        Val::Local(v)
    }
}

impl From<JsError> for Val<'_> {
    fn from(v: JsError) -> Self {
        Val::Error(Box::new(v))
    }
}

impl<'s, T: Into<Val<'s>>> From<Option<T>> for Val<'s> {
    /// `undefined` when `None`.
    fn from(v: Option<T>) -> Self {
        v.map_or(Val::Undefined, Into::into)
    }
}

impl<'s, T: Into<Val<'s>>> From<Vec<T>> for Val<'s> {
    fn from(v: Vec<T>) -> Self {
        Val::array(v)
    }
}

/// Which built-in constructor makes an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Error,
    TypeError,
    RangeError,
    SyntaxError,
    ReferenceError,
}

impl ErrorKind {
    /// The global constructor that makes this kind of error.
    pub fn constructor_name(self) -> &'static str {
        match self {
            ErrorKind::Error => "Error",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::RangeError => "RangeError",
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::ReferenceError => "ReferenceError",
        }
    }
}

/// The state of a promise, as `[[PromiseState]]`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PromiseState {
    Pending,
    Fulfilled,
    Rejected,
}

/// What kind of function a value is, by the engine's own record of it (not
/// by its prototype, which user code can swap).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    /// Not a function of the kinds below (or not a function).
    Other,
    Async,
    Generator,
    AsyncGenerator,
}

/// An error to build in JS: `new <kind>(message)` with extra own
/// properties (`code`, `errno`, `syscall`...), set in order.
#[derive(Debug)]
pub struct JsError {
    pub kind: ErrorKind,
    pub message: String,
    pub props: Vec<(&'static str, Prop)>,
}

/// A property value of a [`JsError`].
#[derive(Debug, Clone)]
pub enum Prop {
    Number(f64),
    String(String),
}

impl From<i32> for Prop {
    fn from(v: i32) -> Self {
        Prop::Number(v.into())
    }
}

impl From<f64> for Prop {
    fn from(v: f64) -> Self {
        Prop::Number(v)
    }
}

impl From<u16> for Prop {
    fn from(v: u16) -> Self {
        Prop::Number(v.into())
    }
}

impl From<&str> for Prop {
    fn from(v: &str) -> Self {
        Prop::String(v.to_owned())
    }
}

impl From<String> for Prop {
    fn from(v: String) -> Self {
        Prop::String(v)
    }
}

impl JsError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), props: Vec::new() }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Error, message)
    }

    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TypeError, message)
    }

    pub fn range_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::RangeError, message)
    }

    /// Adds an own property (builder style).
    pub fn with(mut self, key: &'static str, value: impl Into<Prop>) -> Self {
        self.props.push((key, value.into()));
        self
    }
}

/// Why an op failed: an error to build and throw, or a JS exception that is
/// already pending (thrown by JS the op called, or by the engine).
pub enum OpError<'s> {
    Throw(Box<JsError>),
    /// A value to throw as is.
    Value(Local<'s>),
    /// The engine already holds the exception.
    Pending,
}

impl From<JsError> for OpError<'_> {
    fn from(e: JsError) -> Self {
        OpError::Throw(Box::new(e))
    }
}

impl std::fmt::Debug for OpError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpError::Throw(e) => write!(f, "{e:?}"),
            OpError::Value(_) => f.write_str("a thrown JS value"),
            OpError::Pending => f.write_str("a pending JS exception"),
        }
    }
}

/// What every op returns.
pub type OpResult<'s> = Result<Val<'s>, OpError<'s>>;
