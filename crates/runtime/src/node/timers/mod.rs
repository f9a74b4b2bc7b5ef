//! Native side of timers: the loop clock, and the two facts the loop needs
//! from the JS timer lists: when the next timer is due and whether timers
//! or immediates hold the process open.

use lode_engine::{Binding, Val};

use crate::event_loop::with_state;

pub fn init(b: &mut Binding<'_, '_>) {
    // The cached loop time (`uv_now`): timers started in one callback
    // share a start time, as in Node.
    b.op("now", |_, _| Ok(with_state(|s| s.now()).into()))
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
