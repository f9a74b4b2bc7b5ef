//! Native side of the module loaders: static export detection for
//! CommonJS files imported from ES modules.

mod cjs_lexer;

use rquickjs::{Ctx, Function, Object};

use crate::host::{self, JsText};

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    host::set_functions(
        target,
        vec![(
            "cjsExports",
            Function::new(ctx.clone(), |ctx: Ctx<'js>, JsText(source): JsText| -> rquickjs::Result<Object<'js>> {
                let found = cjs_lexer::analyze(&source);
                let result = Object::new(ctx)?;
                result.set("names", found.names)?;
                result.set("reexports", found.reexports)?;
                Ok(result)
            })?,
        )],
    )
}
