#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench/compare.sh's report: medians of raw.csv per target and offered
load, written to summary.csv and README.md (the table, the ratios
synfront/kernel and synfront/SYNPROXY, the pipeline's I/O-free figures),
and plot.png (gnuplot: answered against offered, every target).

usage: report.py OUTDIR   (OUTDIR holds raw.csv, env.txt, pipeline.txt)
"""

import csv
import os
import statistics
import subprocess
import sys

NAMES = {
    "afxdp": "synfront, net_af_xdp",
    "afxdp_steer": "synfront, net_af_xdp + XDP steering",
    "afpacket": "synfront, net_af_packet",
    "kernel": "kernel, tcp_syncookies=2",
    "synproxy": "kernel + iptables SYNPROXY",
}
NUM = ["secs", "offered_mpps", "target_rx_mpps", "answered_mpps", "ratio",
       "cpu1_pct", "cpu0_pct", "cpu1_s_per_m", "sf_busy_s_per_m",
       "legit_ok", "legit_tried", "gen_handshakes", "gen_legit",
       "cpu1_kernel_pct", "cpu1_kernel_s_per_m"]
KERNEL_TARGETS = ("kernel", "synproxy")


def load_key(load):
    """Sort order of the loads: numbers, then max."""
    return float("inf") if load == "max" else float(load)


def median(rows, col):
    vals = [float(r[col]) for r in rows if (r.get(col) or "").strip()]
    return statistics.median(vals) if vals else None


def read_env(out):
    env = {}
    with open(os.path.join(out, "env.txt")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = v
    return env


def summarise(out):
    """{(target, load): {col: median}}, the targets in run order."""
    with open(os.path.join(out, "raw.csv")) as f:
        rows = list(csv.DictReader(f))
    groups, order = {}, []
    for r in rows:
        groups.setdefault((r["target"], r["load"]), []).append(r)
        if r["target"] not in order:
            order.append(r["target"])
    med = {}
    for key, rs in groups.items():
        med[key] = {c: median(rs, c) for c in NUM}
        med[key]["n"] = len(rs)
        med[key]["legit_ok_sum"] = sum(int(r["legit_ok"]) for r in rs)
        med[key]["legit_tried_sum"] = sum(int(r["legit_tried"]) for r in rs)
    return med, order


def fmt(v, spec=".3f"):
    return "-" if v is None else format(v, spec)


def table(med, order, loads):
    lines = [
        "| target | load | offered Mpps | target rx Mpps | answered Mpps "
        "| answer ratio | CPU 1 busy % | of which kernel % | CPU 0 busy % "
        "| CPU 1 s / M SYN-ACK | CPU s / M SYN-ACK, own | legit handshakes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for t in order:
        for l in loads:
            m = med.get((t, l))
            if m is None:
                continue
            parts = []
            if m["legit_tried_sum"]:
                parts.append(f"{m['legit_ok_sum']}/{m['legit_tried_sum']}")
            if m["gen_legit"]:
                parts.append(f"gen {fmt(m['gen_handshakes'], '.0f')}"
                             f"/{fmt(m['gen_legit'], '.0f')}")
            legit = "; ".join(parts) or "-"
            lines.append(
                f"| {NAMES.get(t, t)} | {l} | {fmt(m['offered_mpps'])} "
                f"| {fmt(m['target_rx_mpps'])} | {fmt(m['answered_mpps'])} "
                f"| {fmt(m['ratio'], '.3f')} | {fmt(m['cpu1_pct'], '.0f')} "
                f"| {fmt(m['cpu1_kernel_pct'], '.0f')} "
                f"| {fmt(m['cpu0_pct'], '.0f')} "
                f"| {fmt(m['cpu1_s_per_m'], '.2f')} "
                f"| {fmt(cpu_per_m(t, m), '.2f')} | {legit} |")
    return lines


def cpu_per_m(t, m):
    """CPU seconds per million SYN-ACKs: synfront's busy accounting; for
    the kernel targets CPU 1's system, irq and softirq time."""
    if t in KERNEL_TARGETS:
        return m["cpu1_kernel_s_per_m"]
    return m["sf_busy_s_per_m"] or m["cpu1_s_per_m"]


def ratio_row(label, sf, m, kms):
    """One row: synfront's point m against the kernel targets' points kms
    (kernel, SYNPROXY); a ratio of answered rates is starred where the
    offered rates differ by more than 10 %."""
    cells = []
    for km in kms:
        if km is None or not km["answered_mpps"]:
            cells.append("-")
            continue
        star = ""
        if abs(m["offered_mpps"] - km["offered_mpps"]) > \
                0.1 * max(m["offered_mpps"], km["offered_mpps"]):
            star = (f" (offered {m['offered_mpps']:.2f} vs "
                    f"{km['offered_mpps']:.2f})")
        cells.append(fmt(m["answered_mpps"] / km["answered_mpps"], ".2f")
                     + star)
    for k, km in zip(KERNEL_TARGETS, kms):
        cells.append("-" if km is None or not cpu_per_m(sf, m)
                     or not cpu_per_m(k, km)
                     else fmt(cpu_per_m(k, km) / cpu_per_m(sf, m), ".2f"))
    return f"| {label} | {NAMES[sf]} | " + " | ".join(cells) + " |"


def peak(med, t, loads):
    """The point of target t with the most SYN-ACKs answered."""
    pts = [med[(t, l)] for l in loads if (t, l) in med]
    return max(pts, key=lambda m: m["answered_mpps"] or 0) if pts else None


def ratio_lines(med, loads):
    """synfront over the kernel and SYNPROXY: answered SYN-ACKs and CPU
    per SYN-ACK at each load setting, and at each target's peak."""
    lines = ["| load | target | answered / kernel | answered / SYNPROXY "
             "| kernel CPU per SYN-ACK / synfront's "
             "| SYNPROXY CPU per SYN-ACK / synfront's |",
             "|---|---|---|---|---|---|"]
    for l in loads:
        for sf in ("afxdp", "afxdp_steer", "afpacket"):
            if (sf, l) in med:
                lines.append(ratio_row(l, sf, med[(sf, l)],
                                       [med.get(("kernel", l)),
                                        med.get(("synproxy", l))]))
    for sf in ("afxdp", "afxdp_steer", "afpacket"):
        m = peak(med, sf, loads)
        if m is not None:
            lines.append(ratio_row("each one's peak", sf, m,
                                   [peak(med, "kernel", loads),
                                    peak(med, "synproxy", loads)]))
    return lines


def plot(out, med, order, loads):
    """plot.png with gnuplot: one line per target, and answered = offered."""
    series = []
    for t in order:
        path = os.path.join(out, f"plot-{t}.dat")
        with open(path, "w") as f:
            f.write("# offered_mpps answered_mpps (medians)\n")
            pts = sorted((med[(t, l)]["offered_mpps"],
                          med[(t, l)]["answered_mpps"])
                         for l in loads if (t, l) in med
                         and med[(t, l)]["offered_mpps"] is not None)
            for offered, answered in pts:
                f.write(f"{offered:.4f} {answered:.4f}\n")
        series.append(f"'{path}' using 1:2 with linespoints lw 2 pt 7 "
                      f"title '{NAMES.get(t, t)}'")
    top = max([m["offered_mpps"] or 0 for m in med.values()] + [0.1]) * 1.1
    script = "\n".join([
        "set terminal pngcairo size 900,600 font 'sans,11' noenhanced",
        f"set output '{os.path.join(out, 'plot.png')}'",
        "set title 'SYN flood over a veth pair: SYN-ACKs answered "
        "(medians)'",
        "set xlabel 'offered SYNs (Mpps, measured on the generator end)'",
        "set ylabel 'answered SYN-ACKs (Mpps)'",
        f"set xrange [0:{top:.3f}]", f"set yrange [0:{top:.3f}]",
        "set key top left", "set grid",
        "plot x with lines dt 2 lc rgb 'gray' title 'answered = offered', "
        + ", ".join(series), ""])
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    for t in order:
        os.unlink(os.path.join(out, f"plot-{t}.dat"))


def write_summary(out, med, order, loads):
    with open(os.path.join(out, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["target", "load", "runs"] + NUM)
        for t in order:
            for l in loads:
                m = med.get((t, l))
                if m:
                    w.writerow([t, l, m["n"]] +
                               ["" if m[c] is None else f"{m[c]:.4f}"
                                for c in NUM])


def pipeline_lines(out):
    path = os.path.join(out, "pipeline.txt")
    if not os.path.exists(path):
        return ["(not run)"]
    with open(path) as f:
        keep = [l.rstrip() for l in f if " Mpps " in l]
    return ["    " + l for l in keep] or ["(no figures: see pipeline.txt)"]


def main():
    out = sys.argv[1]
    env = read_env(out)
    med, order = summarise(out)
    loads = sorted({l for _, l in med}, key=load_key)
    write_summary(out, med, order, loads)
    plot(out, med, order, loads)
    doc = [
        f"# SYN-flood absorption: synfront and the kernel, "
        f"{env.get('date', '')}", "",
        "Made by `bench/compare.sh` (see bench/README.md): a veth pair, the "
        "generator in a namespace on CPU 0, the target's packet work on "
        "CPU 1; every figure a median of "
        f"{env.get('reps')} runs of {env.get('secs')} s.", "",
        "| machine | kernel | DPDK | synfront | generator "
        "| before the run: load, busy |",
        "|---|---|---|---|---|---|",
        f"| {env.get('cpu')}, {env.get('cpus')} CPUs | {env.get('kernel')} "
        f"| {env.get('dpdk')} | {env.get('synfront')} "
        f"| {env.get('generator')} | {env.get('loadavg', '-')}; "
        f"{env.get('busy_before', '-')} |", "",
        "## Per target and offered load", ""]
    doc += table(med, order, loads)
    doc += ["",
            "- load: the generator's setting in Mpps (max: flat out); "
            "offered: SYNs that left the generator's veth end; target rx: "
            "what the target's end received; answered: SYN-ACKs that came "
            "back (less the legitimate flows' packets); answer ratio: "
            "answered / offered.",
            "- CPU 1 busy: non-idle time of CPU 1 from /proc/stat (other "
            "work on the machine included; for synfront a polling lcore is "
            "100 % busy by construction); CPU 1 s / M SYN-ACK: that time "
            "per million answered. Own: what the target itself spent per "
            "million answered: for synfront the worker's busy accounting "
            "(busy_tsc of /synfront/lcores: loop turns that did work, the "
            "kernel's transmit path inside its sendto() included); for the "
            "kernel targets CPU 1's system, irq and softirq time (the "
            "cpumap thread, the stack, the transmit), without user time "
            "(the listener's accept loop, and other processes). Of which "
            "kernel: CPU 1's system, irq and softirq share; for synfront "
            "the part of its polling core spent in the kernel's AF_XDP or "
            "AF_PACKET and veth paths.",
            "- CPU 0 busy near 100 %: the generator and the veth's transmit "
            "path share CPU 0, so the offered rate is capped there.",
            "- legit handshakes: with trafgen, connect() calls from the "
            "generator's namespace during the flood that completed within "
            "0.5 s, summed over the runs; gen: sf-synflood's handshakes "
            "completed (ACKs sent for valid SYN-ACKs of its legitimate "
            "flows) / about 0.1 % of the SYNs sent (legitimate by a hash of "
            "the flow), medians.", "",
            "## Ratios, synfront over the kernel's targets", ""]
    doc += ratio_lines(med, loads)
    doc += ["",
            "CPU per SYN-ACK: the own figures of the table above. Peak: the load at which each target "
            "answered most."]
    doc += ["", "![answered against offered](plot.png)", "",
            "## The I/O-free pipeline, same build (sf-bench-pipeline -l 1)",
            ""]
    doc += pipeline_lines(out)
    doc += [""]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(doc))


if __name__ == "__main__":
    main()
