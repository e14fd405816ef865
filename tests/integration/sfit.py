# SPDX-License-Identifier: BSD-3-Clause
"""Shared helpers of the synfront integration tests (/usr/bin/python3).

Each test starts one synfront primary with a DPDK net_tap port, moves the
tap interface into a network namespace of its own, and drives real Linux
TCP clients from there. Everything is torn down on exit, on failure and on
SIGTERM (meson's timeout).

Addresses: only 198.18.0.0/15 and 2001:2::/48, inside the namespace.

Environment:
  SF_EAL_MEM   EAL memory options ("" = hugepages, "--no-huge -m 512");
               auto-detected when unset.
  SF_IT_KEEP   1: keep the temporary directory (logs) after the test.
"""

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
CLONE_NEWNET = 0x40000000

VIP4 = "198.18.0.2"
VIP6 = "2001:2::2"
CLIENT4 = "198.18.0.1"
CLIENT6 = "2001:2::1"
PORT = 80
CLOSED_PORT = 81

# The cookie's MSS tables (DESIGN.md): the smallest entry per family.
MSS_MIN = {4: 536, 6: 516}

ETH_P_ALL = 0x0003
SIOCOUTQ = 0x5411
SO_RCVBUFFORCE = 33

_libc = ctypes.CDLL(None, use_errno=True)


class TestFailure(Exception):
    """A check failed: the message says what was expected and what was seen."""


class Skip(Exception):
    """The test cannot run here (meson counts exit 77 as skipped)."""


def log(msg):
    print(msg, flush=True)


def expect(cond, what, expected, seen):
    """Fail with 'what: expected X, saw Y' unless cond; log 'ok' otherwise."""
    if not cond:
        raise TestFailure(f"{what}: expected {expected}, saw {seen}")
    log(f"ok: {what} ({seen})")


def errname(err):
    """errno -> its symbolic name (0 -> "no error")."""
    return errno.errorcode.get(err, str(err)) if err else "no error"


def wait_until(fn, timeout, interval=0.1):
    """Call fn until it returns a true value or timeout seconds pass.
    Returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


def hugepages_usable(min_mb=256):
    try:
        with open("/proc/mounts") as f:
            mounted = any(l.split()[1:3] == ["/dev/hugepages", "hugetlbfs"]
                          for l in f)
        info = {}
        with open("/proc/meminfo") as f:
            for l in f:
                k, v = l.split(":", 1)
                info[k] = int(v.split()[0])
        free_mb = info.get("HugePages_Free", 0) * info.get("Hugepagesize", 0) // 1024
    except (OSError, ValueError, IndexError):
        return False
    return mounted and free_mb >= min_mb


def eal_mem():
    """EAL memory options: SF_EAL_MEM when set (scripts/test.sh), else
    hugepages when usable, else --no-huge -m 512."""
    v = os.environ.get("SF_EAL_MEM")
    if v is None:
        v = "" if hugepages_usable() else "--no-huge -m 512"
    return v.split()


def run(cmd, check=True, timeout=30):
    """Run a command; on failure raise TestFailure with its output."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise TestFailure(f"command {' '.join(cmd)}: expected exit 0, saw "
                          f"{p.returncode}: {p.stdout.strip()}")
    return p


def stop(proc, sig=signal.SIGTERM, timeout=10):
    """Send sig to proc (a Popen, or None) if it still runs, wait up to
    timeout seconds for it to exit, SIGKILL it after that (and log so);
    reap it. Returns its exit status (None without a proc)."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"pid {proc.pid}: still running {timeout} s after "
                f"{signal.Signals(sig).name}: SIGKILL")
            proc.kill()
            proc.wait()
    return proc.returncode


def kill(proc):
    """SIGKILL proc (a Popen, or None) if it still runs, and reap it."""
    stop(proc, signal.SIGKILL)


# ---------------------------------------------------------------- namespaces

def addr_up(dev, addr4, addr6, ns=None):
    """Give dev addr4/24 and addr6/64 (no DAD) and bring it up, in ns (a
    NetNS) or, without one, in the root namespace."""
    def ip(*args):
        if ns is not None:
            return ns.ip(*args)
        return run(["ip"] + list(args))
    ip("addr", "add", f"{addr4}/24", "dev", dev)
    ip("-6", "addr", "add", f"{addr6}/64", "dev", dev, "nodad")
    ip("link", "set", dev, "up")


class NetNS:
    """A network namespace, deleted by delete()."""

    def __init__(self, name):
        self.name = name
        run(["ip", "netns", "del", name], check=False)
        run(["ip", "netns", "add", name])
        self.ip("link", "set", "lo", "up")

    def ip(self, *args, check=True):
        return run(["ip", "-n", self.name] + list(args), check=check)

    def exec(self, *args, check=True, timeout=30):
        return run(["ip", "netns", "exec", self.name] + list(args),
                   check=check, timeout=timeout)

    @contextlib.contextmanager
    def enter(self):
        """Run the body (this thread) inside the namespace: sockets created
        there stay in it after the body."""
        orig = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open(f"/var/run/netns/{self.name}", os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET) != 0:
                e = ctypes.get_errno()
                raise TestFailure(f"setns({self.name}): {os.strerror(e)}")
            try:
                yield
            finally:
                if _libc.setns(orig, CLONE_NEWNET) != 0:
                    # Cannot return to the root namespace: stop here.
                    os._exit(1)
        finally:
            os.close(fd)
            os.close(orig)

    def sysctl(self, key, value):
        path = "/proc/sys/" + key.replace(".", "/")
        with self.enter():
            with open(path, "w") as f:
                f.write(str(value))

    def delete(self):
        run(["ip", "netns", "del", self.name], check=False)


# ------------------------------------------------------------------- capture

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Segment:
    """A TCP segment parsed from a frame; its payload is the frame's
    bytes [poff, poff + plen)."""
    __slots__ = ("family", "src", "dst", "sport", "dport", "seq", "ack",
                 "flags", "opts", "outgoing", "poff", "plen")

    def __repr__(self):
        return (f"{self.src}:{self.sport}->{self.dst}:{self.dport} "
                f"flags={self.flags:#x} seq={self.seq} ack={self.ack} "
                f"opts={self.opts} len={self.plen}")


def inet_csum(data):
    """The Internet checksum of data (RFC 1071): the one's complement of
    the one's-complement sum of its 16-bit words, zero-padded."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _tcp_options(b):
    opts = {}
    i = 0
    while i < len(b):
        kind = b[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(b) or b[i + 1] < 2:
            break
        ln = b[i + 1]
        val = b[i + 2:i + ln]
        if kind == 2 and ln == 4:
            opts["mss"] = struct.unpack("!H", val)[0]
        elif kind == 3 and ln == 3:
            opts["wscale"] = val[0]
        elif kind == 4:
            opts["sack_perm"] = True
        elif kind == 8 and ln == 10:
            opts["ts"] = struct.unpack("!II", val)
        i += ln
    return opts


def parse_tcp_frame(frame):
    """Ethernet frame -> Segment, or None when not TCP over IPv4/IPv6."""
    if len(frame) < 14:
        return None
    etype = struct.unpack("!H", frame[12:14])[0]
    off = 14
    if etype == 0x8100 and len(frame) >= 18:
        etype = struct.unpack("!H", frame[16:18])[0]
        off = 18
    if etype == 0x0800:
        if len(frame) < off + 20:
            return None
        ihl = (frame[off] & 0x0F) * 4
        if frame[off + 9] != 6:
            return None
        total = struct.unpack("!H", frame[off + 2:off + 4])[0]
        fam = 4
        src = socket.inet_ntop(socket.AF_INET, frame[off + 12:off + 16])
        dst = socket.inet_ntop(socket.AF_INET, frame[off + 16:off + 20])
        t = off + ihl
        end = off + total
    elif etype == 0x86DD:
        if len(frame) < off + 40 or frame[off + 6] != 6:
            return None
        fam = 6
        plen = struct.unpack("!H", frame[off + 4:off + 6])[0]
        src = socket.inet_ntop(socket.AF_INET6, frame[off + 8:off + 24])
        dst = socket.inet_ntop(socket.AF_INET6, frame[off + 24:off + 40])
        t = off + 40
        end = t + plen
    else:
        return None
    if len(frame) < t + 20:
        return None
    s = Segment()
    s.family, s.src, s.dst = fam, src, dst
    (s.sport, s.dport, s.seq, s.ack, doff, s.flags) = struct.unpack(
        "!HHIIBB", frame[t:t + 14])
    hl = (doff >> 4) * 4
    s.opts = _tcp_options(frame[t + 20:t + hl])
    s.poff = t + hl
    s.plen = max(0, min(end, len(frame)) - s.poff)
    return s


class Loop:
    """Calls step() on a daemon thread until stop(), or until step()
    returns False. A subclass sets its own fields before __init__ (the
    thread starts there)."""

    def __init__(self):
        self._stop = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop and self.step() is not False:
            pass

    def step(self):
        raise NotImplementedError

    def stop(self, timeout=2):
        self._stop = True
        self._t.join(timeout)


class Capture(Loop):
    """Every frame on an interface of a namespace (both directions), read
    by an AF_PACKET socket on a thread and passed to on_frame(frame,
    outgoing). rcvbuf: a receive buffer size to ask for (SO_RCVBUFFORCE,
    as root, else SO_RCVBUF)."""

    def __init__(self, ns, iface, rcvbuf=None):
        with ns.enter():
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(ETH_P_ALL))
            if rcvbuf is not None:
                try:
                    self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE,
                                         rcvbuf)
                except OSError:
                    self.sock.setsockopt(socket.SOL_SOCKET,
                                         socket.SO_RCVBUF, rcvbuf)
            self.sock.bind((iface, 0))
        self.sock.settimeout(0.1)
        super().__init__()

    def step(self):
        try:
            frame, addr = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        except OSError:
            return False
        self.on_frame(frame, addr[2] == socket.PACKET_OUTGOING)
        return None

    def on_frame(self, frame, outgoing):
        raise NotImplementedError

    def stop(self, timeout=2):
        super().stop(timeout)
        self.sock.close()


class Sniffer(Capture):
    """Captures TCP segments on an interface of a namespace (both
    directions) with an AF_PACKET socket on a thread."""

    def __init__(self, ns, iface):
        self.segments = []
        # A large buffer: no drops during a burst.
        super().__init__(ns, iface, rcvbuf=16 << 20)

    def on_frame(self, frame, outgoing):
        seg = parse_tcp_frame(frame)
        if seg is not None:
            seg.outgoing = outgoing
            self.segments.append(seg)

    def handshakes(self):
        """{(family, client_port): {"syn": Segment, "synacks": [Segment]}}
        for the clients (the SYN is the first one seen)."""
        hs = {}
        for s in list(self.segments):
            if s.flags & TCP_SYN and not s.flags & TCP_ACK:
                hs.setdefault((s.family, s.sport), {"syn": None, "synacks": []})
                if hs[(s.family, s.sport)]["syn"] is None:
                    hs[(s.family, s.sport)]["syn"] = s
            elif s.flags & TCP_SYN and s.flags & TCP_ACK:
                hs.setdefault((s.family, s.dport), {"syn": None, "synacks": []})
                hs[(s.family, s.dport)]["synacks"].append(s)
        return hs

    def find(self, pred):
        return [s for s in list(self.segments) if pred(s)]


# ------------------------------------------------------------------ synfront

class Synfront:
    """One synfront primary on a net_tap port whose interface lives in a
    namespace of its own."""

    def __init__(self, binary, tag, lcores=("-l", "0,1"), workers=1,
                 consumer="log", app_args=(), mac=None):
        if not os.access(binary, os.X_OK):
            raise TestFailure(f"synfront binary: expected an executable at "
                              f"{binary}, saw none")
        pid = os.getpid()
        self.binary = binary
        self.tag = tag
        self.workers = workers
        self.prefix = f"sfit_{tag}_{pid}"
        self.iface = f"sf{tag[:4]}{pid % 100000}"[:15]
        self.mac = mac or "02:53:46:00:%02x:%02x" % ((pid >> 8) & 0xFF,
                                                     pid & 0xFF)
        self.tmp = tempfile.mkdtemp(prefix=f"sfit-{tag}-")
        self.out_path = os.path.join(self.tmp, "synfront.out")
        self.log_path = os.path.join(self.tmp, "events.jsonl")
        self.ns = None
        self.own_ns = True
        self.proc = None
        self.rc = None
        self.consumer = consumer
        self.cmd = ([binary] + list(lcores) + eal_mem() +
                    ["--file-prefix", self.prefix, "--no-pci",
                     "--log-level", "lib.eal:notice",
                     f"--vdev=net_tap0,iface={self.iface},mac={self.mac}",
                     "--",
                     "--vip", f"{VIP4},{VIP6}", "--ports", str(PORT),
                     "--consumer", consumer, "--log-file", self.log_path,
                     "--entries-per-lcore", "65536", "--stats-period", "1"]
                    + list(app_args))

    # -- lifecycle

    def start(self, ready_timeout=60, ns=None):
        """Start; the tap goes into a namespace of its own, given CLIENT4
        and CLIENT6, or bare into ns (a NetNS the caller owns and deletes:
        several instances behind one router)."""
        self.own_ns = ns is None
        self.ns = NetNS(f"sfit-{self.tag}-{os.getpid()}") if ns is None else ns
        log(f"starting: {' '.join(self.cmd)}")
        self._out = open(self.out_path, "w")
        # Same process group as the test: meson's timeout kill reaches it.
        self.proc = subprocess.Popen(self.cmd, stdout=self._out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        ok = wait_until(lambda: "synfront: ready" in self.output_lines()
                        or self.proc.poll() is not None, ready_timeout)
        if self.proc.poll() is not None:
            raise TestFailure(f"synfront startup: expected 'synfront: ready', "
                              f"saw exit {self.proc.returncode}")
        if not ok or "synfront: ready" not in self.output_lines():
            raise TestFailure(f"synfront startup: expected 'synfront: ready' "
                              f"within {ready_timeout} s, saw none")
        m = re.search(r"^synfront: port 0 .*mac ([0-9A-Fa-f:]{17})",
                      self.output(), re.M)
        if m:
            self.mac = m.group(1).lower()
        if not wait_until(lambda: os.path.exists(f"/sys/class/net/{self.iface}"), 10):
            raise TestFailure(f"tap interface: expected {self.iface} in the "
                              f"root namespace, saw none")
        self.ns.ip("link", "set", "dev", "lo", "up")
        run(["ip", "link", "set", self.iface, "netns", self.ns.name])
        if not self.own_ns:
            self.ns.ip("link", "set", self.iface, "up")
            log(f"ready: port mac {self.mac}, {self.iface} in {self.ns.name}")
            return
        addr_up(self.iface, CLIENT4, CLIENT6, self.ns)
        log(f"ready: port mac {self.mac}, {self.iface} in {self.ns.name} "
            f"as {CLIENT4}/24 {CLIENT6}/64")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM; returns (exit status, output). SIGKILL after timeout."""
        if self.proc is None:
            return None, ""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.rc = "killed after SIGTERM timeout"
        if self.rc is None:
            self.rc = self.proc.returncode
        return self.rc, self.output()

    def check_clean_exit(self):
        """SIGTERM; expect exit 0, a final line and no mbuf in use."""
        rc, out = self.stop()
        lines = out.splitlines()
        final = [l for l in lines if l.startswith("final: ")]
        mbufs = [l for l in lines if l.startswith("synfront: mbufs in use:")]
        log(final[-1] if final else "(no final line)")
        expect(rc == 0, "synfront exit status after SIGTERM", 0, rc)
        expect(final, "a 'final: ' line at exit", "one",
               f"{len(final)}")
        expect(mbufs and mbufs[-1] == "synfront: mbufs in use: 0",
               "mbufs in use at exit", "'synfront: mbufs in use: 0'",
               repr(mbufs[-1]) if mbufs else "no such line")
        expect("synfront: exit 0" in lines, "last line", "'synfront: exit 0'",
               repr(lines[-1]) if lines else "no output")

    def cleanup(self):
        kill(self.proc)
        if self.ns is not None and self.own_ns:
            self.ns.delete()
        with contextlib.suppress(OSError):
            shutil.rmtree(f"/var/run/dpdk/{self.prefix}")
        with contextlib.suppress(OSError):
            for f in os.listdir("/dev/hugepages"):
                if f.startswith(self.prefix + "map_"):
                    os.unlink(os.path.join("/dev/hugepages", f))

    # -- output, events, telemetry

    def output(self):
        try:
            with open(self.out_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def output_lines(self):
        return self.output().splitlines()

    def events(self, path=None):
        """The consumer log's events (a list of dicts)."""
        return read_events(path or self.log_path)

    def telemetry(self, cmd):
        """The value of a telemetry command (the dict under its name)."""
        path = f"/var/run/dpdk/{self.prefix}/dpdk_telemetry.v2"
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(5)
        try:
            s.connect(path)
            info = json.loads(s.recv(1024).decode())
            s.send(cmd.encode())
            reply = json.loads(s.recv(info.get("max_output_len", 16384)).decode())
        except (OSError, ValueError) as e:
            raise TestFailure(f"telemetry {cmd}: expected a JSON answer on "
                              f"{path}, saw {e}")
        finally:
            s.close()
        key = cmd.split(",", 1)[0]    # a parameter is not in the reply's key
        if not isinstance(reply, dict) or key not in reply:
            raise TestFailure(f"telemetry {cmd}: expected {{\"{key}\": ...}}, "
                              f"saw {reply!r}")
        return reply[key]

    def stats(self):
        return self.telemetry("/synfront/stats")

    def wait_stat(self, name, pred, timeout=10):
        """Poll /synfront/stats until pred(value); returns the last value."""
        last = [None]

        def probe():
            last[0] = self.stats().get(name)
            return last[0] is not None and pred(last[0])
        wait_until(probe, timeout, 0.2)
        return last[0]

    def dump_for_failure(self):
        out = self.output_lines()
        log(f"--- synfront output (last 30 of {len(out)} lines) ---")
        for l in out[-30:]:
            log("  " + l)
        if self.consumer == "log":
            try:
                with open(self.log_path, errors="replace") as f:
                    ev = f.read().splitlines()
            except OSError:
                ev = []
            log(f"--- event log (last 5 of {len(ev)} lines) ---")
            for l in ev[-5:]:
                log("  " + l)
        if self.running():
            with contextlib.suppress(TestFailure):
                st = self.stats()
                log("--- /synfront/stats (non-zero) ---")
                log("  " + json.dumps({k: v for k, v in st.items() if v}))


# ----------------------------------------------------------------- sf-events

def start_sf_events(binary, sf, args, what="sf-events attached"):
    """sf-events on sf's rings as a DPDK secondary process, one worker,
    then args; expects 'sf-events: attached' within 30 s (the check named
    what). Returns (Popen, stdout path, stderr path)."""
    out_path = os.path.join(sf.tmp, "sf-events.out")
    err_path = os.path.join(sf.tmp, "sf-events.err")
    cmd = [binary, "--proc-type=secondary", "--file-prefix", sf.prefix,
           "-l", "1", "--no-pci", "--log-level", "lib.eal:notice", "--",
           "--workers", "1"] + list(args)
    log("starting: " + " ".join(cmd))
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
    attached = wait_until(lambda: "attached" in open(err_path).read() or
                          proc.poll() is not None, 30)
    try:
        expect(proc.poll() is None and attached, what,
               "'sf-events: attached' and running",
               "running" if proc.poll() is None else
               f"exit {proc.poll()}: {open(err_path).read().strip()[-300:]}")
    except TestFailure:
        kill(proc)
        raise
    return proc, out_path, err_path


def read_events(path):
    """The events (a list of dicts) of a consumer log or sf-events' output,
    one JSON object a line; none while the file does not exist."""
    evs = []
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return evs
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            evs.append(json.loads(line))
        except ValueError:
            raise TestFailure(f"event log line {n}: expected one JSON "
                              f"object, saw {line!r}")
    return evs


# ------------------------------------------------------------------- clients

def connect_many(ns, family, addr, port, n, timeout=20, batch=50):
    """Open n TCP connections from the namespace, batch at a time, each
    non-blocking with a common deadline. Returns (connected sockets keyed
    by local port, list of failure strings). Sockets stay open."""
    af = socket.AF_INET if family == 4 else socket.AF_INET6
    ok, failed = {}, []
    deadline = time.monotonic() + timeout
    left = n
    while left > 0:
        pend = {}
        with ns.enter():
            for _ in range(min(batch, left)):
                s = socket.socket(af, socket.SOCK_STREAM)
                s.setblocking(False)
                rc = s.connect_ex((addr, port))
                if rc not in (0, errno.EINPROGRESS):
                    failed.append(f"connect: {os.strerror(rc)}")
                    s.close()
                    continue
                pend[s.fileno()] = s
        left -= min(batch, left)
        poller = select.poll()
        for fd in pend:
            poller.register(fd, select.POLLOUT)
        while pend:
            remain = deadline - time.monotonic()
            if remain <= 0:
                break
            for fd, _ in poller.poll(remain * 1000):
                s = pend.pop(fd)
                poller.unregister(fd)
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    failed.append(f"port {s.getsockname()[1]}: "
                                  f"{os.strerror(err)}")
                    s.close()
                else:
                    s.setblocking(True)
                    ok[s.getsockname()[1]] = s
        for s in pend.values():
            failed.append(f"port {s.getsockname()[1]}: no connection within "
                          f"{timeout} s")
            s.close()
    return ok, failed


def tcp_socket(ns, family, timeout):
    """A TCP socket (family 4 or 6) of the namespace, with a timeout."""
    af = socket.AF_INET if family == 4 else socket.AF_INET6
    with ns.enter():
        s = socket.socket(af, socket.SOCK_STREAM)
    s.settimeout(timeout)
    return s


def connect_one(ns, family, addr, port, timeout=5):
    """One blocking connect from the namespace: (socket or None, errno)."""
    s = tcp_socket(ns, family, timeout)
    try:
        s.connect((addr, port))
    except socket.timeout:
        s.close()
        return None, errno.ETIMEDOUT
    except OSError as e:
        s.close()
        return None, e.errno
    return s, 0


def check_handshakes(sniffer, events, clients, what):
    """Every client (family, port) has one ESTABLISHED event whose ISNs are
    the ones on the wire: SYN seq == client_isn, SYN-ACK seq == server_isn."""
    est = {}
    for e in events:
        if e.get("type") == "established":
            key = (e.get("family"), e.get("client_port"))
            est.setdefault(key, []).append(e)
    dup = [k for k, v in est.items() if len(v) > 1 and k in clients]
    expect(not dup, f"{what}: one ESTABLISHED event per client", "none twice",
           f"{len(dup)} clients twice" + (f", e.g. {dup[:3]}" if dup else ""))
    missing = [k for k in clients if k not in est]
    expect(not missing, f"{what}: ESTABLISHED events for all {len(clients)} "
           f"clients", "all", f"{len(missing)} missing" +
           (f", e.g. {missing[:5]}" if missing else ""))

    def captured():
        hs = sniffer.handshakes()
        return all(k in hs and hs[k]["syn"] and hs[k]["synacks"]
                   for k in clients)
    wait_until(captured, 5)
    hs = sniffer.handshakes()
    bad = []
    for k in sorted(clients):
        e = est[k][0]
        h = hs.get(k)
        if h is None or h["syn"] is None or not h["synacks"]:
            bad.append(f"client {k}: no SYN/SYN-ACK captured")
            continue
        if e.get("client_isn") != h["syn"].seq:
            bad.append(f"client {k}: client_isn {e.get('client_isn')}, "
                       f"SYN seq on the wire {h['syn'].seq}")
        synack_seqs = {s.seq for s in h["synacks"]}
        if e.get("server_isn") not in synack_seqs:
            bad.append(f"client {k}: server_isn {e.get('server_isn')}, "
                       f"SYN-ACK seq on the wire {sorted(synack_seqs)}")
        want_client = CLIENT4 if k[0] == 4 else CLIENT6
        want_server = VIP4 if k[0] == 4 else VIP6
        if (e.get("client") != want_client or e.get("server") != want_server
                or e.get("server_port") != PORT):
            bad.append(f"client {k}: flow {e.get('client')} -> "
                       f"{e.get('server')}:{e.get('server_port')}, expected "
                       f"{want_client} -> {want_server}:{PORT}")
    expect(not bad, f"{what}: event ISNs match the wire for {len(clients)} "
           f"clients", "all match", f"{len(bad)} mismatches" +
           (f": {bad[:5]}" if bad else ""))


def outq(sock):
    """Bytes in the socket's send queue not yet acknowledged (SIOCOUTQ)."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), SIOCOUTQ,
                                          b"\0\0\0\0"))[0]


def close_all(socks):
    for s in socks:
        with contextlib.suppress(OSError):
            s.close()


def write_secret(path, text, mode=0o600):
    """Replace path by a file of text and the given mode, atomically
    (rename over it), never readable by others in between."""
    tmp = path + ".new"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


# ---------------------------------------------------------------------- loss

class Loss:
    """1 % (or p) random loss each way on the client's link: iptables
    statistic-match DROP rules in the client namespace (INPUT and OUTPUT,
    IPv4 and IPv6). GSO, TSO and GRO are turned off on the interface first,
    so that the rules see (and drop) single segments, not aggregates.
    drops() reads the rules' packet counters."""

    def __init__(self, ns, iface, p=0.01):
        self.ns = ns
        if shutil.which("iptables") is None:
            raise Skip("iptables not installed (scripts/lib.sh's "
                       "package list has it)")
        ns.exec("ethtool", "-K", iface, "gso", "off", "tso", "off", "gro",
                "off", check=False)
        for tool in ("iptables", "ip6tables"):
            for chain, d in (("INPUT", "-i"), ("OUTPUT", "-o")):
                ns.exec(tool, "-w", "-A", chain, d, iface, "-m", "statistic",
                        "--mode", "random", "--probability", str(p),
                        "-j", "DROP")
        log(f"loss: {p * 100:g} % each way on {iface} (iptables statistic)")

    def drops(self):
        """{"in": n, "out": n} packets dropped so far (both families)."""
        d = {"in": 0, "out": 0}
        for tool in ("iptables", "ip6tables"):
            for chain, key in (("INPUT", "in"), ("OUTPUT", "out")):
                r = self.ns.exec(tool, "-w", "-L", chain, "-v", "-n", "-x",
                                 check=False)
                for line in r.stdout.splitlines():
                    p = line.split()
                    if len(p) > 2 and p[2] == "DROP" and p[0].isdigit():
                        d[key] += int(p[0])
        return d

    def remove(self):
        for tool in ("iptables", "ip6tables"):
            self.ns.exec(tool, "-w", "-F", check=False)


# --------------------------------------------------------------------- main

def main(test, binary_args=1):
    """Run test(argv) with cleanup; exit 0 (pass), 1 (fail) or 77 (skip)."""
    if len(sys.argv) < 1 + binary_args:
        print(f"usage: {sys.argv[0]} SYNFRONT_BINARY" +
              (" SF_EVENTS_BINARY" if binary_args > 1 else ""))
        sys.exit(2)
    if os.geteuid() != 0:
        log("SKIP: needs root (namespaces, tap devices)")
        sys.exit(SKIP)

    def on_signal(signum, frame):
        raise TestFailure(f"interrupted by signal {signum} (timeout?)")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sfs = []
    try:
        test(sys.argv[1:], sfs)
    except Skip as e:
        log(f"SKIP: {e}")
        rc = SKIP
    except TestFailure as e:
        log(f"FAIL: {e}")
        for sf in sfs:
            sf.dump_for_failure()
        rc = 1
    else:
        log("PASS")
        rc = 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for sf in sfs:
            sf.cleanup()
            if os.environ.get("SF_IT_KEEP") == "1":
                log(f"kept {sf.tmp}")
            else:
                shutil.rmtree(sf.tmp, ignore_errors=True)
    sys.exit(rc)
