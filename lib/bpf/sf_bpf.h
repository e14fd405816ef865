/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_BPF_H
#define SF_BPF_H

/**
 * @file
 * Loader of the XDP steering program (steer.bpf.o, see sf_steer.h) with
 * libbpf: open and load the object, fill its VIP and port maps, give the
 * program's and the XSKMAP's descriptors, read its per-CPU counters
 * summed over the CPUs. Init-time only: every call may allocate or make
 * system calls.
 *
 * Attaching is not done here: the net_af_xdp PMD loads and attaches the
 * object itself (xdp_prog= devarg), so synfront then takes the program
 * attached to the port's interface (sf_bpf_from_ifindex()) and fills its
 * maps; sf_bpf_detach() removes a leftover program before the port
 * starts and the program on exit.
 */

#include <stddef.h>
#include <stdint.h>

#include "sf_steer.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Put the steering program built into synfront (steer.bpf.o) in a memory
 * file, for the PMD's xdp_prog= devarg.
 *
 * @param path  receives the file's path, /proc/self/fd/<fd>
 * @param len   size of path
 * @return the descriptor (keep it open until the ports are set up), or a
 *   negative errno (-ENOSPC: path too small).
 */
int
sf_bpf_obj_file(char *path, size_t len);

/**
 * @param vdev  an EAL --vdev value ("net_af_xdp0,iface=eth1,...")
 * @return 1 when it names a net_af_xdp device (or its alias eth_af_xdp),
 *   else 0.
 */
int
sf_bpf_vdev_is_af_xdp(const char *vdev);

/**
 * Add xdp_prog=<prog> to an EAL --vdev value naming a net_af_xdp device
 * that does not give xdp_prog= itself (a program of the user's own is
 * kept).
 *
 * @param vdev  the --vdev value
 * @param prog  the program's path (sf_bpf_obj_file())
 * @param out   receives "<vdev>,xdp_prog=<prog>"
 * @param len   size of out
 * @return 1 written, 0 left alone (not net_af_xdp, or xdp_prog= already
 *   there; out untouched), -ENOSPC out too small.
 */
int
sf_bpf_vdev_steer(const char *vdev, const char *prog, char *out, size_t len);

/** A loaded steering program (opaque). */
struct sf_bpf;

/**
 * Open and load the steering program's object file.
 *
 * @param path  the object file (steer.bpf.o)
 * @param err   receives a negative errno on failure; may be NULL
 * @return the program, or NULL (*err: -ENOENT no such file or no map or
 *   program of the expected name, -EPERM/-EINVAL the kernel refused it,
 *   -ENOMEM).
 */
struct sf_bpf *
sf_bpf_open(const char *path, int *err);

/**
 * Take the steering program attached to an interface (any XDP mode) and
 * its maps, to fill and read them.
 *
 * @param ifindex  the interface
 * @param err      receives a negative errno on failure; may be NULL
 * @return the program, or NULL (*err: -ENOENT nothing attached, or not
 *   the steering program (name SF_STEER_PROG and its maps), -EPERM,
 *   -ENOMEM).
 */
struct sf_bpf *
sf_bpf_from_ifindex(int ifindex, int *err);

/**
 * Detach every XDP program of an interface (driver, generic and
 * offloaded modes).
 *
 * @param ifindex  the interface
 * @return the number of programs detached (0: none was attached), or a
 *   negative errno of the query (-ENODEV no such interface).
 */
int
sf_bpf_detach(int ifindex);

/**
 * Close the object or the descriptors taken (a program attached to an
 * interface stays there). NULL is allowed.
 *
 * @param b  the program
 */
void
sf_bpf_close(struct sf_bpf *b);

/**
 * Make a VIP map key.
 *
 * @param k     the key, zeroed then filled
 * @param v6    0: IPv4 (4 bytes at addr), 1: IPv6 (16 bytes)
 * @param addr  the address, network order
 */
void
sf_bpf_addr(struct sf_steer_addr *k, int v6, const uint8_t *addr);

/**
 * Replace the VIPs and listening ports with these (the maps emptied
 * first).
 *
 * @param b        the program
 * @param vips     VIPs (sf_bpf_addr())
 * @param n_vips   how many, at most SF_STEER_VIPS_MAX
 * @param ports    listening TCP ports, host order
 * @param n_ports  how many, at most SF_STEER_PORTS_MAX
 * @return 0, or a negative errno (-E2BIG too many, or the map update's).
 */
int
sf_bpf_set_listen(struct sf_bpf *b, const struct sf_steer_addr *vips,
		  unsigned int n_vips, const uint16_t *ports,
		  unsigned int n_ports);

/**
 * @param b  the program
 * @return the program's descriptor (for bpf_xdp_attach(),
 *   bpf_prog_test_run_opts()).
 */
int
sf_bpf_prog_fd(const struct sf_bpf *b);

/**
 * @param b  the program
 * @return the XSKMAP's descriptor (RX queue -> AF_XDP socket).
 */
int
sf_bpf_xsks_fd(const struct sf_bpf *b);

/**
 * Read the counters, each summed over the possible CPUs; REDIRECTED and
 * PASSED are derived from the reasons (enum sf_steer_ctr).
 *
 * @param b    the program
 * @param out  receives SF_STEER_NB_CTRS values, enum sf_steer_ctr order
 * @return 0, or a negative errno of the map lookup.
 */
int
sf_bpf_counters(const struct sf_bpf *b, uint64_t out[SF_STEER_NB_CTRS]);

/**
 * @param c  a counter index
 * @return its name ("redirected", "passed", "tcp", ...), or NULL past the
 *   last.
 */
const char *
sf_bpf_counter_name(unsigned int c);

#ifdef __cplusplus
}
#endif

#endif /* SF_BPF_H */
