//! Native side of `os`: facts read from the kernel (uname, /proc, passwd).

use std::ffi::CStr;

use rquickjs::{function::Opt, Array, Ctx, Function, IntoJs, Object, Value};

use crate::{host, node::errors};

fn c_field(bytes: &[libc::c_char]) -> String {
    // SAFETY: utsname fields are NUL-terminated within their arrays.
    unsafe { CStr::from_ptr(bytes.as_ptr()) }.to_string_lossy().into_owned()
}

/// (sysname, nodename, release, version, machine)
fn uname() -> [String; 5] {
    // SAFETY: uname fills the struct.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    unsafe { libc::uname(&mut u) };
    [c_field(&u.sysname), c_field(&u.nodename), c_field(&u.release), c_field(&u.version), c_field(&u.machine)]
}

fn proc_number(file: &str, field: usize) -> f64 {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|s| s.split_whitespace().nth(field).and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

fn meminfo(key: &str) -> f64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|kb| kb * 1024.0)
        .unwrap_or(0.0)
}

/// Per-CPU [model, speed MHz, user, nice, sys, idle, irq] (times in ms).
fn cpus<'js>(ctx: Ctx<'js>) -> rquickjs::Result<Array<'js>> {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let models: Vec<String> = info
        .lines()
        .filter(|l| l.starts_with("model name"))
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect();
    let speeds: Vec<f64> = info
        .lines()
        .filter(|l| l.starts_with("cpu MHz"))
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().parse::<f64>().unwrap_or(0.0).floor())
        .collect();
    // SAFETY: sysconf has no preconditions.
    let tick_ms = 1000.0 / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let out = Array::new(ctx.clone())?;
    for (i, line) in stat.lines().filter(|l| l.starts_with("cpu") && !l.starts_with("cpu ")).enumerate() {
        let t: Vec<f64> = line.split_whitespace().skip(1).map(|v| v.parse::<f64>().unwrap_or(0.0) * tick_ms).collect();
        let at = |n: usize| t.get(n).copied().unwrap_or(0.0);
        let cpu = Array::new(ctx.clone())?;
        cpu.set(0, models.get(i).cloned().unwrap_or_default())?;
        cpu.set(1, speeds.get(i).copied().unwrap_or(0.0))?;
        for (j, v) in [at(0), at(1), at(2), at(3), at(5)].into_iter().enumerate() {
            cpu.set(j + 2, v)?;
        }
        out.set(i, cpu)?;
    }
    Ok(out)
}

/// An entry of the passwd database.
struct Passwd {
    name: String,
    uid: u32,
    gid: u32,
    shell: String,
    dir: String,
}

/// The passwd entry of `uid`.
fn passwd(uid: u32) -> std::io::Result<Passwd> {
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16384];
    let mut result = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, which outlive the call.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() {
        return Err(std::io::Error::from_raw_os_error(if rc != 0 { rc } else { libc::ENOENT }));
    }
    // SAFETY: on success the fields point into `buf`.
    let field = |p: *const libc::c_char| if p.is_null() { String::new() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() };
    Ok(Passwd { name: field(pwd.pw_name), uid: pwd.pw_uid, gid: pwd.pw_gid, shell: field(pwd.pw_shell), dir: field(pwd.pw_dir) })
}

fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() }
}

/// [username, uid, gid, shell, homedir] for `uid` from the passwd database.
fn user_info<'js>(ctx: Ctx<'js>, uid: Opt<u32>) -> rquickjs::Result<Array<'js>> {
    let entry = passwd(uid.0.unwrap_or_else(current_uid)).map_err(|err| errors::throw_uv(&ctx, &err, "uv_os_get_passwd", None))?;
    let out = Array::new(ctx)?;
    out.set(0, entry.name)?;
    out.set(1, entry.uid)?;
    out.set(2, entry.gid)?;
    out.set(3, entry.shell)?;
    out.set(4, entry.dir)?;
    Ok(out)
}

/// The home directory as libuv finds it ($HOME, else the passwd entry), in
/// Node's checked-call form: on failure `undefined`, with the error's
/// errno, code, message and syscall written into `context`.
fn get_home_directory<'js>(ctx: Ctx<'js>, context: Object<'js>) -> rquickjs::Result<Value<'js>> {
    if let Some(home) = std::env::var_os("HOME").filter(|home| !home.is_empty()) {
        return home.to_string_lossy().into_js(&ctx);
    }
    match passwd(current_uid()) {
        Ok(entry) => entry.dir.into_js(&ctx),
        Err(err) => {
            let errno = err.raw_os_error().unwrap_or(0);
            let (code, message) = errors::uv_name(errno);
            context.set("errno", -errno)?;
            context.set("code", code)?;
            context.set("message", message)?;
            context.set("syscall", "uv_os_homedir")?;
            Ok(Value::new_undefined(ctx))
        }
    }
}

fn mac_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// Every interface address as [name, address, netmask, family, mac,
/// internal, scopeid], from getifaddrs(3).
fn network_interfaces<'js>(ctx: Ctx<'js>) -> rquickjs::Result<Array<'js>> {
    use std::net::{Ipv4Addr, Ipv6Addr};
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs allocates a list we walk read-only and free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(errors::throw_uv(&ctx, &std::io::Error::last_os_error(), "uv_interface_addresses", None));
    }
    let mut macs = std::collections::HashMap::new();
    let mut entries = Vec::new();
    let mut cursor = head;
    while !cursor.is_null() {
        // SAFETY: `cursor` is a node of the list getifaddrs returned.
        let ifa = unsafe { &*cursor };
        cursor = ifa.ifa_next;
        if ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let name = unsafe { CStr::from_ptr(ifa.ifa_name) }.to_string_lossy().into_owned();
        let internal = ifa.ifa_flags & libc::IFF_LOOPBACK as u32 != 0;
        // SAFETY: the address family says which sockaddr type each pointer is.
        unsafe {
            match (*ifa.ifa_addr).sa_family as i32 {
                libc::AF_PACKET => {
                    let ll = &*(ifa.ifa_addr as *const libc::sockaddr_ll);
                    macs.insert(name, mac_string(&ll.sll_addr[..ll.sll_halen as usize]));
                }
                libc::AF_INET => {
                    let addr = &*(ifa.ifa_addr as *const libc::sockaddr_in);
                    let mask = if ifa.ifa_netmask.is_null() { 0 } else { (*(ifa.ifa_netmask as *const libc::sockaddr_in)).sin_addr.s_addr };
                    let address = Ipv4Addr::from(u32::from_be(addr.sin_addr.s_addr)).to_string();
                    let netmask = Ipv4Addr::from(u32::from_be(mask)).to_string();
                    entries.push((name, address, netmask, "IPv4", internal, None));
                }
                libc::AF_INET6 => {
                    let addr = &*(ifa.ifa_addr as *const libc::sockaddr_in6);
                    let mask = if ifa.ifa_netmask.is_null() { [0; 16] } else { (*(ifa.ifa_netmask as *const libc::sockaddr_in6)).sin6_addr.s6_addr };
                    let address = Ipv6Addr::from(addr.sin6_addr.s6_addr).to_string();
                    let netmask = Ipv6Addr::from(mask).to_string();
                    entries.push((name, address, netmask, "IPv6", internal, Some(addr.sin6_scope_id)));
                }
                _ => {}
            }
        }
    }
    // SAFETY: frees the list getifaddrs allocated; nothing points into it now.
    unsafe { libc::freeifaddrs(head) };
    let out = Array::new(ctx.clone())?;
    for (i, (name, address, netmask, family, internal, scopeid)) in entries.into_iter().enumerate() {
        let mac = macs.get(&name).cloned().unwrap_or_else(|| "00:00:00:00:00:00".into());
        let entry = Array::new(ctx.clone())?;
        entry.set(0, name)?;
        entry.set(1, address)?;
        entry.set(2, netmask)?;
        entry.set(3, family)?;
        entry.set(4, mac)?;
        entry.set(5, internal)?;
        entry.set(6, scopeid)?;
        out.set(i, entry)?;
    }
    Ok(out)
}

pub fn init<'js>(ctx: &Ctx<'js>, target: &Object<'js>) -> rquickjs::Result<()> {
    let [sysname, nodename, release, version, machine] = uname();
    target.set("sysname", sysname)?;
    target.set("hostname", nodename)?;
    target.set("release", release)?;
    target.set("version", version)?;
    target.set("machine", machine)?;
    host::set_functions(
        target,
        vec![
            ("loadavg", Function::new(ctx.clone(), || -> Vec<f64> {
                (0..3).map(|i| proc_number("/proc/loadavg", i)).collect()
            })?),
            ("uptime", Function::new(ctx.clone(), || proc_number("/proc/uptime", 0).floor())?),
            ("totalmem", Function::new(ctx.clone(), || meminfo("MemTotal:"))?),
            ("freemem", Function::new(ctx.clone(), || meminfo("MemAvailable:"))?),
            ("cpus", Function::new(ctx.clone(), cpus)?),
            ("userInfo", Function::new(ctx.clone(), user_info)?),
            ("getHomeDirectory", Function::new(ctx.clone(), get_home_directory)?),
            ("networkInterfaces", Function::new(ctx.clone(), network_interfaces)?),
            ("availableParallelism", Function::new(ctx.clone(), || {
                std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1)
            })?),
            ("getPriority", Function::new(ctx.clone(), |ctx: Ctx<'js>, pid: i32| -> rquickjs::Result<i32> {
                // SAFETY: getpriority with PRIO_PROCESS; errno distinguishes -1.
                unsafe {
                    *libc::__errno_location() = 0;
                    let p = libc::getpriority(libc::PRIO_PROCESS, pid as libc::id_t);
                    let err = std::io::Error::last_os_error();
                    if p == -1 && err.raw_os_error() != Some(0) {
                        return Err(errors::throw_uv(&ctx, &err, "uv_os_getpriority", None));
                    }
                    Ok(p)
                }
            })?),
            ("setPriority", Function::new(ctx.clone(), |ctx: Ctx<'js>, pid: i32, priority: i32| -> rquickjs::Result<()> {
                // SAFETY: setpriority with validated arguments.
                if unsafe { libc::setpriority(libc::PRIO_PROCESS, pid as libc::id_t, priority) } != 0 {
                    return Err(errors::throw_uv(&ctx, &std::io::Error::last_os_error(), "uv_os_setpriority", None));
                }
                Ok(())
            })?),
        ],
    )
}
