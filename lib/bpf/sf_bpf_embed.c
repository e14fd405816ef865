/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The steering program built into synfront (steer.bpf.o as bytes, made by
 * embed.py) handed to the net_af_xdp PMD: a memory file whose
 * /proc/self/fd path becomes the xdp_prog= devarg of every net_af_xdp
 * --vdev that has none. The object always matches the binary; nothing is
 * installed or left on disk.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>	/* memfd_create(): _GNU_SOURCE, set by meson */
#include <unistd.h>

#include "sf_bpf.h"

/* steer_obj.c, generated */
extern const unsigned char sf_steer_obj[];
extern const size_t sf_steer_obj_len;

#define PROG_ARG	"xdp_prog="

/* Driver names of the PMD (its name and its alias). */
static const char *const af_xdp_drivers[] = { "net_af_xdp", "eth_af_xdp" };

int
sf_bpf_obj_file(char *path, size_t len)
{
	size_t off = 0;
	int fd, n;

	fd = memfd_create("sf_steer.bpf.o", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off < sf_steer_obj_len) {
		ssize_t w = write(fd, sf_steer_obj + off,
				  sf_steer_obj_len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? -errno : -EIO;

			close(fd);
			return e;
		}
		off += (size_t)w;
	}
	n = snprintf(path, len, "/proc/self/fd/%d", fd);
	if (n < 0 || (size_t)n >= len) {
		close(fd);
		return -ENOSPC;
	}
	return fd;
}

/* Whether a --vdev value names a net_af_xdp device. */
static bool
is_af_xdp(const char *vdev)
{
	unsigned int i;

	for (i = 0; i < sizeof(af_xdp_drivers) / sizeof(af_xdp_drivers[0]);
	     i++)
		if (strncmp(vdev, af_xdp_drivers[i],
			    strlen(af_xdp_drivers[i])) == 0)
			return true;
	return false;
}

/* Whether the devargs (after the name) already give xdp_prog=. */
static bool
has_prog(const char *vdev)
{
	const char *p = strchr(vdev, ',');

	while (p != NULL) {
		p++;
		if (strncmp(p, PROG_ARG, strlen(PROG_ARG)) == 0)
			return true;
		p = strchr(p, ',');
	}
	return false;
}

int
sf_bpf_vdev_steer(const char *vdev, const char *prog, char *out, size_t len)
{
	int n;

	if (vdev == NULL || prog == NULL || !is_af_xdp(vdev) ||
	    has_prog(vdev))
		return 0;
	n = snprintf(out, len, "%s,%s%s", vdev, PROG_ARG, prog);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 1;
}

int
sf_bpf_vdev_is_af_xdp(const char *vdev)
{
	return vdev != NULL && is_af_xdp(vdev);
}
