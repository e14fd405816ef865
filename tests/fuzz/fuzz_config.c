/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * libFuzzer harness for lib/config: no crash, hang or broken invariant on
 * any INI file or command line.
 *
 * The first byte selects the mode:
 *   2 (mod 4)  the rest is a key file ([cookie] key_file), given to
 *         sf_keyfile_parse() and the result to sf_keys_roll();
 *   other even  the rest is an INI file, loaded with sf_config_load() over the
 *         defaults (through an unlinked temporary file, reopened by its
 *         /proc/self/fd path so that nothing is left behind);
 *   odd   the rest is a command line: arguments separated by NUL bytes (at
 *         most FUZZ_MAX_ARGS), after "synfront", given to
 *         sf_config_from_args().
 *
 * Invariants (a broken one traps):
 *   - the return value is one of the documented ones;
 *   - on error the message is non-empty, NUL-terminated within
 *     SF_CONFIG_ERR_LEN and one line, and sf_config_load() left the
 *     configuration as it was;
 *   - on success the lists are within their bounds, every port is non-zero,
 *     every VIP has a family and formats (sf_vip_str) to text that parses
 *     back to the same address; when sf_config_validate() accepts the
 *     configuration (always, after sf_config_from_args() returned 0)
 *     ring_size is a power of two and there is a VIP and a port;
 *   - sf_config_foreach() reports every setting once, the last being
 *     config_file, each with a name, a known type and terminated texts,
 *     lists within their bounds, and never the key itself;
 *   - a key file: 0 with 1 or 2 keys, whose lines (blanks trimmed) are
 *     32 hex digits naming them, or -1 with a one-line reason; the roll
 *     signs with line 1 and keeps line 2 (else the running key) as the
 *     previous key.
 * Nothing here needs EAL: rte_cfgfile uses malloc and rte_log (stderr).
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "sf_config.h"
#include "sf_keyfile.h"
#include "sf_net.h"

#define FUZZ_MAX_INPUT	(64 * 1024)
#define FUZZ_MAX_ARGS	64		/* after argv[0] */
#define FUZZ_MAX_FILE	(1024 * 1024)	/* largest --config file read */
#define ERR_FILL	0x5a		/* err[] before each call */
#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ini_fd = -1;
static char ini_path[64];
static bool verbose;	/* FUZZ_CONFIG_VERBOSE set: print each result */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };
	char tmpl[64];
	unsigned int i;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	verbose = getenv("FUZZ_CONFIG_VERBOSE") != NULL;
	/* --help prints the usage to stdout */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	for (i = 0; i < RTE_DIM(dirs) && ini_fd < 0; i++) {
		snprintf(tmpl, sizeof(tmpl), "%s/fuzz_config.XXXXXX", dirs[i]);
		ini_fd = mkstemp(tmpl);
	}
	if (ini_fd < 0)
		abort();
	unlink(tmpl);
	snprintf(ini_path, sizeof(ini_path), "/proc/self/fd/%d", ini_fd);
	return 0;
}

/* err[] after a failed call: a non-empty single line, terminated. */
static void
check_err(const char err[SF_CONFIG_ERR_LEN])
{
	const char *nul = memchr(err, '\0', SF_CONFIG_ERR_LEN);

	CHECK(nul != NULL);
	CHECK(nul != err);
	CHECK(memchr(err, '\n', (size_t)(nul - err)) == NULL);
}

static void
check_vip(const struct sf_vip *v)
{
	char buf[INET6_ADDRSTRLEN + 8];
	uint8_t back[16] = { 0 };
	const char *s;

	CHECK(v->family == SF_AF_INET || v->family == SF_AF_INET6);
	memset(buf, ERR_FILL, sizeof(buf));
	s = sf_vip_str(v, buf, INET6_ADDRSTRLEN);
	CHECK(s == buf);
	CHECK(memchr(buf, '\0', INET6_ADDRSTRLEN) != NULL);
	CHECK(inet_pton(v->family == SF_AF_INET ? AF_INET : AF_INET6, buf,
			back) == 1);
	CHECK(memcmp(back, v->addr, v->family == SF_AF_INET ? 4 : 16) == 0);
	/* a too small buffer is cut, still terminated */
	s = sf_vip_str(v, buf, 2);
	CHECK(buf[0] != '\0' && buf[1] == '\0');
	CHECK(sf_vip_str(v, buf, 0) == buf);
}

/* sf_config_foreach() callback: @p arg counts the calls. */
static int
check_value(const char *name, const struct sf_config_value *v, void *arg)
{
	unsigned int *calls = arg, i;

	CHECK(name != NULL && name[0] != '\0');
	CHECK(strcmp(name, "key") != 0 && strcmp(name, "previous_key") != 0);
	switch (v->type) {
	case SF_CONFIG_VAL_UINT:
		CHECK(v->num <= UINT32_MAX);
		break;
	case SF_CONFIG_VAL_BOOL:
		CHECK(v->num <= 1);
		break;
	case SF_CONFIG_VAL_STR:
		CHECK(v->str != NULL);
		CHECK(memchr(v->str, '\0', SF_CONFIG_PATH_LEN) != NULL);
		break;
	case SF_CONFIG_VAL_STR_LIST:
		CHECK(v->n <= SF_CONFIG_MAX_VIPS);
		for (i = 0; i < v->n; i++)
			CHECK(memchr(v->strs[i], '\0', INET6_ADDRSTRLEN) !=
			      NULL);
		break;
	case SF_CONFIG_VAL_UINT_LIST:
		CHECK(v->n <= SF_CONFIG_MAX_PORTS);
		for (i = 0; i < v->n; i++)
			CHECK(v->nums[i] >= 1 && v->nums[i] <= UINT16_MAX);
		break;
	default:
		CHECK(0);
	}
	(*calls)++;
	return strcmp(name, "config_file") == 0 ? -1 : 0;
}

/* A configuration one of the two entry points accepted. */
static void
check_cfg(const struct sf_config *cfg, bool validated)
{
	char err[SF_CONFIG_ERR_LEN];
	unsigned int i, calls;
	int ret;

	CHECK(cfg->n_vips <= SF_CONFIG_MAX_VIPS);
	CHECK(cfg->n_ports <= SF_CONFIG_MAX_PORTS);
	for (i = 0; i < cfg->n_vips; i++)
		check_vip(&cfg->vips[i]);
	for (i = 0; i < cfg->n_ports; i++)
		CHECK(cfg->ports[i] != 0);
	CHECK(memchr(cfg->log_file, '\0', sizeof(cfg->log_file)) != NULL);
	CHECK(memchr(cfg->config_file, '\0', sizeof(cfg->config_file)) != NULL);
	CHECK(!cfg->keys.has_prev || cfg->keys.has_prev == 1);
	calls = 0;
	CHECK(sf_config_foreach(cfg, check_value, &calls) == -1);
	CHECK(calls > 0);

	memset(err, ERR_FILL, sizeof(err));
	ret = sf_config_validate(cfg, err);
	CHECK(ret == 0 || ret == -1);
	CHECK(!validated || ret == 0);
	if (ret == 0) {
		CHECK(cfg->n_vips >= 1 && cfg->n_ports >= 1);
		CHECK(rte_is_power_of_2(cfg->ring_size));
		CHECK(cfg->consumer == SF_CONSUMER_SINK ||
		      cfg->consumer == SF_CONSUMER_LOG ||
		      cfg->consumer == SF_CONSUMER_NONE);
		CHECK(!cfg->keys.has_prev || cfg->key_set);
	} else {
		check_err(err);
	}
}

static void
fuzz_ini(const uint8_t *data, size_t size)
{
	char err[SF_CONFIG_ERR_LEN];
	struct sf_config cfg, before;
	int ret;

	if (ftruncate(ini_fd, 0) != 0 ||
	    (size > 0 && pwrite(ini_fd, data, size, 0) != (ssize_t)size))
		abort();
	sf_config_defaults(&cfg);
	before = cfg;
	memset(err, ERR_FILL, sizeof(err));
	ret = sf_config_load(&cfg, ini_path, err);
	if (verbose)
		fprintf(stderr, "ini: %d %.*s\n", ret, ret != 0 ?
			SF_CONFIG_ERR_LEN : 0, err);
	CHECK(ret == 0 || ret == -1);
	if (ret != 0) {
		check_err(err);
		/* "on error @p cfg is left as it was" */
		CHECK(memcmp(&cfg, &before, sizeof(cfg)) == 0);
		return;
	}
	check_cfg(&cfg, false);
}

/*
 * A value the command line may name as --config must be a small regular
 * file or not exist: a device (/dev/zero), FIFO or /proc file could block
 * or never end, which says nothing about the parser.
 */
static bool
path_ok(const char *s)
{
	struct stat st;

	if (stat(s, &st) != 0)
		return true;
	return S_ISDIR(st.st_mode) ||
		(S_ISREG(st.st_mode) && st.st_size > 0 &&
		 st.st_size <= FUZZ_MAX_FILE);
}

/*
 * Paths given to --config must not block the fuzzer (FIFOs, devices): see
 * path_ok(). A '\n' in a path is fine: error messages replace it.
 */
static bool
arg_ok(const char *a)
{
	const char *eq = strchr(a, '=');

	return path_ok(a) && (eq == NULL || path_ok(eq + 1));
}

static void
fuzz_args(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2];
	char err[SF_CONFIG_ERR_LEN];
	struct sf_config cfg;
	char *buf, *p, *end;
	int argc = 0, ret;

	/* exact-size copy: ASan sees a read past the last argument */
	buf = malloc(size + 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)(uintptr_t)"synfront";
	p = buf;
	end = buf + size;
	while (argc < FUZZ_MAX_ARGS + 1) {
		argv[argc++] = p;
		p += strlen(p);
		if (p == end)
			break;
		p++;	/* the separator */
	}
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++)
		if (!arg_ok(argv[i]))
			goto out;

	memset(&cfg, 0xa5, sizeof(cfg));
	memset(err, ERR_FILL, sizeof(err));
	ret = sf_config_from_args(&cfg, argc, argv, err);
	if (verbose)
		fprintf(stderr, "args: %d %.*s\n", ret, ret == -1 ?
			SF_CONFIG_ERR_LEN : 0, err);
	CHECK(ret == 0 || ret == 1 || ret == -1);
	if (ret == -1)
		check_err(err);
	else if (ret == 0)
		check_cfg(&cfg, true);
out:
	free(buf);
}

static bool
key_eq(const struct sf_siphash_key *a, const struct sf_siphash_key *b)
{
	return a->k0 == b->k0 && a->k1 == b->k1;
}

/* A key file's text: parse, check the verdict, roll over a running key. */
static void
fuzz_keyfile(const uint8_t *data, size_t size)
{
	static const struct sf_cookie_keys running = {
		.cur = { .k0 = 1, .k1 = 2 }, .prev = { .k0 = 3, .k1 = 4 },
		.has_prev = 1,
	};
	char reason[SF_KEYFILE_REASON_LEN];
	struct sf_cookie_keys out;
	struct sf_keyfile kf;
	int ret;

	memset(reason, ERR_FILL, sizeof(reason));
	ret = sf_keyfile_parse((const char *)data, size, &kf, reason,
			       sizeof(reason));
	if (verbose)
		fprintf(stderr, "keyfile: %d %s\n", ret, ret ? reason : "");
	if (ret != 0) {
		CHECK(ret == -1);
		CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
		CHECK(reason[0] != '\0' && strchr(reason, '\n') == NULL);
		return;
	}
	/* 32 hex digits a line, at most two lines and their blanks */
	CHECK(kf.n_keys == 1 || kf.n_keys == 2);
	CHECK(size >= 32 * kf.n_keys);
	sf_keys_roll(&running, &kf, &out);
	CHECK(key_eq(&out.cur, &kf.key));
	CHECK(out.has_prev == 1);
	if (kf.n_keys == 2)
		CHECK(key_eq(&out.prev, &kf.previous));
	else if (!key_eq(&kf.key, &running.cur))
		CHECK(key_eq(&out.prev, &running.cur));
	else
		CHECK(key_eq(&out.prev, &running.prev));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > FUZZ_MAX_INPUT)
		return 0;
	if ((data[0] & 3) == 2)
		fuzz_keyfile(data + 1, size - 1);
	else if ((data[0] & 1) == 0)
		fuzz_ini(data + 1, size - 1);
	else
		fuzz_args(data + 1, size - 1);
	return 0;
}
