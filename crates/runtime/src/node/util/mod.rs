//! Native helpers for `util.inspect` and `util.types`: engine facts that
//! JavaScript cannot observe (promise state, proxy internals).

use rquickjs::{qjs, Array, Ctx, Function, Object, Value};

use crate::host;

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            ("promiseState", Function::new(ctx.clone(), promise_state)?),
            ("proxyDetails", Function::new(ctx.clone(), proxy_details)?),
        ],
    )
}

/// `[state, result]` with state 0 pending, 1 fulfilled, 2 rejected; or
/// `undefined` for a non-promise.
fn promise_state<'js>(ctx: Ctx<'js>, value: Value<'js>) -> rquickjs::Result<Value<'js>> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: reads the state of a value we hold a reference to; the result
    // value returned by the engine is owned and handed to rquickjs.
    unsafe {
        let state = qjs::JS_PromiseState(raw, value.as_raw());
        if state < 0 {
            return Ok(Value::new_undefined(ctx));
        }
        let out = Array::new(ctx.clone())?;
        out.set(0, state)?;
        if state != qjs::JSPromiseStateEnum_JS_PROMISE_PENDING {
            out.set(1, Value::from_raw(ctx.clone(), qjs::JS_PromiseResult(raw, value.as_raw())))?;
        }
        Ok(out.into_value())
    }
}

/// `[target, handler]` of a proxy, or `undefined`.
fn proxy_details<'js>(ctx: Ctx<'js>, value: Value<'js>) -> rquickjs::Result<Value<'js>> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: inspects a value we hold; returned values are owned.
    unsafe {
        if !qjs::JS_IsProxy(value.as_raw()) {
            return Ok(Value::new_undefined(ctx));
        }
        let out = Array::new(ctx.clone())?;
        out.set(0, Value::from_raw(ctx.clone(), qjs::JS_GetProxyTarget(raw, value.as_raw())))?;
        out.set(1, Value::from_raw(ctx.clone(), qjs::JS_GetProxyHandler(raw, value.as_raw())))?;
        Ok(out.into_value())
    }
}
