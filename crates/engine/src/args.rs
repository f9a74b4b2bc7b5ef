//! The typed readers of an op's [`Args`], written once over what every
//! engine's `Args` provides (`get`, `name`, `scope`) and `Local`'s checks:
//! each fails with a TypeError naming the op and the argument.

use crate::{Args, JsError, Local, OpError};

impl<'s> Args<'s> {
    /// Argument `i` unless it is `undefined` (or missing).
    fn present(&self, i: usize) -> Option<Local<'s>> {
        Some(self.get(i)).filter(|v| !v.is_undefined())
    }

    /// Argument `i` unless it is `undefined` or `null`.
    fn given(&self, i: usize) -> Option<Local<'s>> {
        self.present(i).filter(|v| !v.is_null())
    }

    fn wrong(&self, i: usize, what: &str) -> OpError<'s> {
        JsError::type_error(format!("{}: argument {} must be {what}", self.name(), i + 1)).into()
    }

    /// A number argument.
    pub fn number(&self, i: usize) -> Result<f64, OpError<'s>> {
        self.present(i).and_then(|v| v.as_number()).ok_or_else(|| self.wrong(i, "a number"))
    }

    /// A number argument, or `None` when it is `undefined` or `null`.
    pub fn opt_number(&self, i: usize) -> Result<Option<f64>, OpError<'s>> {
        self.given(i).map(|_| self.number(i)).transpose()
    }

    /// A number argument as `i32` (truncated, saturating).
    pub fn i32(&self, i: usize) -> Result<i32, OpError<'s>> {
        self.number(i).map(|n| n as i32)
    }

    /// A number argument as `u32` (truncated, saturating).
    pub fn u32(&self, i: usize) -> Result<u32, OpError<'s>> {
        self.number(i).map(|n| n as u32)
    }

    /// A number argument as `i64` (truncated, saturating).
    pub fn i64(&self, i: usize) -> Result<i64, OpError<'s>> {
        self.number(i).map(|n| n as i64)
    }

    /// A number argument as `usize` (truncated, saturating; negative is 0).
    pub fn usize(&self, i: usize) -> Result<usize, OpError<'s>> {
        self.number(i).map(|n| n as usize)
    }

    /// A boolean argument.
    pub fn bool(&self, i: usize) -> Result<bool, OpError<'s>> {
        self.present(i).and_then(|v| v.as_bool()).ok_or_else(|| self.wrong(i, "a boolean"))
    }

    /// A boolean argument, or `None` when it is `undefined` or `null`.
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, OpError<'s>> {
        self.given(i).map(|_| self.bool(i)).transpose()
    }

    /// `String(argument)`, lone surrogates as U+FFFD.
    pub fn string(&self, i: usize) -> Result<String, OpError<'s>> {
        self.scope().string(&self.get(i))
    }

    /// A string argument, or `None` when it is `undefined` or `null`.
    pub fn opt_string(&self, i: usize) -> Result<Option<String>, OpError<'s>> {
        self.given(i).map(|v| self.scope().string(&v)).transpose()
    }

    /// A function argument.
    pub fn function(&self, i: usize) -> Result<Local<'s>, OpError<'s>> {
        self.opt_function(i).ok_or_else(|| self.wrong(i, "a function"))
    }

    /// A function argument, or `None` for anything else.
    pub fn opt_function(&self, i: usize) -> Option<Local<'s>> {
        self.present(i).filter(Local::is_function)
    }

    /// An object argument.
    pub fn object(&self, i: usize) -> Result<Local<'s>, OpError<'s>> {
        self.present(i).filter(Local::is_object).ok_or_else(|| self.wrong(i, "an object"))
    }

    /// Runs `f` over the bytes of a string (UTF-8) or Uint8Array argument.
    pub fn with_bytes<R>(&self, i: usize, f: impl FnOnce(&[u8]) -> R) -> Result<R, OpError<'s>> {
        self.scope().with_bytes(&self.get(i), f)?.ok_or_else(|| self.wrong(i, "a string or a Uint8Array"))
    }

    /// Runs `f` over the writable bytes of a Uint8Array argument.
    pub fn with_bytes_mut<R>(&self, i: usize, f: impl FnOnce(&mut [u8]) -> R) -> Result<R, OpError<'s>> {
        self.scope().with_bytes_mut(&self.get(i), f).ok_or_else(|| self.wrong(i, "a Uint8Array"))
    }

    /// A copy of the bytes of a string (UTF-8) or Uint8Array argument, for
    /// work that leaves the JS thread.
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, OpError<'s>> {
        self.with_bytes(i, <[u8]>::to_vec)
    }
}
