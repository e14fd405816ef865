# SPDX-License-Identifier: BSD-3-Clause
"""The backend side of the proxy tests (/usr/bin/python3): nginx from
Debian in a network namespace of its own, reached from the root namespace
(where synfront and its proxy run) over a veth pair, and the clients that
talk to synfront from the client namespace.

Addresses: the backend net 198.18.2.0/24 and 2001:2:2::/64, root side .1
(::1), backend .2 (::2). One backend net at a time: Backend takes an
exclusive lock (LOCK) for its lifetime, since the root side's addresses
are in the root namespace that every test shares.

nginx: one process (master_process off: no orphan worker), all its files in
the test's temporary directory. Each server (a port) has its own access
log whose lines are

    $remote_addr $proxy_protocol_addr $server_port $request_method $uri
    $status $body_bytes_sent $request_length

and serves:
  /             index.html: "synfront backend <port>\\n"
  /big.bin      BIG_SIZE random bytes (sha256 in Backend.big_sha256)
  /upload/NAME  PUT stores the body in www/upload/NAME (ngx_http_dav_module)

A port listed in proxy_ports listens with `proxy_protocol` (nginx accepts
v1 and v2 there and logs the client address the header carries).
"""

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

import sfit
from sfit import TestFailure, log

BE4 = "198.18.2.2"
BE6 = "2001:2:2::2"
ROOT4 = "198.18.2.1"
ROOT6 = "2001:2:2::1"
NET4 = "198.18.2.0/24"
LOCK = "/run/sfit-backend-net.lock"
BIG_SIZE = 10 << 20

NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
user root root;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    client_max_body_size 0;
    client_body_buffer_size 1m;
    log_format sf '$remote_addr $proxy_protocol_addr $server_port '
                  '$request_method $uri $status $body_bytes_sent '
                  '$request_length';
{servers}}}
"""

NGINX_SERVER = """\
    server {{
        listen {be4}:{port}{pp};
        listen [{be6}]:{port}{pp};
{extra}        access_log {d}/access-{port}.log sf;
        root {d}/www-{port};
        location /upload/ {{
            dav_methods PUT;
            create_full_put_path on;
            root {d}/www-{port};
        }}
    }}
"""


def need_nginx():
    """The nginx binary, or Skip (scripts/lib.sh installs it)."""
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if path is None:
        raise sfit.Skip("nginx not installed (apt-get install nginx; "
                        "scripts/lib.sh's package list has it)")
    return path


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Backend:
    """nginx on ports in namespace sfit-pb-<pid>, reached from the root
    namespace over veth sfpb<pid>. proxy_ports: the ports that listen with
    proxy_protocol; extra4: more IPv4 addresses every port listens on
    (plain; the benchmark's direct path); big_size: bytes of /big.bin."""

    def __init__(self, tmp, ports=(8080,), proxy_ports=(), extra4=(),
                 big_size=BIG_SIZE):
        self.nginx = need_nginx()
        self.extra4 = tuple(extra4)
        self.big_size = big_size
        self.tmp = tmp
        self.ports = tuple(ports)
        self.proxy_ports = set(proxy_ports)
        pid = os.getpid()
        self.veth = f"sfpb{pid % 100000}"
        self.peer = f"sfpbn{pid % 100000}"
        self.dir = os.path.join(tmp, "nginx")
        self.ns = None
        self.proc = None
        self._lock = open(LOCK, "w")
        t0 = time.monotonic()
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        waited = time.monotonic() - t0
        if waited > 1:
            log(f"backend net: waited {waited:.1f} s for {LOCK}")
        self.big_sha256 = None

    # -- lifecycle

    def start(self, before_nginx=None):
        """Backend net, files, nginx; before_nginx(self), when given, runs
        once the namespace exists (e.g. to add the addresses of extra4)."""
        self._net()
        self._files()
        if before_nginx is not None:
            before_nginx(self)
        self._run_nginx()
        return self

    def _net(self):
        r = sfit.run(["ip", "-4", "route", "show", NET4], check=False)
        if r.stdout.strip():
            raise TestFailure(f"backend net: expected no route to {NET4} in "
                              f"the root namespace, saw {r.stdout.strip()!r}")
        self.ns = sfit.NetNS(f"sfit-pb-{os.getpid()}")
        sfit.run(["ip", "link", "add", self.veth, "type", "veth", "peer",
                  "name", self.peer])
        sfit.run(["ip", "link", "set", self.peer, "netns", self.ns.name])
        sfit.addr_up(self.veth, ROOT4, ROOT6)
        sfit.addr_up(self.peer, BE4, BE6, self.ns)
        log(f"backend net: {self.veth} {ROOT4}/24 {ROOT6}/64 (root) <-> "
            f"{self.peer} {BE4} {BE6} in {self.ns.name}")

    def _files(self):
        d = self.dir
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi",
                    "tmp/scgi"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        big = os.path.join(d, "big.bin")
        h = hashlib.sha256()
        with open(big, "wb") as f:
            for _ in range(0, self.big_size, 1 << 20):
                chunk = os.urandom(min(1 << 20, self.big_size - f.tell()))
                h.update(chunk)
                f.write(chunk)
        self.big_sha256 = h.hexdigest()
        servers = ""
        for p in self.ports:
            www = os.path.join(d, f"www-{p}")
            os.makedirs(os.path.join(www, "upload"), exist_ok=True)
            with open(os.path.join(www, "index.html"), "w") as f:
                f.write(f"synfront backend {p}\n")
            os.link(big, os.path.join(www, "big.bin"))
            extra = "".join(f"        listen {a}:{p};\n"
                            for a in self.extra4)
            servers += NGINX_SERVER.format(
                be4=BE4, be6=BE6, port=p, d=d, extra=extra,
                pp=" proxy_protocol" if p in self.proxy_ports else "")
        self.conf = os.path.join(d, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(NGINX_CONF.format(d=d, servers=servers))

    def _run_nginx(self):
        out = open(os.path.join(self.dir, "nginx.out"), "w")
        cmd = ["ip", "netns", "exec", self.ns.name, self.nginx, "-p",
               self.dir, "-c", self.conf]
        log(f"starting: {' '.join(cmd)}")
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

        def listening():
            if self.proc.poll() is not None:
                return True
            with self.ns.enter():
                for p in self.ports:
                    s = socket.socket()
                    try:
                        if s.connect_ex((BE4, p)) != 0:
                            return False
                    finally:
                        s.close()
            return True
        sfit.wait_until(listening, 10)
        if self.proc.poll() is not None:
            raise TestFailure(f"nginx: expected it running, saw exit "
                              f"{self.proc.returncode}: {self.errors()}")
        log(f"nginx {self.proc.pid}: ports {list(self.ports)}, "
            f"proxy_protocol on {sorted(self.proxy_ports) or 'none'}")

    def stop_nginx(self):
        """SIGQUIT (graceful), then SIGKILL after 5 s."""
        sfit.stop(self.proc, signal.SIGQUIT, 5)

    def cleanup(self):
        sfit.kill(self.proc)
        # The worker is the master's child: no orphan keeps a port.
        if self.ns is not None:
            self.ns.delete()
        sfit.run(["ip", "link", "del", self.veth], check=False)
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # -- what nginx saw

    def errors(self):
        with contextlib.suppress(OSError):
            with open(os.path.join(self.dir, "error.log"),
                      errors="replace") as f:
                return f.read()[-1000:]
        return ""

    def access(self, port):
        """The access log lines of port, as dicts."""
        path = os.path.join(self.dir, f"access-{port}.log")
        rows = []
        with contextlib.suppress(OSError):
            with open(path, errors="replace") as f:
                for line in f:
                    p = line.split()
                    if len(p) != 8:
                        continue
                    rows.append({"remote": p[0], "pp_addr": p[1],
                                 "port": int(p[2]), "method": p[3],
                                 "uri": p[4], "status": int(p[5]),
                                 "bytes": int(p[6]), "req_len": int(p[7])})
        return rows

    def upload_path(self, port, name):
        return os.path.join(self.dir, f"www-{port}", "upload", name)


def addr(family, host, port):
    """host:port in the form of backends = (brackets for IPv6)."""
    return f"[{host}]:{port}" if family == 6 else f"{host}:{port}"


def proxy_args(backends, balance=None, proxy_protocol=None,
               connect_timeout_ms=None):
    """synfront options of consumer=proxy (after --consumer proxy)."""
    a = ["--backends", ",".join(backends)]
    if balance:
        a += ["--balance", balance]
    if proxy_protocol:
        a += ["--proxy-protocol", proxy_protocol]
    if connect_timeout_ms is not None:
        a += ["--connect-timeout-ms", str(connect_timeout_ms)]
    return a


# ------------------------------------------------------------------ clients

def url(family, path="/"):
    host = sfit.VIP4 if family == 4 else f"[{sfit.VIP6}]"
    return f"http://{host}:{sfit.PORT}{path}"


def curl(ns, *args, timeout=120):
    """curl in the namespace: (exit status, stdout, stderr)."""
    p = subprocess.run(["ip", "netns", "exec", ns.name, "curl", "-sS",
                        "--max-time", str(timeout - 5)] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.strip()


def download(ns, dest, timeout):
    """GET /big.bin over IPv4 into dest, timed: (curl's exit status, the
    HTTP status, curl's stderr, seconds, dest's sha256 or None)."""
    t0 = time.monotonic()
    rc, out, err = curl(ns, "-o", dest, "-w", "%{http_code}",
                        url(4, "/big.bin"), timeout=timeout)
    secs = time.monotonic() - t0
    got = sha256_file(dest) if os.path.exists(dest) else None
    return rc, out, err, secs, got


def upload(ns, tmp, name, timeout):
    """PUT BIG_SIZE random bytes (first written to tmp/name) to
    /upload/name over IPv6, timed: (curl's exit status, the HTTP status,
    curl's stderr, seconds, the bytes' sha256)."""
    src = os.path.join(tmp, name)
    data = os.urandom(BIG_SIZE)
    with open(src, "wb") as f:
        f.write(data)
    t0 = time.monotonic()
    rc, out, err = curl(ns, "-o", "/dev/null", "-w", "%{http_code}", "-T",
                        src, url(6, "/upload/" + name), timeout=timeout)
    secs = time.monotonic() - t0
    return rc, out, err, secs, hashlib.sha256(data).hexdigest()


def http_get(ns, family, host, port, path="/", timeout=10):
    """One HTTP/1.0 GET on a new connection from the namespace:
    (status, body) or raises OSError/TestFailure."""
    s = sfit.tcp_socket(ns, family, timeout)
    try:
        s.connect((host, port))
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: sf\r\n\r\n".encode())
        buf = bytearray()
        while True:
            b = s.recv(65536)
            if not b:
                break
            buf += b
    finally:
        s.close()
    head, _, body = bytes(buf).partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.\d (\d{3})", head)
    if not m:
        raise TestFailure(f"GET {path}: expected an HTTP status line, saw "
                          f"{bytes(buf[:80])!r}")
    return int(m.group(1)), body


def get_many(ns, family, n, concurrency, path="/", timeout=20):
    """n GETs to the VIP, concurrency at a time (threads). Returns
    (ok count, failures [str], bodies {body: count}, seconds)."""
    host = sfit.VIP4 if family == 4 else sfit.VIP6
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "fail": [], "bodies": {}}

    def worker():
        while True:
            with lock:
                if state["next"] >= n:
                    return
                state["next"] += 1
            try:
                st, body = http_get(ns, family, host, sfit.PORT, path,
                                    timeout)
                err = None if st == 200 else f"status {st}"
            except (OSError, TestFailure) as e:
                err, body = f"{type(e).__name__}: {e}", None
            with lock:
                if err:
                    state["fail"].append(err)
                else:
                    state["ok"] += 1
                    state["bodies"][body] = state["bodies"].get(body, 0) + 1
    t0 = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return state["ok"], state["fail"], state["bodies"], time.monotonic() - t0


# ------------------------------------------------------- PROXY header on wire

PP2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


class HeaderSniffer(sfit.Capture):
    """The first payload bytes of every connection to a backend port, seen
    on the backend's side of the veth: what the proxy writes first."""

    def __init__(self, backend):
        self.ports = set(backend.ports)
        self.first = {}
        super().__init__(backend.ns, backend.peer, rcvbuf=16 << 20)

    def on_frame(self, frame, outgoing):
        if outgoing:
            return
        s = sfit.parse_tcp_frame(frame)
        if s is None or s.dport not in self.ports or not s.plen:
            return
        self.first.setdefault((s.src, s.sport, s.dport),
                              bytes(frame[s.poff:s.poff + min(s.plen, 32)]))

    def versions(self):
        """{"v1": n, "v2": n, "none": n} over the connections seen."""
        c = {"v1": 0, "v2": 0, "none": 0}
        for b in list(self.first.values()):
            if b.startswith(PP2_SIG):
                c["v2"] += 1
            elif b.startswith(b"PROXY "):
                c["v1"] += 1
            else:
                c["none"] += 1
        return c
