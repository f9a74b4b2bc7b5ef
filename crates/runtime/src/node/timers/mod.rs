//! Native side of timers: the loop clock, and the two facts the loop needs
//! from the JS timer lists: when the next timer is due and whether timers
//! or immediates hold the process open.

use lode_engine::{Binding, Val};

use crate::event_loop::with_state;

pub fn init(b: &mut Binding<'_, '_>) {
    // The loop time, brought up to date first as Node's `getLibuvNow`
    // does (uv_update_time, then uv_now): a timer set after slow work in a
    // callback counts from when it was set, not from the loop's turn.
    b.op("now", |_, _| {
        Ok(with_state(|s| {
            s.update_now();
            s.now()
        })
        .into())
    })
        .op("hrnow", |_, _| Ok(with_state(|s| s.hrtime_ms()).into()))
        .op("scheduleTimer", |_, args| {
            let due = args.number(0)?;
            with_state(|s| s.schedule_timer((due >= 0.0).then_some(due)));
            Ok(Val::Undefined)
        })
        .op("toggleTimerRef", |_, args| {
            let refed = args.bool(0)?;
            with_state(|s| s.set_timer_ref(refed));
            Ok(Val::Undefined)
        })
        .op("toggleImmediates", |_, args| {
            let (queued, refed) = (args.bool(0)?, args.bool(1)?);
            with_state(|s| s.set_immediates(queued, refed));
            Ok(Val::Undefined)
        });
}
