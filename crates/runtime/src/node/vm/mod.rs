//! Native side of `node:vm`: realms (new global contexts in the same
//! engine instance) kept by number, code compiled and run in one of them or
//! in the main context, with an optional time limit and SIGINT break.

use std::{
    cell::RefCell,
    collections::HashMap,
    rc::Rc,
    time::{Duration, Instant},
};

mod sigint_watchdog;

use lode_engine::{Args, Binding, ErrorKind, JsError, OpError, OpResult, Realm, Scope, StopWhen, Val};

thread_local! {
    /// Live realms by id. A run holds its own reference, so a realm made or
    /// freed by the script it runs does not disturb it.
    static REALMS: RefCell<(u32, HashMap<u32, Rc<Realm>>)> = RefCell::new((0, HashMap::new()));
}

/// Runs `source` in realm `id` (0: the main context), for at most
/// `timeout_ms` when that is positive, and only until a SIGINT comes with
/// `break_on_sigint`. Returns [value], or [undefined, reason] when the run
/// was cut short: 'timeout' or 'sigint' (the caller throws Node's error).
fn run<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let id = args.u32(0)?;
    let (source, filename, first_line) = (args.string(1)?, args.string(2)?, args.i32(3)?);
    let (timeout_ms, break_on_sigint) = (args.number(4)?, args.bool(5)?);
    let realm = match id {
        0 => None,
        _ => match REALMS.with(|r| r.borrow().1.get(&id).cloned()) {
            Some(realm) => Some(realm),
            None => return Err(JsError::new(ErrorKind::ReferenceError, "this vm context was freed").into()),
        },
    };
    let eval = || match &realm {
        None => scope.eval_script(&source, &filename, first_line),
        Some(realm) => scope.eval_in_realm(realm, &source, &filename, first_line),
    };
    let stop = StopWhen {
        deadline: (timeout_ms > 0.0).then(|| Instant::now() + Duration::from_secs_f64(timeout_ms / 1000.0)),
        check: break_on_sigint.then_some(sigint_watchdog::has_pending as fn() -> bool),
    };
    if stop.deadline.is_none() && stop.check.is_none() {
        return Ok(Val::array([eval()?]));
    }
    if break_on_sigint {
        sigint_watchdog::start();
    }
    let result = scope.run_interruptible(stop, eval);
    // As Node: a SIGINT during the run interrupts it, even one that came
    // as it finished.
    let sigint = break_on_sigint && sigint_watchdog::stop();
    let timed_out = stop.deadline.is_some_and(|at| Instant::now() >= at) && result.is_err();
    if sigint || timed_out {
        if let Err(OpError::Pending) = result {
            // The interrupt's uncatchable error is not the one to report.
            scope.take_exception();
        }
        return Ok(Val::array([Val::Undefined, if sigint { "sigint" } else { "timeout" }.into()]));
    }
    Ok(Val::array([result?]))
}

pub fn init(b: &mut Binding<'_, '_>) {
    // [id, global object] of a new realm.
    b.op("newContext", |scope, _| {
        let (realm, global) = scope.new_realm()?;
        let id = REALMS.with(|r| {
            let mut r = r.borrow_mut();
            r.0 += 1;
            let id = r.0;
            r.1.insert(id, Rc::new(realm));
            id
        });
        Ok(Val::array([Val::from(id), global.into()]))
    })
    // Lode's hold on the realm goes; it lives on while its objects do.
    .op("freeContext", |_, args| {
        let id = args.u32(0)?;
        REALMS.with(|r| r.borrow_mut().1.remove(&id));
        Ok(Val::Undefined)
    })
    .op("run", run)
    // Node's contextify watchdog calls (its tests drive them directly).
    .op("startSigintWatchdog", |_, _| {
        sigint_watchdog::start();
        Ok(Val::Undefined)
    })
    .op("stopSigintWatchdog", |_, _| Ok(sigint_watchdog::stop().into()))
    .op("watchdogHasPendingSigint", |_, _| Ok(sigint_watchdog::has_pending().into()))
    // Throws the SyntaxError `source` has, if any.
    .op("compile", |scope, args| {
        scope.compile_script(&args.string(0)?, &args.string(1)?, args.i32(2)?)?;
        Ok(Val::Undefined)
    });
}
