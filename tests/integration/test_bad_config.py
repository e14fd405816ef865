#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Every bad configuration value and option, one table, the real binary.

Each row runs synfront with one mistake: a value out of range or not
parseable, on the command line or in an INI file, an unknown option, key
or section, a missing or unreadable file, a worker lcore with no port, no
worker lcore, a log file that cannot be opened, a bad EAL option. Each must
end with exit status 2 (never a signal: no crash, no abort), no core file
in its working directory, and one line on stderr that names what is
wrong (the row's needle; errors found before EAL starts are the only
line at all). One line per row is printed.

EAL runs (rows past the configuration) use --no-huge, --no-pci and a
file prefix of their own; the only port is net_null (no traffic).

usage: test_bad_config.py SYNFRONT_BINARY
"""

import os
import shutil
import signal
import subprocess
import tempfile

import sfit
from sfit import expect, log

GOOD_KEY = "00112233445566778899aabbccddeeff"


def rows(tmp):
    """(name, EAL args or None for the default, app args, file text (of
    bad.ini, mode 0600) or {file name: (text, mode)} or None, needle that
    the error line must contain)."""
    f = os.path.join(tmp, "bad.ini")
    cf = ["--config", f]
    kf = os.path.join(tmp, "k.key")
    many = ",".join(f"198.18.1.{i}" for i in range(1, 18))
    return [
        # --- [listen]
        ("vip not an address", None, ["--vip", "198.18.0.300"], None,
         "--vip"),
        ("vip a word", None, ["--vip", "hello"], None, "--vip"),
        ("vip empty", None, ["--vip", ""], None, "--vip"),
        ("vip: 17 addresses (16 at most)", None, ["--vip", many], None,
         "--vip"),
        ("vip in the file, bad", None, cf, "[listen]\nvip = 1.2.3\n",
         "vip"),
        ("port 0", None, ["--ports", "0"], None, "--ports"),
        ("port 65536", None, ["--ports", "65536"], None, "--ports"),
        ("port range reversed", None, ["--ports", "90-80"], None,
         "--ports"),
        ("port with junk", None, ["--ports", "80x"], None, "--ports"),
        ("port negative", None, ["--ports", "-1"], None, "--ports"),
        ("ports in the file, 70000", None, cf,
         "[listen]\nports = 80, 70000\n", "ports"),
        # --- [cookie]
        ("key too short (file)", None, cf, "[cookie]\nkey = abc\n", "key"),
        ("key not hex (file)", None, cf,
         "[cookie]\nkey = " + "g" * 32 + "\n", "key"),
        ("key too long (file)", None, cf,
         "[cookie]\nkey = " + GOOD_KEY + "00\n", "key"),
        ("previous_key bad (file)", None, cf,
         f"[cookie]\nkey = {GOOD_KEY}\nprevious_key = xyz\n",
         "previous_key"),
        # keys never on the command line (/proc shows it to every user)
        ("--key (removed)", None, ["--key", GOOD_KEY], None,
         "--key: removed"),
        ("--previous-key (removed)", None, ["--previous-key", GOOD_KEY],
         None, "--previous-key: removed"),
        # a file holding a key, readable by group or others; key files
        ("config holding a key, mode 0644", None, cf,
         {"bad.ini": (f"[cookie]\nkey = {GOOD_KEY}\n", 0o644)},
         "holds a key, readable by other users (mode 0644): chmod 600"),
        ("key_file mode 0644", None, cf,
         {"bad.ini": (f"[cookie]\nkey_file = {kf}\n", 0o644),
          "k.key": (GOOD_KEY + "\n", 0o644)},
         f"key_file {kf}: readable by other users (mode 0644): chmod 600 "
         f"{kf}"),
        ("key_file mode 0640 (--key-file)", None, ["--key-file", kf],
         {"k.key": (GOOD_KEY + "\n", 0o640)}, "(mode 0640)"),
        ("key and key_file together", None, cf,
         {"bad.ini": (f"[cookie]\nkey = {GOOD_KEY}\nkey_file = {kf}\n",
                      0o600), "k.key": (GOOD_KEY + "\n", 0o600)},
         "key_file: given with key"),
        ("key_file of 3 lines", None, ["--key-file", kf],
         {"k.key": ((GOOD_KEY + "\n") * 3, 0o600)},
         "line 3: more than two lines"),
        ("key_file with a blank line", None, ["--key-file", kf],
         {"k.key": (GOOD_KEY + "\n\n" + GOOD_KEY + "\n", 0o600)},
         "line 2: blank"),
        ("key_file empty", None, ["--key-file", kf], {"k.key": ("", 0o600)},
         f"key_file {kf}: empty"),
        ("key_file bad hex", None, ["--key-file", kf],
         {"k.key": ("g" * 32 + "\n", 0o600)}, "line 1: not 32 hex digits"),
        ("key_file missing", None,
         ["--key-file", os.path.join(tmp, "none.key")], None,
         "none.key: cannot open"),
        # --- file structure
        ("unknown key", None, cf, "[tcp]\nfoo = 1\n", "foo"),
        ("unknown section", None, cf, "[bogus]\na = 1\n", "bogus"),
        ("line without '='", None, cf, "[tcp]\ngarbage\n", "garbage"),
        ("key outside any section", None, cf, "mss_max = 1460\n",
         "mss_max"),
        ("missing file", None, ["--config", os.path.join(tmp, "none.ini")],
         None, "none.ini"),
        ("config is a directory", None, ["--config", tmp], None, tmp),
        # --- [tcp] [policy] [conn] [handoff] [stats] [port] [test]
        ("mss_max 100", None, ["--mss-max", "100"], None, "--mss-max"),
        ("mss_max 9001", None, ["--mss-max", "9001"], None, "--mss-max"),
        ("wscale 15", None, ["--wscale", "15"], None, "--wscale"),
        ("timestamps maybe", None, ["--timestamps", "maybe"], None,
         "--timestamps"),
        ("window 0", None, ["--window", "0"], None, "--window"),
        ("closed_port bounce", None, ["--closed-port", "bounce"], None,
         "--closed-port"),
        ("rst_rate negative", None, ["--rst-rate", "-5"], None,
         "--rst-rate"),
        ("entries_per_lcore 0", None, ["--entries-per-lcore", "0"], None,
         "--entries-per-lcore"),
        ("idle_timeout 0", None, ["--idle-timeout", "0"], None,
         "--idle-timeout"),
        ("ring_size 0", None, ["--ring-size", "0"], None, "--ring-size"),
        ("ring_size 100 (not a power of two)", None,
         ["--ring-size", "100"], None, "--ring-size"),
        ("ring_size 0 (file)", None, cf, "[handoff]\nring_size = 0\n",
         "ring_size"),
        ("consumer foo", None, ["--consumer", "foo"], None, "--consumer"),
        ("stats period 3601", None, ["--stats-period", "3601"], None,
         "--stats-period"),
        ("rx_desc 0", None, ["--rx-desc", "0"], None, "--rx-desc"),
        ("mtu 100", None, ["--mtu", "100"], None, "--mtu"),
        ("number with spaces inside", None, ["--mtu", "15 00"], None,
         "--mtu"),
        ("number overflowing 64 bits", None,
         ["--rst-rate", "99999999999999999999999"], None, "--rst-rate"),
        ("test clock offset negative", None,
         ["--test-clock-offset", "-64"], None, "--test-clock-offset"),
        # --- options
        ("unknown option", None, ["--bogus"], None, "--bogus"),
        ("unknown short option", None, ["-z"], None, "-z"),
        ("option without its value", None, ["--vip"], None, "--vip"),
        ("stray argument", None, ["extra"], None, "extra"),
        # --- past the configuration: EAL, lcores, ports, files
        ("worker lcore without a port", ["-l", "0,1"], [], None,
         "no DPDK port"),
        ("no worker lcore", ["-l", "0", "--vdev=net_null0"], [], None,
         "no worker lcore"),
        ("log_file in a missing directory",
         ["-l", "0,1", "--vdev=net_null0"],
         ["--consumer", "log", "--log-file",
          os.path.join(tmp, "no", "such", "events.jsonl")], None,
         "log_file"),
        ("bad EAL option (EAL does not name it)", ["-l", "0,1", "--bogus-eal"], [], None,
         "EAL arguments"),
    ]


def run_row(binary, tmp, row, n):
    name, eal, app, text, needle = row
    if isinstance(text, str):
        text = {"bad.ini": (text, 0o600)}
    for fname, (content, mode) in (text or {}).items():
        with open(os.path.join(tmp, fname), "w") as fh:
            fh.write(content)
        os.chmod(os.path.join(tmp, fname), mode)
    cwd = os.path.join(tmp, f"cwd{n}")
    os.mkdir(cwd)
    prefix = f"sfit_badcfg_{os.getpid()}_{n}"
    cmd = ([binary] + (eal if eal is not None else ["-l", "0,1"]) +
           ["--no-huge", "-m", "128", "--no-pci", "--file-prefix", prefix,
            "--log-level", "lib.eal:error", "--"] + app)
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=30)
    finally:
        shutil.rmtree(f"/var/run/dpdk/{prefix}", ignore_errors=True)
    errl = [l for l in p.stderr.splitlines() if l.strip()]
    outl = [l for l in p.stdout.splitlines() if l.strip()]
    named = [l for l in errl if needle in l]
    cores = [c for c in os.listdir(cwd) if c.startswith("core")]
    fails = []
    if p.returncode < 0:
        fails.append(f"killed by {signal.Signals(-p.returncode).name}")
    elif p.returncode != 2:
        fails.append(f"exit {p.returncode}, expected 2")
    if cores:
        fails.append(f"core files {cores}")
    if len(named) != 1:
        fails.append(f"{len(named)} stderr lines name '{needle}', "
                     f"expected 1")
    if eal is None and len(errl) + len(outl) != 1:
        fails.append(f"{len(errl) + len(outl)} lines of output, expected 1")
    shown = named[0] if named else (errl[-1] if errl else "(no stderr)")
    log(f"{'ok  ' if not fails else 'FAIL'} {name}: exit {p.returncode}: "
        f"{shown}")
    for f in fails:
        log(f"       {f}")
    return fails


def test(args, sfs):
    binary = os.path.abspath(args[0])
    tmp = tempfile.mkdtemp(prefix="sfit-badcfg-")
    try:
        table = rows(tmp)
        failed = [r[0] for n, r in enumerate(table)
                  if run_row(binary, tmp, r, n)]
        expect(not failed, f"{len(table)} bad configurations: exit 2, one "
               f"line naming it, no crash", "all",
               f"{len(table) - len(failed)} of {len(table)}" +
               (f"; failed: {failed}" if failed else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sfit.main(test)
