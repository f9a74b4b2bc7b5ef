//! Native helpers for `util.inspect` and `util.types`: engine facts that
//! JavaScript cannot observe (promise state, proxy internals), and a
//! blocking sleep.

use rquickjs::{function::Opt, qjs, Array, Ctx, Function, Object, Value};

use crate::host;

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            ("promiseState", Function::new(ctx.clone(), promise_state)?),
            ("getProxyDetails", Function::new(ctx.clone(), get_proxy_details)?),
            // An Error object by its internal class, from any realm.
            // SAFETY: reads the class id of a value we hold.
            // The engine's class of an object (0 for primitives): tells
            // async and generator functions apart whatever their prototype.
            // SAFETY: reads the class id of a value we hold.
            ("classId", Function::new(ctx.clone(), |value: Value<'js>| unsafe { qjs::JS_GetClassID(value.as_raw()) })?),
            ("isError", Function::new(ctx.clone(), |value: Value<'js>| unsafe { qjs::JS_IsError(value.as_raw()) })?),
            // internal/util's sleep (validated there): blocks the JS thread on purpose.
            ("sleep", Function::new(ctx.clone(), |msec: u32| std::thread::sleep(std::time::Duration::from_millis(msec.into())))?),
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

/// Node's `getProxyDetails(value, full = true)`: `[target, handler]` of a
/// proxy (only the target when `full` is false), or `undefined`.
fn get_proxy_details<'js>(ctx: Ctx<'js>, value: Value<'js>, full: Opt<bool>) -> rquickjs::Result<Value<'js>> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: inspects a value we hold; returned values are owned.
    unsafe {
        if !qjs::JS_IsProxy(value.as_raw()) {
            return Ok(Value::new_undefined(ctx));
        }
        let target = qjs::JS_GetProxyTarget(raw, value.as_raw());
        // A revoked proxy has neither: the engine throws, Node gives nulls.
        let (target, handler) = if qjs::JS_IsException(target) {
            drop(ctx.catch());
            (Value::new_null(ctx.clone()), Value::new_null(ctx.clone()))
        } else {
            (Value::from_raw(ctx.clone(), target), Value::from_raw(ctx.clone(), qjs::JS_GetProxyHandler(raw, value.as_raw())))
        };
        if full.0 == Some(false) {
            return Ok(target);
        }
        let out = Array::new(ctx.clone())?;
        out.set(0, target)?;
        out.set(1, handler)?;
        Ok(out.into_value())
    }
}
