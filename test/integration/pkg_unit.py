#!/usr/bin/python3
"""debian/hapc.service run by hand, the way systemd runs it, against the
real cfgc and cfgrun (there is no running systemd here to start it).

The unit's own Exec lines are read and expanded as systemd does
($VAR split into words, ${VAR} one word, $MAINPID), with the variables
/etc/default/hapc sets; each list of commands stops at the first that
fails, like systemd. Checked:
  - samples/hapc.cfg (the package's /etc/hapc/hapc.cfg) and its commented
    example compile without warnings;
  - the unit's defaults and /etc/default/hapc name the same variables;
  - ExecStartPre compiles the configuration (two files in CONFIG) to PLAN,
    and refuses a broken one with a located error;
  - ExecStart runs cfgrun on PLAN and it reports READY=1 with its MAINPID
    on NOTIFY_SOCKET (Type=notify);
  - ExecReload with a changed configuration: traffic goes to the new
    server, RELOADING=1 then READY=1 are notified;
  - ExecReload with a broken configuration: exits non-zero at the compile,
    sends no signal, leaves PLAN as it was, and the running plan keeps
    serving (a SIGHUP sent anyway maps the same good plan again);
  - the stop signal (SIGTERM) ends cfgrun with status 0 after STOPPING=1;
  - the socket-activated variant, debian/hapc.hapc-activated.service and
    .socket with samples/hapc-activated.cfg: the service differs from
    hapc.service only in its files and directory, and needs its socket;
    the socket passed as systemd does (descriptor 3, LISTEN_PID,
    LISTEN_FDS) serves the sample's `bind fd@3`, across a reload, and a
    client that connects while cfgrun is stopped is served after the
    restart;
  - with the unit's credentials applied by setpriv (an unprivileged user,
    CAP_NET_BIND_SERVICE ambient, NoNewPrivileges; as root only): ports
    below 1024 open at start and at a reload, and are refused without
    the capability.
"""
import atexit
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T

UNIT = os.path.join(T.TOP_SRCDIR, "debian", "hapc.service")
DEFAULTS = os.path.join(T.TOP_SRCDIR, "debian", "hapc.default")
if not os.path.exists(UNIT):
    T.skip("no debian/hapc.service in %s" % T.TOP_SRCDIR)


def read_unit(path):
    """{section: [(key, value)]} of a unit file (comments, blanks and
    line continuations handled as systemd does for these files)."""
    sections, cur = {}, None
    with open(path) as f:
        text = re.sub(r"\\\n", " ", f.read())
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            cur = sections.setdefault(line.strip("[]"), [])
            continue
        k, _, v = line.partition("=")
        cur.append((k.strip(), v.strip()))
    return sections


service = read_unit(UNIT)["Service"]


def values(key):
    return [v for k, v in service if k == key]


def one(key):
    v = values(key)
    return v[-1] if v else None


# ---- the unit's settings that the rest relies on ---------------------------

T.check(one("Type") == "notify", "Type=notify (cfgrun speaks sd_notify)")
T.check(one("EnvironmentFile") == "-/etc/default/hapc",
        "EnvironmentFile=-/etc/default/hapc (optional)")
unit_env = {}
for v in values("Environment"):
    for word in shlex.split(v):
        k, _, val = word.partition("=")
        unit_env[k] = val
T.check(set(unit_env) == {"CONFIG", "PLAN", "CFGC_OPTS"},
        "Environment= defaults CONFIG, PLAN, CFGC_OPTS (%s)" % sorted(unit_env))
T.check(unit_env.get("CONFIG") == "/etc/hapc/hapc.cfg"
        and unit_env.get("PLAN", "").startswith("/run/hapc/"),
        "defaults: /etc/hapc/hapc.cfg compiled under /run/hapc")
T.check(one("RuntimeDirectory") == "hapc", "RuntimeDirectory=hapc holds the plan")
# /etc/default/hapc documents the same variables with the same defaults
dflt = {}
with open(DEFAULTS) as f:
    for line in f:
        m = re.match(r"#?([A-Z_]+)=(.*)$", line.strip())
        if m:
            dflt[m.group(1)] = shlex.split(m.group(2))[0] if m.group(2) else ""
T.check(dflt == unit_env, "/etc/default/hapc shows the unit's defaults (%r)" % dflt)
T.check(one("User") == "hapc" and one("Group") == "hapc", "runs as hapc:hapc")
T.check(one("AmbientCapabilities") == "CAP_NET_BIND_SERVICE"
        and one("CapabilityBoundingSet") == "CAP_NET_BIND_SERVICE",
        "only CAP_NET_BIND_SERVICE, kept across reloads")
T.check(one("NoNewPrivileges") == "yes" and one("ProtectSystem") == "strict",
        "NoNewPrivileges, ProtectSystem=strict")
reload_cmds = values("ExecReload")
T.check(len(reload_cmds) == 2 and "cfgc" in reload_cmds[0]
        and "-HUP $MAINPID" in reload_cmds[1],
        "ExecReload: compile first, then SIGHUP ($MAINPID)")
T.check(all(c[:1] not in "-:+!@" for c in reload_cmds + values("ExecStartPre")),
        "no ExecReload/ExecStartPre failure is ignored ('-' prefix)")

# ---- the sample configuration (/etc/hapc/hapc.cfg) ----------------------

SAMPLE = os.path.join(T.TOP_SRCDIR, "samples", "hapc.cfg")
r = subprocess.run([T.CFGC, "-c", "-Werror", SAMPLE], capture_output=True, text=True,
                   timeout=T.TIMEOUT)
T.check(r.returncode == 0, "the sample configuration compiles cleanly (%s)" % r.stderr.strip())
with open(SAMPLE) as f:
    sample = f.read()
T.check(not re.search(r"^\s*(user|group|chroot|daemon)\b", sample, re.M),
        "the sample leaves user/group/chroot/daemon to the unit")
# its commented example, uncommented, compiles too
example = re.sub(r"^#(frontend|backend|    )", r"\1", sample, flags=re.M)
T.check(example != sample, "the sample has a commented example")
with open(T.tmp("example.cfg"), "w") as f:
    f.write(example)
r = subprocess.run([T.CFGC, "-c", "-Werror", T.tmp("example.cfg")], capture_output=True,
                   text=True, timeout=T.TIMEOUT)
T.check(r.returncode == 0, "the sample's example, uncommented, compiles (%s)" % r.stderr.strip())

# ---- running the Exec lines ------------------------------------------------

PROGRAMS = {"/usr/bin/cfgc": T.CFGC, "/usr/sbin/cfgrun": T.CFGRUN,
            "/bin/kill": "/bin/kill" if os.access("/bin/kill", os.X_OK)
            else shutil.which("kill")}


def expand(line, env):
    """argv of one Exec line: systemd's rules for $VAR (split on blanks,
    nothing when empty) and ${VAR} (one word); installed paths mapped to
    the programs just built."""
    argv = []
    for word in shlex.split(line):
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if m:
            argv += env.get(m.group(1), "").split()
            continue
        argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                           lambda m: env.get(m.group(1), ""), word))
    T.check(argv[0] in PROGRAMS, "Exec line runs an installed program: %s" % argv[0])
    return [PROGRAMS.get(argv[0], argv[0])] + argv[1:]


# Put before each command to run it with the unit's credentials (setpriv);
# empty: as this test's user.
WRAP = []


def run_list(key, env):
    """Run the unit's `key` commands in order, stopping at the first that
    fails (as systemd does). Returns (status, stderr, commands run)."""
    ran = 0
    for line in values(key):
        r = subprocess.run(WRAP + expand(line, env), capture_output=True, text=True,
                           timeout=T.TIMEOUT)
        ran += 1
        if r.returncode != 0:
            return r.returncode, r.stderr, ran
    return 0, "", ran


fe, p1, p2 = T.free_ports(3)
s1 = T.Server("one", ("127.0.0.1", p1))
s2 = T.Server("two", ("127.0.0.1", p2))
os.mkdir(T.tmp("run"))
main_cfg, site_cfg = T.tmp("hapc.cfg"), T.tmp("site.cfg")
plan = T.tmp("run/hapc.plan")
# as /etc/default/hapc would set them (two configuration files)
env = {"CONFIG": "%s %s" % (main_cfg, site_cfg), "PLAN": plan, "CFGC_OPTS": "-Werror"}
with open(main_cfg, "w") as f:
    f.write("global\n    maxconn 100\n\ndefaults\n    mode tcp\n"
            "    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\n")


def site(port, broken=False):
    with open(site_cfg, "w") as f:
        f.write("listen web\n    bind 127.0.0.1:%d\n%s    server app 127.0.0.1:%d\n"
                % (fe, "    balanse roundrobin\n" if broken else "", port))


def plan_bytes():
    with open(plan, "rb") as f:
        return f.read()


site(p1, broken=True)
rc, err, _ = run_list("ExecStartPre", env)
T.check(rc == 1 and re.search(r"site\.cfg:3:\d+: error", err) is not None,
        "ExecStartPre refuses a broken configuration, located (%d: %s)" % (rc, err.strip()[:200]))
T.check(not os.path.exists(plan), "no plan written from it")

site(p1)
rc, err, _ = run_list("ExecStartPre", env)
T.check(rc == 0 and os.path.exists(plan), "ExecStartPre compiles both files to PLAN (%s)" % err.strip())

def notify_socket(path):
    """The socket systemd listens on for sd_notify (anyone may send)."""
    global notify, NOTIFY
    notify, NOTIFY = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM), path
    notify.bind(path)
    os.chmod(path, 0o666)
    notify.settimeout(T.TIMEOUT)


notify_socket(T.tmp("notify.sock"))


def notified():
    try:
        return notify.recv(4096).decode().splitlines()
    except socket.timeout:
        return []


def start_service(fd3=None):
    """ExecStart as systemd runs it: NOTIFY_SOCKET set and, with socket
    activation, the socket `fd3` as descriptor 3 (moved there in the child
    only, so nothing of this process is disturbed) with LISTEN_PID (the
    service's own pid: a shell that execs it) and LISTEN_FDS=1. Returns
    the process; its MAINPID goes to env."""
    errf = open(T.tmp("cfgrun.err"), "a")
    argv = expand(one("ExecStart"), env)
    if fd3 is not None:
        argv = ["/bin/sh", "-c", 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"', "sh"] + argv
    proc = subprocess.Popen(WRAP + argv, stdin=subprocess.DEVNULL,
                            stdout=errf, stderr=errf,
                            env=dict(os.environ, NOTIFY_SOCKET=NOTIFY),
                            pass_fds=(3,) if fd3 is not None else (),
                            preexec_fn=(lambda: os.dup2(fd3, 3)) if fd3 is not None
                            else None)
    T._children.append(proc)
    env["MAINPID"] = str(proc.pid)
    return proc


def stop_service(proc):
    """KillSignal= (SIGTERM by default); returns the exit status."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=T.TIMEOUT)
    except subprocess.TimeoutExpired:
        return None


proc = start_service()
m = notified()
T.check("READY=1" in m and "MAINPID=%d" % proc.pid in m, "ExecStart: READY=1 with MAINPID (%r)" % m)
T.check(T.server_names(("127.0.0.1", fe), 2) == ["one", "one"], "the compiled plan serves")

site(p2)
rc, err, ran = run_list("ExecReload", env)
T.check(rc == 0 and ran == 2, "ExecReload with a good configuration succeeds (%d: %s)" % (rc, err))
m1, m2 = notified(), notified()
T.check(m1[:1] == ["RELOADING=1"] and "READY=1" in m2,
        "RELOADING=1 then READY=1 around the reload (%r %r)" % (m1, m2))
T.check(T.wait_until(lambda: T.server_names(("127.0.0.1", fe), 1) == ["two"]),
        "after the reload the new plan serves")
good = plan_bytes()

site(p1, broken=True)
rc, err, ran = run_list("ExecReload", env)
T.check(rc == 1 and ran == 1, "ExecReload with a broken configuration fails at the compile, "
        "no signal sent (status %d, %d command(s) run)" % (rc, ran))
T.check("site.cfg:3:" in err, "and says where (%s)" % err.strip()[:200])
T.check(plan_bytes() == good, "PLAN is left as it was")
T.check(proc.poll() is None and T.server_names(("127.0.0.1", fe), 2) == ["two", "two"],
        "the running plan keeps serving")
proc.send_signal(signal.SIGHUP)
m1, m2 = notified(), notified()
T.check(m1[:1] == ["RELOADING=1"] and "READY=1" in m2,
        "a SIGHUP anyway reloads fine (%r %r)" % (m1, m2))
T.check(T.server_names(("127.0.0.1", fe), 2) == ["two", "two"],
        "still the last good plan after that SIGHUP")

rc = stop_service(proc)
T.check("STOPPING=1" in notified(), "STOPPING=1 on stop")
T.check(rc == 0, "SIGTERM: cfgrun exits 0, a clean stop for systemd (%r)" % rc)

# ---- the socket-activated variant: hapc-activated.service and .socket ----
# systemd holds the listening sockets and hands them over as fd@3, fd@4...
# in the order of the ListenStream lines; here this process plays systemd
# with the first one, moved to a free loopback port.

sock_unit = read_unit(os.path.join(T.TOP_SRCDIR, "debian", "hapc.hapc-activated.socket"))
listens = [v for k, v in sock_unit["Socket"] if k == "ListenStream"]
T.check(listens == ["8080"], "hapc-activated.socket: one socket, port 8080 (%r)" % listens)
main_service = service
act_unit = read_unit(os.path.join(T.TOP_SRCDIR, "debian", "hapc.hapc-activated.service"))
service = act_unit["Service"]
T.check(("Requires", "hapc-activated.socket") in act_unit["Unit"] and
        any(k == "After" and "hapc-activated.socket" in v for k, v in act_unit["Unit"]),
        "hapc-activated.service requires its socket and starts after it")
OWN = ("Environment", "EnvironmentFile", "RuntimeDirectory")
T.check([kv for kv in service if kv[0] not in OWN] ==
        [kv for kv in main_service if kv[0] not in OWN],
        "hapc-activated.service runs, reloads, stops and is confined as hapc.service")
act_env = dict(w.partition("=")[::2] for v in values("Environment") for w in shlex.split(v))
T.check(act_env.get("CONFIG") == "/etc/hapc/hapc-activated.cfg" and
        act_env.get("PLAN", "").startswith("/run/hapc-activated/") and
        one("RuntimeDirectory") == "hapc-activated" and
        one("EnvironmentFile") == "-/etc/default/hapc-activated",
        "its own configuration, plan directory and settings file (%r)" % act_env)
ASAMPLE = os.path.join(T.TOP_SRCDIR, "samples", "hapc-activated.cfg")
with open(ASAMPLE) as f:
    asample = f.read()
T.check("stats socket /run/hapc-activated/admin.sock" in asample and
        re.search(r"^\s+bind fd@3$", asample, re.M),
        "the sample binds fd@3 and keeps its stats socket in the service's directory")
# its example, uncommented and used, compiles too
aexample = re.sub(r"^#(backend|    )", r"\1", asample, flags=re.M)
aexample = aexample.replace("    # default_backend app", "    default_backend app")
aexample = re.sub(r"^    http-request return .*\n", "", aexample, flags=re.M)
with open(T.tmp("aexample.cfg"), "w") as f:
    f.write(aexample)
for path, what in ((ASAMPLE, "the sample"), (T.tmp("aexample.cfg"), "its example, used")):
    r = subprocess.run([T.CFGC, "-c", "-Werror", path], capture_output=True, text=True,
                       timeout=T.TIMEOUT)
    T.check(r.returncode == 0, "hapc-activated.cfg: %s compiles cleanly (%s)"
            % (what, r.stderr.strip()))

held = socket.socket()
held.bind(("127.0.0.1", 0))
held.listen(64)
afe = held.getsockname()[1]
acfg = T.tmp("hapc-activated.cfg")
env = {"CONFIG": acfg, "PLAN": T.tmp("run/activated.plan"), "CFGC_OPTS": "-Werror"}
admin = T.tmp("activated-admin.sock")


def activated_cfg(text):
    """The sample, its stats socket moved here, answering `text`."""
    with open(acfg, "w") as f:
        f.write(asample.replace("/run/hapc-activated/admin.sock", admin)
                .replace("edit /etc/hapc/hapc-activated.cfg", text))


def answer(c=None):
    """The body of a GET on the activated frontend (None: no answer)."""
    own = c is None
    c = c or socket.create_connection(("127.0.0.1", afe), timeout=T.TIMEOUT)
    try:
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = T.recv_all(c)
    except OSError:
        return None
    finally:
        if own:
            c.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return body.decode() if head.startswith(b"HTTP/1.1 200") else None


activated_cfg("first")
rc, err, _ = run_list("ExecStartPre", env)
T.check(rc == 0, "activated: ExecStartPre compiles the sample (%s)" % err.strip())
proc = start_service(held.fileno())
T.check("READY=1" in notified(), "activated: READY=1")
T.check(answer() == "hapc-activated: first",
        "activated: the socket systemd holds serves the sample's fd@3")
T.check(T.stats_cmd(admin, "show env LISTEN_FDS") == "Variable not found\n\n",
        "activated: cfgrun took LISTEN_FDS out of its environment")
activated_cfg("second")
rc, err, ran = run_list("ExecReload", env)
T.check(rc == 0 and ran == 2, "activated: ExecReload succeeds (%d: %s)" % (rc, err))
T.check(T.wait_until(lambda: answer() == "hapc-activated: second"),
        "activated: after the reload fd@3 serves the new plan")
m1, m2 = notified(), notified()
T.check(m1[:1] == ["RELOADING=1"] and "READY=1" in m2, "activated: reload notified")
T.check(stop_service(proc) == 0 and "STOPPING=1" in notified(), "activated: stops with status 0")
# cfgrun is gone but the socket is still held: a client connects, waits in
# the backlog, and is served once the service is started again
waiting = socket.create_connection(("127.0.0.1", afe), timeout=T.TIMEOUT)
T.check(run_list("ExecStartPre", env)[0] == 0, "activated: compiles again")
proc = start_service(held.fileno())
T.check("READY=1" in notified(), "activated: READY=1 after the restart")
got = answer(waiting)
T.check(got == "hapc-activated: second",
        "a client that connected while cfgrun was stopped is served after the restart (%r)" % got)
waiting.close()
T.check(stop_service(proc) == 0, "activated: final stop, status 0")
held.close()
service = main_service

# ---- the unit's credentials: an unprivileged user and its capabilities ------
# setpriv applies User=/Group= (as `nobody`: the package's user `hapc` does
# not exist here), AmbientCapabilities=, CapabilityBoundingSet= and
# NoNewPrivileges= to every command, as systemd does. cfgrun then binds
# ports below 1024 at start and again at a reload, never being root; the
# same start without the ambient capability is refused.


def low_ports(n):
    """n free loopback ports below 1024 (this test runs as root)."""
    out = []
    for port in range(1023, 600, -1):
        with socket.socket() as t:
            try:
                t.bind(("127.0.0.1", port))
            except OSError:
                continue
        out.append(port)
        if len(out) == n:
            return out
    return None


def caps(key):
    return ",".join("+" + c.lower().replace("cap_", "") for c in one(key).split())


setpriv = shutil.which("setpriv")
if os.geteuid() != 0 or not setpriv:
    T.log("note: not root or no setpriv: the unit's credentials are not exercised")
else:
    pdir = tempfile.mkdtemp(prefix="hapc-unit-")
    atexit.register(shutil.rmtree, pdir, True)
    os.chmod(pdir, 0o755)
    os.chown(pdir, pwd.getpwnam("nobody").pw_uid, -1)   # RuntimeDirectory= owner
    as_user = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    WRAP = as_user + ["--inh-caps=" + caps("AmbientCapabilities"),
                      "--ambient-caps=" + caps("AmbientCapabilities"),
                      "--bounding-set=-all," + caps("CapabilityBoundingSet")] + \
        (["--no-new-privs"] if one("NoNewPrivileges") == "yes" else [])
    if subprocess.run(as_user + [T.CFGRUN, "--version"], capture_output=True).returncode != 0:
        T.log("note: nobody cannot run %s here: the unit's credentials are not exercised"
              % T.CFGRUN)
        WRAP = None
    lows = low_ports(2)
    if WRAP is not None and lows:
        main_cfg, site_cfg = os.path.join(pdir, "hapc.cfg"), os.path.join(pdir, "site.cfg")
        env.update(CONFIG="%s %s" % (main_cfg, site_cfg), PLAN=os.path.join(pdir, "hapc.plan"))
        shutil.copy(T.tmp("hapc.cfg"), main_cfg)
        listen = "listen low%d\n    bind 127.0.0.1:%d\n    server app 127.0.0.1:%d\n"
        with open(site_cfg, "w") as f:
            f.write(listen % (1, lows[0], p1))
        notify_socket(os.path.join(pdir, "notify.sock"))
        rc, err, _ = run_list("ExecStartPre", env)
        T.check(rc == 0, "as nobody: ExecStartPre compiles into the runtime directory (%s)"
                % err.strip())
        proc = start_service()
        T.check("READY=1" in notified(), "as nobody with CAP_NET_BIND_SERVICE: READY=1")
        T.check(T.server_names(("127.0.0.1", lows[0]), 1) == ["one"],
                "as nobody: serves on port %d" % lows[0])
        with open(site_cfg, "a") as f:
            f.write(listen % (2, lows[1], p2))
        rc, err, ran = run_list("ExecReload", env)
        T.check(rc == 0 and ran == 2, "as nobody: ExecReload, its SIGHUP included (%s)"
                % err.strip())
        T.check(T.wait_until(lambda: T.server_names(("127.0.0.1", lows[1]), 1) == ["two"]),
                "as nobody: the reload opened port %d too" % lows[1])
        T.check(stop_service(proc) == 0, "as nobody: stops with status 0")
        WRAP = as_user + ["--no-new-privs"]
        r = subprocess.run(WRAP + expand(one("ExecStart"), env), capture_output=True,
                           text=True, timeout=T.TIMEOUT)
        T.check(r.returncode != 0 and "Permission denied" in r.stderr,
                "without the capability the same start is refused (%d)" % r.returncode)
    elif WRAP is not None:
        T.log("note: no free port below 1024: the unit's credentials are not exercised")
s1.close()
s2.close()
T.done()
