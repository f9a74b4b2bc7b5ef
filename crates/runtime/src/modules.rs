//! ES module hooks. QuickJS asks the host to resolve a specifier and to load
//! a module; both questions are answered by Node's rules, implemented in JS
//! (`internal/modules/esm/loader`), which registers its two functions here.
//! That loader is itself loaded on the first import, so programs that never
//! use ES modules do not pay for it.

use std::cell::RefCell;

use rquickjs::{
    loader::{ImportAttributes, Loader, Resolver},
    module::Declared,
    qjs, Ctx, Function, Module, Object, Persistent, Promise, Value,
};

thread_local! {
    /// (resolve, load) from the JS loader.
    static HOOKS: RefCell<Option<(Persistent<Function<'static>>, Persistent<Function<'static>>)>> =
        const { RefCell::new(None) };
    /// Loads the JS loader, which then calls [`set_hooks`].
    static LOADER_INIT: RefCell<Option<Persistent<Function<'static>>>> = const { RefCell::new(None) };
}

pub fn set_loader_init<'js>(ctx: &Ctx<'js>, init: Function<'js>) {
    let init = Persistent::save(ctx, init);
    LOADER_INIT.with(|i| *i.borrow_mut() = Some(init));
}

pub fn set_hooks<'js>(ctx: &Ctx<'js>, resolve: Function<'js>, load: Function<'js>) {
    let hooks = (Persistent::save(ctx, resolve), Persistent::save(ctx, load));
    HOOKS.with(|h| *h.borrow_mut() = Some(hooks));
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

/// Resolves through the JS hook: `resolve(specifier, base, type)` returns the
/// module's key (an absolute path, or `node:name`).
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

/// Loads through the JS hook: `load(key, type)` returns `{ source, meta }`;
/// the source is compiled as a module and `meta` copied onto `import.meta`.
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

/// `import(specifier)` as if written in the module or script `base`.
pub fn import<'js>(ctx: &Ctx<'js>, specifier: &str, base: &str) -> rquickjs::Result<Promise<'js>> {
    let specifier = std::ffi::CString::new(specifier)?;
    let base = std::ffi::CString::new(base)?;
    // SAFETY: both strings outlive the call; the result is owned and handed
    // to rquickjs.
    unsafe {
        let promise = qjs::JS_LoadModule(ctx.as_raw().as_ptr(), base.as_ptr(), specifier.as_ptr());
        if qjs::JS_IsException(promise) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), promise).into_promise().expect("JS_LoadModule returns a promise"))
    }
}
