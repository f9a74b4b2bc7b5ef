//! `fs.watch` on inotify, as libuv does it on Linux: one inotify instance
//! per watcher, read by a task on tokio's reactor, each event delivered to
//! the watcher's JS callback through a loop handle as `(eventType,
//! filename)`. Recursive watchers add a watch for every directory in the
//! tree, and for directories created later.

use std::{
    cell::RefCell,
    collections::HashMap,
    ffi::OsString,
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use inotify::{EventMask, Inotify, StreamExt, WatchDescriptor, WatchMask, Watches};
use lode_engine::{Local, OpError, Scope, Val};

use super::ops::{Context, FsResult};
use crate::event_loop::{self, Deliver, LoopEvent};

thread_local! {
    /// The reading task of each open watcher, by handle id.
    static WATCHERS: RefCell<HashMap<usize, tokio::task::JoinHandle<()>>> = RefCell::new(HashMap::new());
}

/// One change, as Node reports it: `'rename'` for anything that adds,
/// removes or moves a name, `'change'` for content and attributes.
struct WatchEvent {
    rename: bool,
    filename: Option<Vec<u8>>,
}

impl Deliver for WatchEvent {
    fn deliver<'s>(self: Box<Self>, _: &Scope<'s>) -> Result<Vec<Val<'s>>, OpError<'s>> {
        let kind = if self.rename { "rename" } else { "change" };
        let filename = self.filename.map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        Ok(vec![kind.into(), Val::or_null(filename)])
    }
}

fn mask() -> WatchMask {
    WatchMask::ATTRIB
        | WatchMask::CREATE
        | WatchMask::MODIFY
        | WatchMask::DELETE
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
}

/// Adds watches for `dir` and every directory below it, recording each
/// one's path relative to the watched root.
fn watch_tree(watches: &mut Watches, root: &Path, dir: &Path, dirs: &mut HashMap<WatchDescriptor, PathBuf>) {
    let Ok(wd) = watches.add(dir, mask()) else { return };
    dirs.insert(wd, dir.strip_prefix(root).unwrap_or(Path::new("")).to_path_buf());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            watch_tree(watches, root, &entry.path(), dirs);
        }
    }
}

/// Starts watching `path`; `callback(eventType, filename)` runs for each
/// change until [`unwatch`].
pub fn watch<'s>(scope: &Scope<'s>, path: PathBuf, recursive: bool, callback: &Local<'s>) -> FsResult<usize> {
    let inotify = Inotify::init().at("watch", &path)?;
    let mut watches = inotify.watches();
    let meta = std::fs::metadata(&path).at("watch", &path)?;
    let mut dirs = HashMap::new();
    if recursive && meta.is_dir() {
        watches.add(&path, mask()).at("watch", &path)?;
        watch_tree(&mut watches, &path, &path, &mut dirs);
    } else {
        let wd = watches.add(&path, mask()).at("watch", &path)?;
        dirs.insert(wd, PathBuf::new());
    }
    // A watched file reports changes under its own name.
    let own_name = (!meta.is_dir()).then(|| path.file_name().map(|n| n.as_bytes().to_vec())).flatten();
    event_loop::with_state(|state| {
        let id = state.open_handle(scope, callback);
        let sender = state.sender();
        let task = state.tokio.spawn(async move {
            let Ok(mut stream) = inotify.into_event_stream(vec![0u8; 16 * 1024]) else { return };
            while let Some(Ok(event)) = stream.next().await {
                if event.mask.contains(EventMask::IGNORED) {
                    continue;
                }
                let relative = dirs.get(&event.wd).cloned().unwrap_or_default();
                let name: Option<OsString> = event.name.clone();
                if recursive && event.mask.contains(EventMask::ISDIR | EventMask::CREATE) {
                    if let Some(name) = &name {
                        let mut watches = stream.watches();
                        watch_tree(&mut watches, &path, &path.join(&relative).join(name), &mut dirs);
                    }
                }
                let filename = match name {
                    Some(name) => Some(relative.join(name).as_os_str().as_bytes().to_vec()),
                    None if relative.as_os_str().is_empty() => own_name.clone(),
                    None => Some(relative.as_os_str().as_bytes().to_vec()),
                };
                let rename = !(event.mask - (EventMask::ATTRIB | EventMask::MODIFY | EventMask::ISDIR)).is_empty();
                let delivered = LoopEvent::HandleEvent { id, event: Box::new(WatchEvent { rename, filename }) };
                if sender.send(delivered).is_err() {
                    break;
                }
            }
        });
        WATCHERS.with(|w| w.borrow_mut().insert(id, task));
        Ok(id)
    })
}

/// Stops a watcher: its task ends (closing the inotify descriptor) and no
/// more events reach JS.
pub fn unwatch(id: usize) {
    if let Some(task) = WATCHERS.with(|w| w.borrow_mut().remove(&id)) {
        task.abort();
    }
    event_loop::with_state(|state| state.close_handle(id));
}

/// Whether the watcher holds the process open.
pub fn set_ref(id: usize, refed: bool) {
    event_loop::with_state(|state| state.set_handle_ref(id, refed));
}
