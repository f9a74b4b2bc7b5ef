//! ES modules. The engine asks the host to load each module request (static
//! imports and `import()` alike, through one load hook); both questions
//! that entails, resolving a specifier and loading a module, are answered
//! by Node's rules, implemented in JS (`internal/modules/esm/loader`), which
//! registers its two functions here. That loader is itself loaded on the
//! first import, so programs that never use ES modules do not pay for it.
//!
//! Each module's private value is an object `{ key, meta }`: its key (an
//! absolute `file:` URL or `node:name`), which is the base for its own
//! imports, and the `meta` object the loader gave, whose properties
//! `import.meta` receives. A classic script's private value is its file
//! name (set by `script::evaluate`).

use std::{cell::RefCell, collections::HashMap, ptr};

use mozjs::{
    gc::{Traceable, ValueArray},
    jsapi as sm,
    jsval::{JSVal, ObjectValue, StringValue, UndefinedValue},
    rooted,
};

use super::{
    convert::{new_string, string_text, utf16},
    root::Global,
    script, Local, Scope,
};
use crate::{JsError, OpError};

thread_local! {
    /// (resolve, load) from the JS loader.
    static HOOKS: RefCell<Option<(Global, Global)>> = const { RefCell::new(None) };
    /// Loads the JS loader, which then calls [`set_module_hooks`].
    static LOADER_INIT: RefCell<Option<Global>> = const { RefCell::new(None) };
    /// Every module record by key: the engine asks again for a module it
    /// already has, and must get the same record.
    static MODULES: RefCell<HashMap<String, Box<sm::Heap<*mut sm::JSObject>>>> = RefCell::new(HashMap::new());
    /// `(target, source) => copy source's own enumerable properties`, made
    /// from the intrinsics on first use.
    static COPY_PROPERTIES: RefCell<Option<Global>> = const { RefCell::new(None) };
}

/// Traces the module map; registered with `JS_AddExtraGCRootsTracer`. The
/// boxed `Heap`s are post-barriered, so minor GCs update them too.
pub(crate) unsafe extern "C" fn trace_modules(trc: *mut sm::JSTracer, _data: *mut std::ffi::c_void) {
    let _ = MODULES.try_with(|m| {
        for cell in m.borrow().values() {
            cell.trace(trc);
        }
    });
}

pub(crate) unsafe fn install_hooks(cx: *mut sm::JSContext) {
    let rt = sm::JS_GetRuntime(cx);
    sm::SetModuleLoadHook(rt, Some(load_hook));
    sm::SetModuleMetadataHook(rt, Some(metadata_hook));
}

fn function<'s>(value: &Local<'s>) -> Result<Global, OpError<'s>> {
    if value.is_function() {
        Ok(Global::new(value.get()))
    } else {
        Err(JsError::type_error("a module hook must be a function").into())
    }
}

/// Registers the function that loads the JS loader on the first import.
pub fn set_loader_init<'s>(_scope: &Scope<'s>, init: &Local<'s>) -> Result<(), OpError<'s>> {
    let init = function(init)?;
    LOADER_INIT.with(|i| *i.borrow_mut() = Some(init));
    Ok(())
}

/// Registers the JS loader's `resolve(specifier, base, type)` (returns the
/// module's key: an absolute path, or `node:name`) and `load(key, type)`
/// (returns `{ source, meta }`).
pub fn set_module_hooks<'s>(_scope: &Scope<'s>, resolve: &Local<'s>, load: &Local<'s>) -> Result<(), OpError<'s>> {
    let hooks = (function(resolve)?, function(load)?);
    HOOKS.with(|h| *h.borrow_mut() = Some(hooks));
    Ok(())
}

/// The loader's (resolve, load), loading the loader first if need be.
fn hooks<'s>(scope: &Scope<'s>) -> Result<(Local<'s>, Local<'s>), OpError<'s>> {
    if HOOKS.with(|h| h.borrow().is_none()) {
        if let Some(init) = LOADER_INIT.with(|i| i.borrow_mut().take()) {
            let init = scope.local(&init);
            scope.call(&init, vec![]).map_err(OpError::Value)?;
        }
    }
    let saved = HOOKS.with(|h| h.borrow().clone());
    let (resolve, load) = saved.ok_or_else(|| JsError::error("the ES module loader is not ready"))?;
    Ok((scope.local(&resolve), scope.local(&load)))
}

/// The key of the script or module `private` belongs to ("" if none).
unsafe fn private_key(cx: *mut sm::JSContext, private: JSVal) -> Option<String> {
    rooted!(in(cx) let private = private);
    if private.get().is_string() {
        rooted!(in(cx) let s = private.get().to_string());
        return string_text(cx, s.handle().into());
    }
    if !private.get().is_object() {
        return Some(String::new());
    }
    rooted!(in(cx) let object = private.get().to_object());
    rooted!(in(cx) let mut key = UndefinedValue());
    let name = utf16("key");
    if !sm::JS_GetUCProperty(cx, object.handle().into(), name.as_ptr(), name.len(), key.handle_mut().into()) || !key.get().is_string() {
        return None;
    }
    rooted!(in(cx) let s = key.get().to_string());
    string_text(cx, s.handle().into())
}

/// The module record for `key`: from the map, or loaded through the JS
/// loader and compiled.
fn module_for<'s>(scope: &Scope<'s>, load: &Local<'s>, key: &str, kind: Option<&'static str>) -> Result<*mut sm::JSObject, OpError<'s>> {
    // A JSON import of a file is a different module from a plain one (which
    // the loader refuses).
    let map_key = format!("{key}\0{}", kind.unwrap_or(""));
    if let Some(module) = MODULES.with(|m| m.borrow().get(&map_key).map(|h| h.get())) {
        return Ok(module);
    }
    let kind_value = kind.map_or(crate::Val::Undefined, crate::Val::Str);
    let loaded = scope.call(load, vec![key.to_owned().into(), kind_value]).map_err(OpError::Value)?;
    let source = scope.get(&loaded, "source")?;
    let source = scope.string(&source)?;
    let meta = scope.get(&loaded, "meta")?;
    let cx = scope.cx;
    // SAFETY: every engine value below sits in a rooted temporary; the
    // record goes into the traced module map before anything else runs.
    unsafe {
        let options = script::Options::new(cx, key, 1);
        let mut text = mozjs::rust::transform_str_to_source_text(&source);
        rooted!(in(cx) let module = sm::CompileModule1(cx, options.0, &mut text));
        if module.get().is_null() {
            return Err(OpError::Pending);
        }
        let private = scope.value(crate::Val::object([("key", key.to_owned().into()), ("meta", meta.into())]))?;
        rooted!(in(cx) let private = private.get());
        sm::SetModulePrivate(module.get(), &private.get());
        MODULES.with(|m| m.borrow_mut().insert(map_key, sm::Heap::boxed(module.get())));
        Ok(module.get())
    }
}

/// Resolves and loads one module request for the engine; `false` leaves
/// the failure pending, which the engine turns into the import's error.
unsafe extern "C" fn load_hook(
    cx: *mut sm::JSContext,
    referrer: sm::Handle<*mut sm::JSScript>,
    request: sm::Handle<*mut sm::JSObject>,
    _host_defined: sm::Handle<JSVal>,
    payload: sm::Handle<JSVal>,
    _line: u32,
    _column: sm::ColumnNumberOneOrigin,
) -> bool {
    super::root::with_frame(cx, |frame| {
        let scope = Scope { cx, frame };
        match load_request(&scope, referrer, request, payload) {
            Ok(ok) => ok,
            Err(error) => {
                scope.throw(error);
                false
            }
        }
    })
}

unsafe fn load_request<'s>(
    scope: &Scope<'s>,
    referrer: sm::Handle<*mut sm::JSScript>,
    request: sm::Handle<*mut sm::JSObject>,
    payload: sm::Handle<JSVal>,
) -> Result<bool, OpError<'s>> {
    let cx = scope.cx;
    rooted!(in(cx) let specifier = sm::GetModuleRequestSpecifier(cx, request));
    if specifier.get().is_null() {
        return Err(OpError::Pending);
    }
    let specifier = string_text(cx, specifier.handle().into()).ok_or(OpError::Pending)?;
    let kind = match sm::GetModuleRequestType(cx, request) {
        sm::ModuleType::JSON => Some("json"),
        _ => None,
    };
    let base = if referrer.get().is_null() {
        String::new()
    } else {
        rooted!(in(cx) let mut private = UndefinedValue());
        mozjs::glue::JS_GetScriptPrivate(referrer.get(), private.handle_mut().into());
        private_key(cx, private.get()).ok_or(OpError::Pending)?
    };
    let (resolve, load) = hooks(scope)?;
    let kind_value = || kind.map_or(crate::Val::Undefined, crate::Val::Str);
    let key = scope.call(&resolve, vec![specifier.into(), base.into(), kind_value()]).map_err(OpError::Value)?;
    let key = scope.string(&key)?;
    rooted!(in(cx) let module = module_for(scope, &load, &key, kind)?);
    rooted!(in(cx) let promise = if payload.get().is_object() { payload.get().to_object() } else { ptr::null_mut() });
    let dynamic = !promise.get().is_null() && sm::IsPromiseObject(promise.handle().into());
    if dynamic {
        // As the SpiderMonkey shell does: load the new module's own graph
        // and link it; the engine then evaluates it and settles the import.
        rooted!(in(cx) let host_defined = ObjectValue(module.get()));
        if !sm::LoadRequestedModules(cx, module.handle().into(), host_defined.handle().into(), Some(graph_loaded), Some(graph_failed))
            || sm::JS_IsExceptionPending(cx)
        {
            return Ok(sm::FinishLoadingImportedModuleFailedWithPendingException(cx, payload));
        }
        let no_script = ptr::null_mut::<sm::JSScript>();
        let no_referrer = sm::Handle::from_marked_location(&no_script);
        return Ok(sm::FinishLoadingImportedModule(cx, no_referrer, request, payload, module.handle().into(), false));
    }
    Ok(sm::FinishLoadingImportedModule(cx, referrer, request, payload, module.handle().into(), false))
}

unsafe extern "C" fn graph_loaded(cx: *mut sm::JSContext, host_defined: sm::Handle<JSVal>) -> bool {
    rooted!(in(cx) let module = host_defined.get().to_object());
    sm::ModuleLink(cx, module.handle().into())
}

unsafe extern "C" fn graph_failed(cx: *mut sm::JSContext, _host_defined: sm::Handle<JSVal>, error: sm::Handle<JSVal>) -> bool {
    sm::JS_SetPendingException(cx, error, sm::ExceptionStackBehavior::Capture);
    true
}

/// Fills `import.meta` from the loader's `meta` object, when a module first
/// reads it.
unsafe extern "C" fn metadata_hook(cx: *mut sm::JSContext, module: sm::Handle<*mut sm::JSObject>, meta: sm::Handle<*mut sm::JSObject>) -> bool {
    super::root::with_frame(cx, |frame| {
        let scope = Scope { cx, frame };
        rooted!(in(cx) let mut private = UndefinedValue());
        mozjs::glue::JS_GetModulePrivate(module.get(), private.handle_mut().into());
        if !private.get().is_object() {
            return true;
        }
        let private = scope.root(private.get());
        let Ok(source) = scope.get(&private, "meta") else { return false };
        if !source.is_object() {
            return true;
        }
        let copy = match COPY_PROPERTIES.with(|c| c.borrow().clone()) {
            Some(copy) => scope.local(&copy),
            None => match scope.eval_script(COPY_SOURCE, "lode:import-meta", 1) {
                Ok(copy) => {
                    let saved = scope.global(&copy);
                    COPY_PROPERTIES.with(|c| *c.borrow_mut() = Some(saved));
                    copy
                }
                Err(_) => return false,
            },
        };
        let target = scope.root(ObjectValue(meta.get()));
        match scope.call(&copy, vec![target.into(), source.into()]) {
            Ok(_) => true,
            Err(thrown) => {
                scope.throw(OpError::Value(thrown));
                false
            }
        }
    })
}

const COPY_SOURCE: &str = "(() => { const keys = Object.keys; return function copyMeta(target, source) { for (const key of keys(source)) target[key] = source[key]; }; })()";

/// `import(specifier)` as if written in the module or script `base`: a
/// promise of the module's namespace.
pub fn import<'s>(scope: &Scope<'s>, specifier: &str, base: &str) -> Result<Local<'s>, OpError<'s>> {
    let cx = scope.cx;
    // A one-line classic script named `base` makes the import, so the load
    // hook sees `base` as its referrer's name.
    // SAFETY: the function and its argument sit in rooted temporaries.
    unsafe {
        let importer = scope.eval_script("(specifier) => import(specifier)", base, 1)?;
        rooted!(in(cx) let function = importer.get());
        let text = new_string(cx, specifier);
        if text.is_null() {
            return Err(OpError::Pending);
        }
        rooted!(in(cx) let argv = ValueArray::<1>::new([StringValue(&*text)]));
        rooted!(in(cx) let this = UndefinedValue());
        rooted!(in(cx) let mut promise = UndefinedValue());
        if !sm::Call(cx, this.handle().into(), function.handle().into(), &sm::HandleValueArray::from(&argv), promise.handle_mut().into()) {
            return Err(OpError::Pending);
        }
        Ok(scope.root(promise.get()))
    }
}
