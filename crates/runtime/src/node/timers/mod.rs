//! Native side of timers: the loop clock, and the two facts the loop needs
//! from the JS timer lists: when the next timer is due and whether timers
//! or immediates hold the process open.

use rquickjs::{Ctx, Function, Object};

use crate::{event_loop::with_state, host};

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![
            // The cached loop time (`uv_now`): timers started in one callback
            // share a start time, as in Node.
            ("now", Function::new(ctx.clone(), || with_state(|s| s.now()))?),
            ("hrnow", Function::new(ctx.clone(), || with_state(|s| s.hrtime_ms()))?),
            ("scheduleTimer", Function::new(ctx.clone(), |due: f64| {
                with_state(|s| s.schedule_timer((due >= 0.0).then_some(due)))
            })?),
            ("toggleTimerRef", Function::new(ctx.clone(), |refed: bool| with_state(|s| s.set_timer_ref(refed)))?),
            ("toggleImmediates", Function::new(ctx.clone(), |queued: bool, refed: bool| {
                with_state(|s| s.set_immediates(queued, refed))
            })?),
        ],
    )
}
