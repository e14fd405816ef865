// SPDX-License-Identifier: BSD-3-Clause
/*
 * xdp_cpumap: hand every frame of an interface to another CPU.
 *
 * bench/compare.sh attaches it to a veth end so that the kernel's stack
 * work for that end (skb, IP, TCP, SYN cookies, SYNPROXY) runs on the CPU
 * written in cpu_sel[0], through that CPU's cpumap entry (set by the
 * script: queue size, no second program). The redirect falls back to
 * XDP_PASS (the stack on this CPU) when the entry is missing.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpu_sel SEC(".maps");

SEC("xdp")
int xdp_cpumap(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *cpu = bpf_map_lookup_elem(&cpu_sel, &zero);

	(void)ctx;
	if (cpu == NULL)
		return XDP_PASS;
	return bpf_redirect_map(&cpu_map, *cpu, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
