//! Native side of `node:vm`: realms (new global contexts in the same
//! QuickJS runtime) kept by number, code compiled and run in one of them or
//! in the main context, with an optional time limit and SIGINT break.

use std::{
    cell::RefCell,
    collections::HashMap,
    time::{Duration, Instant},
};

mod sigint_watchdog;

use rquickjs::{Array, Ctx, Function, Object, Value};

use crate::host::{self, JsText, Realm};

thread_local! {
    static REALMS: RefCell<(u32, HashMap<u32, Realm>)> = RefCell::new((0, HashMap::new()));
}

/// Runs `source` in realm `id` (0: the main context), for at most
/// `timeout_ms` when that is positive, and only until a SIGINT comes with
/// `break_on_sigint`. Returns [value], or [undefined, reason] when the run
/// was cut short: 'timeout' or 'sigint' (the caller throws Node's error).
fn run<'js>(
    ctx: &Ctx<'js>,
    id: u32,
    source: &str,
    filename: &str,
    first_line: i32,
    timeout_ms: f64,
    break_on_sigint: bool,
) -> rquickjs::Result<Value<'js>> {
    let eval = || {
        if id == 0 {
            return host::eval_script(ctx, source, filename, first_line);
        }
        REALMS.with(|r| match r.borrow().1.get(&id) {
            Some(realm) => host::eval_in_realm(ctx, realm, source, filename, first_line),
            None => Err(rquickjs::Exception::throw_reference(ctx, "this vm context was freed")),
        })
    };
    let stop = host::StopWhen {
        deadline: (timeout_ms > 0.0).then(|| Instant::now() + Duration::from_secs_f64(timeout_ms / 1000.0)),
        check: break_on_sigint.then_some(sigint_watchdog::has_pending as fn() -> bool),
    };
    let out = Array::new(ctx.clone())?;
    if stop.deadline.is_none() && stop.check.is_none() {
        out.set(0, eval()?)?;
        return Ok(out.into_value());
    }
    if break_on_sigint {
        sigint_watchdog::start();
    }
    let result = host::run_interruptible(ctx, stop, eval);
    // As Node: a SIGINT during the run interrupts it, even one that came
    // as it finished.
    let sigint = break_on_sigint && sigint_watchdog::stop();
    let timed_out = stop.deadline.is_some_and(|at| Instant::now() >= at) && result.is_err();
    if sigint || timed_out {
        if result.is_err() {
            // The interrupt's uncatchable error is not the one to report.
            let _ = ctx.catch();
        }
        out.set(1, if sigint { "sigint" } else { "timeout" })?;
        return Ok(out.into_value());
    }
    out.set(0, result?)?;
    Ok(out.into_value())
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            // [id, global object] of a new realm.
            ("newContext", Function::new(ctx.clone(), |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                let (realm, global) = host::new_realm(&ctx)?;
                let id = REALMS.with(|r| {
                    let mut r = r.borrow_mut();
                    r.0 += 1;
                    let id = r.0;
                    r.1.insert(id, realm);
                    id
                });
                let pair = Array::new(ctx)?;
                pair.set(0, id)?;
                pair.set(1, global)?;
                Ok(pair)
            })?),
            ("freeContext", Function::new(ctx.clone(), |id: u32| {
                if let Some(realm) = REALMS.with(|r| r.borrow_mut().1.remove(&id)) {
                    host::free_realm(realm);
                }
            })?),
            (
                "run",
                Function::new(
                    ctx.clone(),
                    |ctx: Ctx<'js>, id: u32, JsText(source): JsText, JsText(filename): JsText, first_line: i32, timeout_ms: f64, break_on_sigint: bool| {
                        run(&ctx, id, &source, &filename, first_line, timeout_ms, break_on_sigint)
                    },
                )?,
            ),
            // Node's contextify watchdog calls (its tests drive them directly).
            ("startSigintWatchdog", Function::new(ctx.clone(), sigint_watchdog::start)?),
            ("stopSigintWatchdog", Function::new(ctx.clone(), sigint_watchdog::stop)?),
            ("watchdogHasPendingSigint", Function::new(ctx.clone(), sigint_watchdog::has_pending)?),
            // Throws the SyntaxError `source` has, if any.
            ("compile", Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(source): JsText, JsText(filename): JsText, first_line: i32| {
                host::compile_script(&ctx, &source, &filename, first_line)
            })?),
        ],
    )
}
