//! ES module hooks. The engine asks the host to resolve a specifier and to
//! load a module; both questions are answered by Node's rules, implemented
//! in JS (`internal/modules/esm/loader`), which registers its two functions
//! here. That loader is itself loaded on the first import, so programs that
//! never use ES modules do not pay for it.

use std::cell::RefCell;

use rquickjs::{
    loader::{ImportAttributes, Loader, Resolver},
    module::Declared,
    qjs, Ctx, Function, Module, Object, Persistent, Value,
};

use super::{Local, OpError, Scope};
use crate::JsError;

thread_local! {
    /// (resolve, load) from the JS loader.
    static HOOKS: RefCell<Option<(Persistent<Function<'static>>, Persistent<Function<'static>>)>> =
        const { RefCell::new(None) };
    /// Loads the JS loader, which then calls [`set_module_hooks`].
    static LOADER_INIT: RefCell<Option<Persistent<Function<'static>>>> = const { RefCell::new(None) };
}

fn function<'s>(value: &Local<'s>) -> Result<Function<'s>, OpError<'s>> {
    value.0.as_function().cloned().ok_or_else(|| JsError::type_error("a module hook must be a function").into())
}

/// Registers the function that loads the JS loader on the first import.
pub fn set_loader_init<'s>(scope: &Scope<'s>, init: &Local<'s>) -> Result<(), OpError<'s>> {
    let init = Persistent::save(&scope.ctx, function(init)?);
    LOADER_INIT.with(|i| *i.borrow_mut() = Some(init));
    Ok(())
}

/// Registers the JS loader's `resolve(specifier, base, type)` (returns the
/// module's key: an absolute path, or `node:name`) and `load(key, type)`
/// (returns `{ source, meta }`).
pub fn set_module_hooks<'s>(scope: &Scope<'s>, resolve: &Local<'s>, load: &Local<'s>) -> Result<(), OpError<'s>> {
    let hooks = (Persistent::save(&scope.ctx, function(resolve)?), Persistent::save(&scope.ctx, function(load)?));
    HOOKS.with(|h| *h.borrow_mut() = Some(hooks));
    Ok(())
}

fn hooks<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<(Function<'js>, Function<'js>)> {
    if HOOKS.with(|h| h.borrow().is_none()) {
        if let Some(init) = LOADER_INIT.with(|i| i.borrow_mut().take()) {
            init.restore(ctx)?.call::<_, ()>(())?;
        }
    }
    let saved = HOOKS.with(|h| h.borrow().clone());
    let (resolve, load) = saved.ok_or_else(|| rquickjs::Exception::throw_internal(ctx, "the ES module loader is not ready"))?;
    Ok((resolve.restore(ctx)?, load.restore(ctx)?))
}

fn attribute_type(attributes: Option<ImportAttributes<'_>>) -> rquickjs::Result<Option<String>> {
    attributes.map(|a| a.get_type()).transpose().map(Option::flatten)
}

/// Resolves through the JS hook.
pub struct NodeResolver;

impl Resolver for NodeResolver {
    fn resolve<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        let (resolve, _) = hooks(ctx)?;
        resolve.call((name, base, attribute_type(attributes)?))
    }
}

/// Loads through the JS hook: the source is compiled as a module and `meta`
/// copied onto `import.meta`.
pub struct NodeLoader;

impl Loader for NodeLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        let (_, load) = hooks(ctx)?;
        let loaded: Object = load.call((name, attribute_type(attributes)?))?;
        let source: String = loaded.get("source")?;
        let module = Module::declare(ctx.clone(), name, source)?;
        if let Some(meta) = loaded.get::<_, Option<Object>>("meta")? {
            let import_meta = module.meta()?;
            for key in meta.keys::<String>() {
                let key = key?;
                import_meta.set(key.as_str(), meta.get::<_, Value>(key.as_str())?)?;
            }
        }
        Ok(module)
    }
}

/// `import(specifier)` as if written in the module or script `base`: a
/// promise of the module's namespace.
pub fn import<'s>(scope: &Scope<'s>, specifier: &str, base: &str) -> Result<Local<'s>, OpError<'s>> {
    let nul = |_| OpError::from(JsError::type_error("a module specifier cannot contain a NUL byte"));
    let specifier = std::ffi::CString::new(specifier).map_err(nul)?;
    let base = std::ffi::CString::new(base).map_err(nul)?;
    // SAFETY: both strings outlive the call; the result is owned and handed
    // to rquickjs.
    unsafe {
        let promise = qjs::JS_LoadModule(scope.raw(), base.as_ptr(), specifier.as_ptr());
        if qjs::JS_IsException(promise) {
            return Err(OpError::Pending);
        }
        Ok(Local(Value::from_raw(scope.ctx.clone(), promise)))
    }
}
