//! Native side of `os`: facts read from the kernel (uname, /proc, passwd).

use std::ffi::CStr;

use lode_engine::{Args, Binding, OpResult, Scope, Val};

use crate::node::errors;

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
fn cpus<'s>(_: &Scope<'s>, _: &Args<'s>) -> OpResult<'s> {
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
    let cpus = stat.lines().filter(|l| l.starts_with("cpu") && !l.starts_with("cpu ")).enumerate().map(|(i, line)| {
        let t: Vec<f64> = line.split_whitespace().skip(1).map(|v| v.parse::<f64>().unwrap_or(0.0) * tick_ms).collect();
        let at = |n: usize| t.get(n).copied().unwrap_or(0.0);
        let mut cpu = vec![Val::from(models.get(i).cloned().unwrap_or_default()), speeds.get(i).copied().unwrap_or(0.0).into()];
        cpu.extend([at(0), at(1), at(2), at(3), at(5)].map(Val::from));
        Val::Array(cpu)
    });
    Ok(Val::array(cpus))
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
fn user_info<'s>(_: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let uid = args.opt_number(0)?.map_or_else(current_uid, |uid| uid as u32);
    let entry = passwd(uid).map_err(|err| errors::uv_exception(&err, "uv_os_get_passwd", None, None))?;
    Ok(Val::array([entry.name.into(), entry.uid.into(), entry.gid.into(), entry.shell.into(), Val::from(entry.dir)]))
}

/// The home directory as libuv finds it ($HOME, else the passwd entry), in
/// Node's checked-call form: on failure `undefined`, with the error's
/// errno, code, message and syscall written into `context`.
fn get_home_directory<'s>(scope: &Scope<'s>, args: &Args<'s>) -> OpResult<'s> {
    let context = args.object(0)?;
    if let Some(home) = std::env::var_os("HOME").filter(|home| !home.is_empty()) {
        return Ok(home.to_string_lossy().into_owned().into());
    }
    match passwd(current_uid()) {
        Ok(entry) => Ok(entry.dir.into()),
        Err(err) => {
            let errno = err.raw_os_error().unwrap_or(0);
            let (code, message) = errors::uv_name(errno);
            scope.set(&context, "errno", (-errno).into())?;
            scope.set(&context, "code", code.into())?;
            scope.set(&context, "message", message.into())?;
            scope.set(&context, "syscall", "uv_os_homedir".into())?;
            Ok(Val::Undefined)
        }
    }
}

fn mac_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// Every interface address as [name, address, netmask, family, mac,
/// internal, scopeid], from getifaddrs(3).
fn network_interfaces<'s>(_: &Scope<'s>, _: &Args<'s>) -> OpResult<'s> {
    use std::net::{Ipv4Addr, Ipv6Addr};
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs allocates a list we walk read-only and free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(errors::uv_exception(&std::io::Error::last_os_error(), "uv_interface_addresses", None, None).into());
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
    let interfaces = entries.into_iter().map(|(name, address, netmask, family, internal, scopeid)| {
        let mac = macs.get(&name).cloned().unwrap_or_else(|| "00:00:00:00:00:00".into());
        Val::array([name.into(), address.into(), netmask.into(), family.into(), mac.into(), internal.into(), Val::from(scopeid)])
    });
    Ok(Val::array(interfaces))
}

pub fn init(b: &mut Binding<'_, '_>) {
    let [sysname, nodename, release, version, machine] = uname();
    b.value("sysname", sysname.into())
        .value("hostname", nodename.into())
        .value("release", release.into())
        .value("version", version.into())
        .value("machine", machine.into())
        .op("loadavg", |_, _| Ok(Val::array((0..3).map(|i| proc_number("/proc/loadavg", i)))))
        .op("uptime", |_, _| Ok(proc_number("/proc/uptime", 0).floor().into()))
        .op("totalmem", |_, _| Ok(meminfo("MemTotal:").into()))
        .op("freemem", |_, _| Ok(meminfo("MemAvailable:").into()))
        .op("cpus", cpus)
        .op("userInfo", user_info)
        .op("getHomeDirectory", get_home_directory)
        .op("networkInterfaces", network_interfaces)
        .op("availableParallelism", |_, _| Ok(std::thread::available_parallelism().map_or(1, |n| n.get()).into()))
        .op("getPriority", |_, args| {
            let pid = args.i32(0)?;
            // SAFETY: getpriority with PRIO_PROCESS; errno distinguishes -1.
            unsafe {
                *libc::__errno_location() = 0;
                let p = libc::getpriority(libc::PRIO_PROCESS, pid as libc::id_t);
                let err = std::io::Error::last_os_error();
                if p == -1 && err.raw_os_error() != Some(0) {
                    return Err(errors::uv_exception(&err, "uv_os_getpriority", None, None).into());
                }
                Ok(p.into())
            }
        })
        .op("setPriority", |_, args| {
            let (pid, priority) = (args.i32(0)?, args.i32(1)?);
            // SAFETY: setpriority with validated arguments.
            if unsafe { libc::setpriority(libc::PRIO_PROCESS, pid as libc::id_t, priority) } != 0 {
                return Err(errors::uv_exception(&std::io::Error::last_os_error(), "uv_os_setpriority", None, None).into());
            }
            Ok(Val::Undefined)
        });
}
