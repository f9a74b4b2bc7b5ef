//! Native helpers for `util.inspect` and `util.types`: engine facts that
//! JavaScript cannot observe (promise state, proxy internals, function
//! kinds), and a blocking sleep.

use lode_engine::{Args, Binding, FunctionKind, OpResult, PromiseState, Scope, Val};

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("promiseState", promise_state)
        .op("getProxyDetails", get_proxy_details)
        // What kind of function a value is by the engine's class: 0 other,
        // 1 async, 2 generator, 3 async generator. Tells them apart
        // whatever their prototype.
        .op("functionKind", |scope, args| {
            Ok(match scope.function_kind(&args.get(0)) {
                FunctionKind::Other => 0,
                FunctionKind::Async => 1,
                FunctionKind::Generator => 2,
                FunctionKind::AsyncGenerator => 3,
            }
            .into())
        })
        // An Error object by its internal class, from any realm.
        .op("isError", |scope, args| Ok(scope.is_error(&args.get(0)).into()))
        // internal/util's sleep (validated there): blocks the JS thread on purpose.
        .op("sleep", |_, args| {
            std::thread::sleep(std::time::Duration::from_millis(args.u32(0)?.into()));
            Ok(Val::Undefined)
        });
}

/// `[state, result]` with state 0 pending, 1 fulfilled, 2 rejected; or
/// `undefined` for a non-promise.
fn promise_state<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let Some((state, result)) = scope.promise_state(&args.get(0)) else { return Ok(Val::Undefined) };
    let state = match state {
        PromiseState::Pending => 0,
        PromiseState::Fulfilled => 1,
        PromiseState::Rejected => 2,
    };
    let mut out = vec![Val::Int(state)];
    out.extend(result.map(Val::Local));
    Ok(Val::Array(out))
}

/// Node's `getProxyDetails(value, full = true)`: `[target, handler]` of a
/// proxy (only the target when `full` is false), or `undefined`.
fn get_proxy_details<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let full = args.opt_bool(1)? != Some(false);
    let Some(details) = scope.proxy_details(&args.get(0)) else { return Ok(Val::Undefined) };
    // A revoked proxy has neither: Node gives nulls.
    let (target, handler) = match details {
        Some((target, handler)) => (Val::Local(target), Val::Local(handler)),
        None => (Val::Null, Val::Null),
    };
    Ok(if full { Val::Array(vec![target, handler]) } else { target })
}
