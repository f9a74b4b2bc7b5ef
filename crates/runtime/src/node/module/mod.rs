//! Native side of the module loaders: static export detection for
//! CommonJS files imported from ES modules.

mod cjs_lexer;

use lode_engine::{Binding, Val};

pub fn init(b: &mut Binding<'_, '_>) {
    b.op("cjsExports", |scope, args| {
        let found = scope.with_str(&args.get(0), cjs_lexer::analyze)?;
        Ok(Val::object([("names", Val::array(found.names)), ("reexports", Val::array(found.reexports))]))
    });
}
