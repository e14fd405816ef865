/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/config: defaults, the example files of config/, tables
 * of bad files and bad options with the exact one-line error each gives,
 * command-line overrides, VIP/port/key parsing, validation, the usage text
 * and the defaults against the settings table (sf_config_priv.h), and
 * sf_config_foreach(). No EAL: rte_cfgfile works without it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "sf_config.h"
#include "sf_keyfile.h"
#include "private/sf_config_priv.h"

#ifndef SF_TEST_CONFIG_DIR
#error "SF_TEST_CONFIG_DIR (the source config/ directory) must be defined"
#endif

#define MAX_ARGS	12

static char tmpdir[] = "/tmp/sf_test_config.XXXXXX";
static char path_buf[SF_CONFIG_PATH_LEN];

/* Write @p text to tmpdir/name; returns the path (static buffer). */
static const char *
write_file(const char *name, const char *text)
{
	FILE *f;

	snprintf(path_buf, sizeof(path_buf), "%s/%s", tmpdir, name);
	f = fopen(path_buf, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	/* readable by its owner only, as a file holding a key must be */
	assert_int_equal(chmod(path_buf, 0600), 0);
	return path_buf;
}

static int
group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	static const char *const names[] = { "t.ini", "base.ini", "x.ini" };
	char p[SF_CONFIG_PATH_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(names); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, names[i]);
		unlink(p);
	}
	return rmdir(tmpdir);
}

/* Run sf_config_from_args on {"synfront", args..., NULL}. */
static int
run_args(struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN],
	 const char *const *args)
{
	char *argv[MAX_ARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)(uintptr_t)"synfront";
	while (argc <= MAX_ARGS && args[argc - 1] != NULL) {
		argv[argc] = (char *)(uintptr_t)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	err[0] = '\0';
	return sf_config_from_args(cfg, argc, argv, err);
}

static void
vip_of(struct sf_vip *v, const char *txt)
{
	memset(v, 0, sizeof(*v));
	if (strchr(txt, ':') != NULL) {
		v->family = SF_AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, txt, v->addr), 1);
	} else {
		v->family = SF_AF_INET;
		assert_int_equal(inet_pton(AF_INET, txt, v->addr), 1);
	}
}

/*
 * Defaults
 */

static void
test_defaults(void **state)
{
	struct sf_config cfg;
	struct sf_vip v;
	char err[SF_CONFIG_ERR_LEN];

	(void)state;
	memset(&cfg, 0xa5, sizeof(cfg));
	sf_config_defaults(&cfg);
	assert_int_equal(cfg.n_vips, 2);
	vip_of(&v, "198.18.0.2");
	assert_memory_equal(&cfg.vips[0], &v, sizeof(v));
	vip_of(&v, "2001:2::2");
	assert_memory_equal(&cfg.vips[1], &v, sizeof(v));
	assert_int_equal(cfg.n_ports, 1);
	assert_int_equal(cfg.ports[0], 80);
	assert_false(cfg.key_set);
	assert_int_equal(cfg.keys.has_prev, 0);
	assert_int_equal(cfg.mss_max, 1460);
	assert_int_equal(cfg.wscale, 7);
	assert_true(cfg.timestamps);
	assert_true(cfg.sack);
	assert_true(cfg.window_scaling);
	assert_int_equal(cfg.window, 65535);
	assert_true(cfg.closed_port_rst);
	assert_int_equal(cfg.rst_rate, 1000);
	assert_int_equal(cfg.challenge_ack_rate, 1000);
	assert_int_equal(cfg.challenge_ack_per_flow, 2);
	assert_int_equal(cfg.entries_per_lcore, 1048576);
	assert_int_equal(cfg.idle_timeout_s, 300);
	assert_int_equal(cfg.closed_rate, 10000);
	assert_int_equal(cfg.ring_size, 4096);
	assert_int_equal(cfg.consumer, SF_CONSUMER_SINK);
	assert_string_equal(cfg.log_file, "-");
	assert_int_equal(cfg.period_s, 1);
	assert_int_equal(cfg.rx_desc, 1024);
	assert_int_equal(cfg.tx_desc, 1024);
	assert_int_equal(cfg.mtu, 0);
	assert_false(cfg.promiscuous);
	assert_int_equal(cfg.xdp, SF_XDP_AUTO);
	assert_string_equal(cfg.config_file, "");
	assert_int_equal(sf_config_validate(&cfg, err), 0);
}

/* No arguments at all: the defaults, validated. */
static void
test_no_args(void **state)
{
	static const char *const none[] = { NULL };
	struct sf_config cfg, def;
	char err[SF_CONFIG_ERR_LEN];

	(void)state;
	assert_int_equal(run_args(&cfg, err, none), 0);
	sf_config_defaults(&def);
	assert_memory_equal(&cfg, &def, sizeof(cfg));
}

/*
 * Example files
 */

static void
load_example(const char *name, struct sf_config *cfg)
{
	char path[SF_CONFIG_PATH_LEN];
	char err[SF_CONFIG_ERR_LEN] = "";

	snprintf(path, sizeof(path), "%s/%s", SF_TEST_CONFIG_DIR, name);
	sf_config_defaults(cfg);
	if (sf_config_load(cfg, path, err) != 0)
		fail_msg("%s", err);
	if (sf_config_validate(cfg, err) != 0)
		fail_msg("%s: %s", name, err);
}

/* synfront.ini documents the defaults: only ports differ. */
static void
test_example_synfront(void **state)
{
	struct sf_config cfg, def;

	(void)state;
	load_example("synfront.ini", &cfg);
	sf_config_defaults(&def);
	def.ports[1] = 443;
	def.n_ports = 2;
	assert_memory_equal(&cfg, &def, sizeof(cfg));
}

/* The two-arm example: consumer = proxy, two backends, PROXY v2. */
static void
test_example_proxy(void **state)
{
	struct sf_config cfg;
	char s[SF_PROXY_ADDR_STR_LEN];

	(void)state;
	load_example("proxy.ini", &cfg);
	assert_int_equal(cfg.consumer, SF_CONSUMER_PROXY);
	assert_true(sf_config_reply_on(&cfg));
	assert_int_equal(cfg.n_backends, 2);
	assert_string_equal(sf_proxy_addr_str(&cfg.backends[0], s, sizeof(s)),
			    "198.18.2.2:8080");
	assert_string_equal(sf_proxy_addr_str(&cfg.backends[1], s, sizeof(s)),
			    "[2001:2:2::2]:8080");
	assert_int_equal(cfg.balance, SF_PROXY_RR);
	assert_int_equal(cfg.proxy_protocol, SF_PROXY_PP_V2);
	assert_int_equal(cfg.connect_timeout_ms, 3000);
	assert_int_equal(cfg.down_ms, 5000);
	assert_int_equal(cfg.fall, 3);
	assert_int_equal(cfg.proxy_max_conns, 65536);
	assert_int_equal(cfg.proxy_send_pool, 4095);
}

/* The [proxy] options, as a file would give them. */
static void
test_cli_proxy(void **state)
{
	static const char *const args[] = { "synfront", "--consumer", "proxy",
		"--backends", " [::1]:80 ,127.0.0.1:8080", "--balance",
		"source-hash", "--proxy-protocol", "v1",
		"--connect-timeout-ms", "250", "--down-ms", "0", "--fall", "1",
		"--max-conns", "1000", "--send-pool", "511", NULL };
	char *argv[RTE_DIM(args)];
	char err[SF_CONFIG_ERR_LEN] = "";
	struct sf_config cfg;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(args); i++)
		argv[i] = (char *)(uintptr_t)args[i];
	assert_int_equal(sf_config_from_args(&cfg, (int)RTE_DIM(args) - 1,
					     argv, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.consumer, SF_CONSUMER_PROXY);
	assert_int_equal(cfg.n_backends, 2);
	assert_int_equal(cfg.backends[0].family, SF_AF_INET6);
	assert_int_equal(cfg.backends[0].port, 80);
	assert_int_equal(cfg.backends[1].port, 8080);
	assert_int_equal(cfg.balance, SF_PROXY_SRC_HASH);
	assert_int_equal(cfg.proxy_protocol, SF_PROXY_PP_V1);
	assert_int_equal(cfg.connect_timeout_ms, 250);
	assert_int_equal(cfg.down_ms, 0);
	assert_int_equal(cfg.fall, 1);
	assert_int_equal(cfg.proxy_max_conns, 1000);
	assert_int_equal(cfg.proxy_send_pool, 511);
}

static void
test_example_af_xdp(void **state)
{
	static const uint16_t ports[] = { 80, 443, 8000, 8001, 8002, 8003 };
	struct sf_config cfg;
	unsigned int i;

	(void)state;
	load_example("af_xdp.ini", &cfg);
	assert_int_equal(cfg.n_vips, 2);
	assert_int_equal(cfg.n_ports, RTE_DIM(ports));
	for (i = 0; i < RTE_DIM(ports); i++)
		assert_int_equal(cfg.ports[i], ports[i]);
	assert_int_equal(cfg.entries_per_lcore, 262144);
	assert_false(cfg.key_set);
}

static void
test_example_pci(void **state)
{
	struct sf_config cfg;
	struct sf_vip v;

	(void)state;
	load_example("pci.ini", &cfg);
	assert_int_equal(cfg.n_vips, 4);
	vip_of(&v, "2001:2::3");
	assert_memory_equal(&cfg.vips[3], &v, sizeof(v));
	/* the fleet's keys come from a file, never from the example */
	assert_false(cfg.key_set);
	assert_int_equal(cfg.keys.has_prev, 0);
	assert_string_equal(cfg.key_file, "/etc/synfront/fleet.key");
	assert_int_equal(cfg.entries_per_lcore, 4194304);
	assert_int_equal(cfg.ring_size, 65536);
	assert_int_equal(cfg.consumer, SF_CONSUMER_NONE);
	assert_int_equal(cfg.rst_rate, 10000);
	assert_int_equal(cfg.rx_desc, 4096);
	assert_int_equal(cfg.mtu, 1500);
}

/*
 * Files that load, with what they set
 */

static void
test_good_files(void **state)
{
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	const char *p;

	(void)state;
	/* comments, blanks, CRLF, case-insensitive booleans */
	p = write_file("t.ini",
		"; comment\r\n\r\n  [ tcp ]  \r\n"
		"wscale = 3 ; trailing comment\r\n"
		"timestamps = OFF\r\nsack = no\r\nwindow_scaling = False\r\n"
		"[port]\npromiscuous = 1\nmtu = 9600\nxdp = whole\n"
		"[policy]\nclosed_port = drop\nrst_rate = 0\n"
		"challenge_ack_per_flow = 0\n"
		"[handoff]\nconsumer = log\nlog_file = /tmp/sf events.json\n"
		"[stats]\nperiod_s = 0\n");
	sf_config_defaults(&cfg);
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.wscale, 3);
	assert_false(cfg.timestamps);
	assert_false(cfg.sack);
	assert_false(cfg.window_scaling);
	assert_true(cfg.promiscuous);
	assert_int_equal(cfg.mtu, 9600);
	assert_int_equal(cfg.xdp, SF_XDP_WHOLE);
	assert_false(cfg.closed_port_rst);
	assert_int_equal(cfg.rst_rate, 0);
	assert_int_equal(cfg.challenge_ack_per_flow, 0);
	assert_int_equal(cfg.consumer, SF_CONSUMER_LOG);
	assert_string_equal(cfg.log_file, "/tmp/sf events.json");
	assert_int_equal(cfg.period_s, 0);
	/* untouched keys keep their value */
	assert_int_equal(cfg.mss_max, 1460);
	assert_int_equal(cfg.n_ports, 1);

	/* an empty file changes nothing; empty sections are fine */
	p = write_file("t.ini", "[tcp]\n[listen]\n");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.wscale, 3);

	/* range limits are inclusive */
	p = write_file("t.ini",
		"[tcp]\nmss_max = 9000\nwscale = 0\nwindow = 1\n"
		"[conn]\nentries_per_lcore = 67108864\nidle_timeout_s = 86400\n"
		"closed_rate = 1000000\n"
		"[handoff]\nring_size = 1048576\n"
		"[port]\nrx_desc = 32\ntx_desc = 16384\nmtu = 576\n");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.mss_max, 9000);
	assert_int_equal(cfg.wscale, 0);
	assert_int_equal(cfg.window, 1);
	assert_int_equal(cfg.entries_per_lcore, 1u << 26);
	assert_int_equal(cfg.idle_timeout_s, 86400);
	assert_int_equal(cfg.closed_rate, 1000000);
	assert_int_equal(cfg.ring_size, 1u << 20);
	assert_int_equal(cfg.rx_desc, 32);
	assert_int_equal(cfg.tx_desc, 16384);
	assert_int_equal(cfg.mtu, 576);
	assert_int_equal(sf_config_validate(&cfg, err), 0);
}

/*
 * Bad files: the exact error line (after "PATH").
 */

struct bad_file {
	const char *text;
	const char *err;	/* expected, after the file's path */
};

static const struct bad_file bad_files[] = {
	/* numbers: strict */
	{ "[tcp]\nwscale = 15\n", ": [tcp] wscale: '15' is out of range 0..14" },
	{ "[tcp]\nwscale = -1\n", ": [tcp] wscale: '-1' is not a number" },
	{ "[tcp]\nwscale = +1\n", ": [tcp] wscale: '+1' is not a number" },
	{ "[tcp]\nwscale = 1x\n", ": [tcp] wscale: '1x' is not a number" },
	{ "[tcp]\nwscale = 0x1\n", ": [tcp] wscale: '0x1' is not a number" },
	{ "[tcp]\nwscale = 7 7\n", ": [tcp] wscale: '7 7' is not a number" },
	{ "[tcp]\nwscale = 99999999999999999999999\n",
	  ": [tcp] wscale: '99999999999999999999999' is out of range 0..14" },
	{ "[tcp]\nmss_max = 535\n",
	  ": [tcp] mss_max: '535' is out of range 536..9000" },
	{ "[tcp]\nmss_max = 9001\n",
	  ": [tcp] mss_max: '9001' is out of range 536..9000" },
	{ "[tcp]\nwindow = 0\n", ": [tcp] window: '0' is out of range 1..65535" },
	{ "[tcp]\nwindow = 65536\n",
	  ": [tcp] window: '65536' is out of range 1..65535" },
	{ "[tcp]\ntimestamps = maybe\n",
	  ": [tcp] timestamps: 'maybe' is not on/off (yes/no, true/false, 1/0)" },
	{ "[tcp]\nsack = 2\n",
	  ": [tcp] sack: '2' is not on/off (yes/no, true/false, 1/0)" },
	{ "[policy]\nclosed_port = reset\n",
	  ": [policy] closed_port: 'reset' is not one of rst|drop" },
	{ "[policy]\nclosed_port = RST\n",
	  ": [policy] closed_port: 'RST' is not one of rst|drop" },
	{ "[policy]\nrst_rate = 10000001\n",
	  ": [policy] rst_rate: '10000001' is out of range 0..10000000" },
	{ "[policy]\nchallenge_ack_rate = 10000001\n",
	  ": [policy] challenge_ack_rate: '10000001' is out of range 0..10000000" },
	{ "[policy]\nchallenge_ack_per_flow = 1001\n",
	  ": [policy] challenge_ack_per_flow: '1001' is out of range 0..1000" },
	{ "[conn]\nentries_per_lcore = 63\n",
	  ": [conn] entries_per_lcore: '63' is out of range 64..67108864" },
	{ "[conn]\nentries_per_lcore = 67108865\n",
	  ": [conn] entries_per_lcore: '67108865' is out of range 64..67108864" },
	{ "[conn]\nidle_timeout_s = 0\n",
	  ": [conn] idle_timeout_s: '0' is out of range 1..86400" },
	{ "[conn]\nclosed_rate = 1000001\n",
	  ": [conn] closed_rate: '1000001' is out of range 0..1000000" },
	{ "[handoff]\nring_size = 1000\n",
	  ": [handoff] ring_size: '1000' is not a power of two" },
	{ "[handoff]\nring_size = 32\n",
	  ": [handoff] ring_size: '32' is out of range 64..1048576" },
	{ "[handoff]\nring_size = 2097152\n",
	  ": [handoff] ring_size: '2097152' is out of range 64..1048576" },
	{ "[handoff]\nconsumer = kafka\n",
	  ": [handoff] consumer: 'kafka' is not one of sink|log|none|proxy" },
	{ "[stats]\nperiod_s = 3601\n",
	  ": [stats] period_s: '3601' is out of range 0..3600" },
	{ "[proxy]\nbackends = 198.18.2.2\n",
	  ": [proxy] backends: '198.18.2.2' has no ':PORT'" },
	{ "[proxy]\nbackends = 198.18.2.2:8080, 2001:2:2::2:8080\n",
	  ": [proxy] backends: '2001:2:2::2:8080' is an IPv6 address without brackets ([ADDR]:PORT)" },
	{ "[proxy]\nbalance = random\n",
	  ": [proxy] balance: 'random' is not one of round-robin|source-hash" },
	{ "[proxy]\nproxy_protocol = v3\n",
	  ": [proxy] proxy_protocol: 'v3' is not one of off|v1|v2" },
	{ "[proxy]\nconnect_timeout_ms = 0\n",
	  ": [proxy] connect_timeout_ms: '0' is out of range 1..60000" },
	{ "[proxy]\nfall = 0\n",
	  ": [proxy] fall: '0' is out of range 1..100" },
	{ "[proxy]\nmax_conns = 7\n",
	  ": [proxy] max_conns: '7' is out of range 8..16777216" },
	{ "[proxy]\nsend_pool = 1048576\n",
	  ": [proxy] send_pool: '1048576' is out of range 63..1048575" },
	{ "[port]\nrx_desc = 31\n",
	  ": [port] rx_desc: '31' is out of range 32..16384" },
	{ "[port]\ntx_desc = 16385\n",
	  ": [port] tx_desc: '16385' is out of range 32..16384" },
	{ "[port]\nmtu = 575\n",
	  ": [port] mtu: '575' is out of range (0 or 576..9600)" },
	{ "[port]\nmtu = 9601\n",
	  ": [port] mtu: '9601' is out of range (0 or 576..9600)" },
	{ "[port]\npromiscuous = enabled\n",
	  ": [port] promiscuous: 'enabled' is not on/off (yes/no, true/false, 1/0)" },
	/* addresses */
	{ "[listen]\nvip = 198.18.0.256\n",
	  ": [listen] vip: '198.18.0.256' is not an IPv4 or IPv6 address" },
	{ "[listen]\nvip = 198.18.0\n",
	  ": [listen] vip: '198.18.0' is not an IPv4 or IPv6 address" },
	{ "[listen]\nvip = 198.18.0.2, 2001:2::g\n",
	  ": [listen] vip: '2001:2::g' is not an IPv4 or IPv6 address" },
	{ "[listen]\nvip = [2001:2::2]\n",
	  ": [listen] vip: '[2001:2::2]' is not an IPv4 or IPv6 address" },
	{ "[listen]\nvip = 198.18.0.2,,198.18.0.3\n",
	  ": [listen] vip: '198.18.0.2,,198.18.0.3' has an empty item" },
	{ "[listen]\nvip = 198.18.0.2,\n",
	  ": [listen] vip: '198.18.0.2,' has an empty item" },
	{ "[listen]\nvip = 0.0.0.0\n",
	  ": [listen] vip: '0.0.0.0' is not a unicast address" },
	{ "[listen]\nvip = 255.255.255.255\n",
	  ": [listen] vip: '255.255.255.255' is not a unicast address" },
	{ "[listen]\nvip = 224.0.0.1\n",
	  ": [listen] vip: '224.0.0.1' is not a unicast address" },
	{ "[listen]\nvip = ::ffff:198.18.0.2\n",
	  ": [listen] vip: '::ffff:198.18.0.2' is IPv4-mapped: give the IPv4 address" },
	{ "[listen]\nvip = ::\n", ": [listen] vip: '::' is not a unicast address" },
	{ "[listen]\nvip = ff02::1\n",
	  ": [listen] vip: 'ff02::1' is not a unicast address" },
	{ "[listen]\nvip = 198.18.0.1,198.18.0.2,198.18.0.3,198.18.0.4,"
	  "198.18.0.5,198.18.0.6,198.18.0.7,198.18.0.8,198.18.0.9,"
	  "198.18.0.10,198.18.0.11,198.18.0.12,198.18.0.13,198.18.0.14,"
	  "198.18.0.15,198.18.0.16,198.18.0.17\n",
	  ": [listen] vip: more than 16 addresses" },
	/* ports */
	{ "[listen]\nports = 0\n",
	  ": [listen] ports: '0' is out of range 1..65535" },
	{ "[listen]\nports = 80, 65536\n",
	  ": [listen] ports: '65536' is out of range 1..65535" },
	{ "[listen]\nports = 80-70\n",
	  ": [listen] ports: '80-70' is an empty range (first > last)" },
	{ "[listen]\nports = 0-10\n",
	  ": [listen] ports: '0-10' is out of range 1..65535" },
	{ "[listen]\nports = http\n",
	  ": [listen] ports: 'http' is not a port or a range" },
	{ "[listen]\nports = 80-\n",
	  ": [listen] ports: '80-' is not a port or a range" },
	{ "[listen]\nports = 80-90-100\n",
	  ": [listen] ports: '80-90-100' is not a port or a range" },
	{ "[listen]\nports = -80\n",
	  ": [listen] ports: '-80' is not a port or a range" },
	{ "[listen]\nports = 80,,443\n",
	  ": [listen] ports: '80,,443' has an empty item" },
	{ "[listen]\nports = 1-65\n", ": [listen] ports: more than 64 ports" },
	{ "[listen]\nports = 1-64, 1-65535\n",
	  ": [listen] ports: more than 64 ports" },
	/* keys: never echoed */
	{ "[cookie]\nkey = 0011\n",
	  ": [cookie] key: not 32 hex digits (value not shown)" },
	{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f0\n",
	  ": [cookie] key: not 32 hex digits (value not shown)" },
	{ "[cookie]\nkey = 0x0102030405060708090a0b0c0d0e0f\n",
	  ": [cookie] key: not 32 hex digits (value not shown)" },
	{ "[cookie]\nprevious_key = 000102030405060708090a0b0c0d0e0g\n",
	  ": [cookie] previous_key: not 32 hex digits (value not shown)" },
	/* names */
	{ "[bogus]\nx = 1\n", ": [bogus]: unknown section" },
	{ "[tcp]\n[bogus]\n", ": [bogus]: unknown section" },
	{ "[TCP]\nwscale = 1\n", ": [TCP]: unknown section" },
	{ "[tcp]\nwscal = 1\n", ": [tcp] wscal: unknown key" },
	{ "[tcp]\nrst_rate = 1\n", ": [tcp] rst_rate: unknown key" },
	{ "[tcp]\nwscale = 1\nwscale = 2\n", ": [tcp] wscale: given twice" },
	{ "[tcp]\nwscale = 1\n[port]\n[tcp]\nwscale = 2\n",
	  ": [tcp] wscale: given twice" },
	/* syntax */
	{ "wscale = 1\n", ": line 1: 'wscale' is outside any [section]" },
	{ "; c\n[tcp\n", ": line 2: missing ']'" },
	{ "[tcp] wscale = 1\n", ": line 1: text after ']'" },
	{ "[ ]\n", ": line 1: bad section name" },
	{ "[tcp]\nwscale 7\n",
	  ": line 2: 'wscale 7' is not 'key = value' or '[section]'" },
	{ "[tcp]\n# wscale = 7\n", ": [tcp] # wscale: unknown key" },
	{ "[tcp]\n = 7\n", ": line 2: bad key name" },
	{ "[tcp]\nwscale =\n", ": [tcp] wscale: empty value" },
	{ "[tcp]\nwscale = ; no value\n", ": [tcp] wscale: empty value" },
};

static void
test_bad_files(void **state)
{
	struct sf_config cfg, before;
	char err[SF_CONFIG_ERR_LEN];
	char want[SF_CONFIG_ERR_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bad_files); i++) {
		const char *p = write_file("t.ini", bad_files[i].text);

		sf_config_defaults(&cfg);
		before = cfg;
		err[0] = '\0';
		snprintf(want, sizeof(want), "%s%s", p, bad_files[i].err);
		if (sf_config_load(&cfg, p, err) != -1)
			fail_msg("case %u loaded: %s", i, bad_files[i].text);
		if (strcmp(err, want) != 0)
			fail_msg("case %u: got '%s', want '%s'", i, err, want);
		assert_null(strchr(err, '\n'));
		/* a failed load leaves the configuration as it was */
		assert_memory_equal(&cfg, &before, sizeof(cfg));
	}
}

static void
test_bad_file_lengths(void **state)
{
	char text[512], want[2 * SF_CONFIG_ERR_LEN], err[SF_CONFIG_ERR_LEN];
	struct sf_config cfg;
	const char *p;
	int n;

	(void)state;
	sf_config_defaults(&cfg);
	/* value of 300 characters: rte_cfgfile would truncate it */
	n = snprintf(text, sizeof(text), "[handoff]\nlog_file = ");
	memset(text + n, 'a', 300);
	strcpy(text + n + 300, "\n");
	p = write_file("t.ini", text);
	snprintf(want, sizeof(want),
		 "%s: [handoff] log_file: longer than 255 characters", p);
	assert_int_equal(sf_config_load(&cfg, p, err), -1);
	assert_string_equal(err, want);

	/* line longer than rte_cfgfile's buffer */
	n = snprintf(text, sizeof(text), "[handoff]\nlog_file = ");
	memset(text + n, 'a', 400);
	strcpy(text + n + 400, "\n");
	p = write_file("t.ini", text);
	snprintf(want, sizeof(want), "%s: line 2: longer than 322 characters",
		 p);
	assert_int_equal(sf_config_load(&cfg, p, err), -1);
	assert_string_equal(err, want);

	/* a missing file */
	snprintf(want, sizeof(want),
		 "%s/none.ini: cannot open: No such file or directory", tmpdir);
	snprintf(text, sizeof(text), "%s/none.ini", tmpdir);
	assert_int_equal(sf_config_load(&cfg, text, err), -1);
	assert_string_equal(err, want);

	/* not a regular file: refused, not read forever */
	assert_int_equal(sf_config_load(&cfg, "/dev/zero", err), -1);
	assert_string_equal(err, "/dev/zero: not a regular file");

	/* control characters in a path stay out of the one-line message */
	snprintf(want, sizeof(want),
		 "%s/a?b?[.ini: cannot open: No such file or directory",
		 tmpdir);
	snprintf(text, sizeof(text), "%s/a\nb\x1b[.ini", tmpdir);
	assert_int_equal(sf_config_load(&cfg, text, err), -1);
	assert_string_equal(err, want);
}

/*
 * VIPs, ports, keys
 */

static void
test_vips(void **state)
{
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN], buf[INET6_ADDRSTRLEN];
	struct sf_vip v;
	const char *p;

	(void)state;
	p = write_file("t.ini",
		"[listen]\nvip = 2001:2::10 ,198.19.255.254,\t2001:2:0:0::10, "
		"198.18.0.1, 2001:2:0:ffff:1:2:3:4, 198.19.255.254\n");
	sf_config_defaults(&cfg);
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	/* duplicates removed, order kept */
	assert_int_equal(cfg.n_vips, 4);
	assert_int_equal(cfg.vips[0].family, SF_AF_INET6);
	assert_string_equal(sf_vip_str(&cfg.vips[0], buf, sizeof(buf)),
			    "2001:2::10");
	assert_int_equal(cfg.vips[1].family, SF_AF_INET);
	assert_int_equal(cfg.vips[1].addr[0], 198);
	assert_int_equal(cfg.vips[1].addr[1], 19);
	assert_int_equal(cfg.vips[1].addr[2], 255);
	assert_int_equal(cfg.vips[1].addr[3], 254);
	/* IPv4: the rest of addr stays zero */
	vip_of(&v, "198.19.255.254");
	assert_memory_equal(&cfg.vips[1], &v, sizeof(v));
	assert_string_equal(sf_vip_str(&cfg.vips[2], buf, sizeof(buf)),
			    "198.18.0.1");
	assert_string_equal(sf_vip_str(&cfg.vips[3], buf, sizeof(buf)),
			    "2001:2:0:ffff:1:2:3:4");

	/* 16 is the limit */
	p = write_file("t.ini", "[listen]\nvip = 198.18.0.1,198.18.0.2,"
		"198.18.0.3,198.18.0.4,198.18.0.5,198.18.0.6,198.18.0.7,"
		"198.18.0.8,2001:2::1,2001:2::2,2001:2::3,2001:2::4,"
		"2001:2::5,2001:2::6,2001:2::7,2001:2::8,198.18.0.1\n");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.n_vips, 16);

	/* sf_vip_str on a bad family */
	memset(&v, 0, sizeof(v));
	assert_string_equal(sf_vip_str(&v, buf, sizeof(buf)), "?");
}

static void
test_ports(void **state)
{
	static const uint16_t want[] = { 443, 80, 8000, 8001, 8002, 22, 65535 };
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	const char *p;
	unsigned int i;

	(void)state;
	p = write_file("t.ini", "[listen]\nports = 443, 80,8000 - 8002,"
		"8001-8001, 80, 22,65535-65535, 8000\n");
	sf_config_defaults(&cfg);
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.n_ports, RTE_DIM(want));
	for (i = 0; i < RTE_DIM(want); i++)
		assert_int_equal(cfg.ports[i], want[i]);

	/* 64 is the limit, and duplicates do not count */
	p = write_file("t.ini", "[listen]\nports = 1-64, 64, 1-64, 32\n");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.n_ports, 64);
	assert_int_equal(cfg.ports[0], 1);
	assert_int_equal(cfg.ports[63], 64);

	/* leading zeros are decimal */
	p = write_file("t.ini", "[listen]\nports = 080\n");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_int_equal(cfg.n_ports, 1);
	assert_int_equal(cfg.ports[0], 80);
}

static void
test_keys(void **state)
{
	static const char *const rm_key[] = {
		"--key", "000102030405060708090a0b0c0d0e0f", NULL,
	};
	static const char *const rm_prev[] = {
		"--previous-key", "000102030405060708090a0b0c0d0e0f", NULL,
	};
	const char *const *const removed[] = { rm_key, rm_prev };
	static const char *const both[] = {
		"--config", NULL, "--key-file", "/etc/k", NULL,
	};
	const char *args[] = { "--config", NULL, NULL };
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN], p[SF_CONFIG_PATH_LEN], want[128];
	const char *both_args[RTE_DIM(both)];
	unsigned int i;

	(void)state;
	snprintf(p, sizeof(p), "%s", write_file("t.ini",
		"[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n"
		"previous_key = F0E1D2C3B4A5968778695A4B3C2D1E0F\n"));
	args[1] = p;
	assert_int_equal(run_args(&cfg, err, args), 0);
	assert_true(cfg.key_set);
	/* SipHash reference layout: k0 = bytes 0..7 little-endian */
	assert_true(cfg.keys.cur.k0 == UINT64_C(0x0706050403020100));
	assert_true(cfg.keys.cur.k1 == UINT64_C(0x0f0e0d0c0b0a0908));
	assert_int_equal(cfg.keys.has_prev, 1);
	assert_true(cfg.keys.prev.k0 == UINT64_C(0x8796a5b4c3d2e1f0));
	assert_true(cfg.keys.prev.k1 == UINT64_C(0x0f1e2d3c4b5a6978));

	/* previous_key alone cannot validate anything we signed */
	write_file("t.ini", "[cookie]\n"
		   "previous_key = 000102030405060708090a0b0c0d0e0f\n");
	assert_int_equal(run_args(&cfg, err, args), -1);
	assert_string_equal(err, "[cookie] previous_key: given without key");

	/* key and key_file: one or the other */
	memcpy(both_args, both, sizeof(both));
	both_args[1] = p;
	write_file("t.ini", "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n");
	assert_int_equal(run_args(&cfg, err, both_args), -1);
	assert_string_equal(err,
		"[cookie] key_file: given with key: one or the other");

	/* no key on the command line, and the key is not echoed */
	for (i = 0; i < RTE_DIM(removed); i++) {
		assert_int_equal(run_args(&cfg, err, removed[i]), -1);
		snprintf(want, sizeof(want), "%s: removed (", removed[i][0]);
		assert_memory_equal(err, want, strlen(want));
		assert_non_null(strstr(err, "key_file"));
		assert_null(strstr(err, "0001"));
	}
}

/*
 * A configuration file holding a key is refused when group or others may
 * read it; without a key its mode does not matter.
 */
static void
test_config_mode(void **state)
{
	static const struct {
		const char *text;
		mode_t mode;
		int ret;
	} rows[] = {
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n", 0600, 0 },
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n", 0400, 0 },
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n", 0644, -1 },
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n", 0640, -1 },
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n", 0604, -1 },
		{ "[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n"
		  "previous_key = 000102030405060708090a0b0c0d0e0f\n", 0644, -1 },
		{ "[cookie]\nkey_file = /etc/k\n", 0644, 0 },
		{ "[tcp]\nwscale = 7\n", 0644, 0 },
	};
	char err[SF_CONFIG_ERR_LEN], want[SF_CONFIG_ERR_LEN];
	struct sf_config cfg;
	const char *p;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(rows); i++) {
		p = write_file("t.ini", rows[i].text);
		assert_int_equal(chmod(p, rows[i].mode), 0);
		sf_config_defaults(&cfg);
		err[0] = '\0';
		if (sf_config_load(&cfg, p, err) != rows[i].ret)
			fail_msg("row %u (mode %04o): %s", i,
				 (unsigned int)rows[i].mode, err);
		if (rows[i].ret == 0)
			continue;
		snprintf(want, sizeof(want),
			 "config %s: holds a key, readable by other users (mode %04o): chmod 600 %s",
			 p, (unsigned int)rows[i].mode, p);
		assert_string_equal(err, want);
		/* refused: the configuration is left as it was */
		assert_false(cfg.key_set);
	}
}

/*
 * Key files
 */

#define KA	"000102030405060708090a0b0c0d0e0f"
#define KB	"F0E1D2C3B4A5968778695A4B3C2D1E0F"
#define KA0	UINT64_C(0x0706050403020100)	/* KA's k0 */
#define KB0	UINT64_C(0x8796a5b4c3d2e1f0)	/* KB's k0 */

static const struct {
	const char *text;	/* NUL-terminated file text */
	int ret;
	unsigned int n_keys;
	const char *reason;	/* on error */
} kf_rows[] = {
	{ KA, 0, 1, NULL },
	{ KA "\n", 0, 1, NULL },
	{ "  " KA " \t\r\n", 0, 1, NULL },
	{ KA "\n" KB, 0, 2, NULL },
	{ KA "\r\n" KB "\r\n", 0, 2, NULL },
	{ "", -1, 0, "empty" },
	{ "\n", -1, 0, "line 1: blank" },
	{ KA "\n\n", -1, 0, "line 2: blank" },
	{ KA "\n\n" KB "\n", -1, 0, "line 2: blank" },
	{ KA "\n  \n", -1, 0, "line 2: blank" },
	{ KA "\n" KB "\n" KA "\n", -1, 0,
	  "line 3: more than two lines (key, previous_key)" },
	{ KA "\n" KB "\n\n", -1, 0,
	  "line 3: more than two lines (key, previous_key)" },
	{ "000102030405060708090a0b0c0d0e0g\n", -1, 0,
	  "line 1: not 32 hex digits" },
	{ "000102030405060708090a0b0c0d0e0\n", -1, 0,
	  "line 1: not 32 hex digits" },
	{ KA "0\n", -1, 0, "line 1: not 32 hex digits" },
	{ KA "\n0x0102030405060708090a0b0c0d0e0f\n", -1, 0,
	  "line 2: not 32 hex digits" },
	{ "key = " KA "\n", -1, 0, "line 1: not 32 hex digits" },
	{ "0001020304050607 08090a0b0c0d0e0f\n", -1, 0,
	  "line 1: not 32 hex digits" },
};

static void
test_keyfile_parse(void **state)
{
	struct sf_keyfile kf;
	char reason[SF_KEYFILE_REASON_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(kf_rows); i++) {
		memset(&kf, 0xa5, sizeof(kf));
		reason[0] = '\0';
		if (sf_keyfile_parse(kf_rows[i].text, strlen(kf_rows[i].text),
				     &kf, reason, sizeof(reason)) !=
		    kf_rows[i].ret)
			fail_msg("row %u: %s", i, reason);
		if (kf_rows[i].ret != 0) {
			assert_string_equal(reason, kf_rows[i].reason);
			/* untouched on error; no key quoted */
			assert_int_equal(kf.n_keys, 0xa5a5a5a5u);
			assert_null(strstr(reason, "0001"));
			continue;
		}
		assert_int_equal(kf.n_keys, kf_rows[i].n_keys);
		assert_true(kf.key.k0 == KA0);
		if (kf.n_keys == 2)
			assert_true(kf.previous.k0 == KB0);
	}
	/* a NUL byte inside is refused (the length is the file's) */
	assert_int_equal(sf_keyfile_parse(KA "\0", sizeof(KA), &kf, reason,
					  sizeof(reason)), -1);
	assert_string_equal(reason, "holds a NUL byte");
}

static void
test_keyfile_mode(void **state)
{
	static const struct {
		mode_t mode;
		int ret;
	} rows[] = {
		{ S_IFREG | 0600, 0 }, { S_IFREG | 0400, 0 },
		{ S_IFREG | 0700, 0 }, { S_IFREG | 0620, 0 },
		{ S_IFREG | 0602, 0 }, { S_IFREG | 0644, -1 },
		{ S_IFREG | 0640, -1 }, { S_IFREG | 0604, -1 },
		{ S_IFREG | 0444, -1 }, { S_IFREG | 04640, -1 },
	};
	char reason[SF_KEYFILE_REASON_LEN], want[SF_KEYFILE_REASON_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(rows); i++) {
		reason[0] = '\0';
		assert_int_equal(sf_keyfile_mode_check("/etc/sf.key",
						       rows[i].mode, reason,
						       sizeof(reason)),
				 rows[i].ret);
		if (rows[i].ret == 0) {
			assert_string_equal(reason, "");
			continue;
		}
		snprintf(want, sizeof(want),
			 "readable by other users (mode %04o): chmod 600 /etc/sf.key",
			 (unsigned int)(rows[i].mode & 07777));
		assert_string_equal(reason, want);
	}
}

/* sf_keyfile_read(): open, fstat, mode, size, then the parse. */
static void
test_keyfile_read(void **state)
{
	char reason[SF_KEYFILE_REASON_LEN], big[SF_KEYFILE_MAX_BYTES + 2];
	struct sf_keyfile kf;
	const char *p;

	(void)state;
	p = write_file("x.ini", KA "\n" KB "\n");
	assert_int_equal(sf_keyfile_read(p, &kf, reason, sizeof(reason)), 0);
	assert_int_equal(kf.n_keys, 2);
	assert_true(kf.key.k0 == KA0 && kf.previous.k0 == KB0);

	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(sf_keyfile_read(p, &kf, reason, sizeof(reason)), -1);
	assert_non_null(strstr(reason, "readable by other users (mode 0644)"));

	p = write_file("x.ini", KA "\n\n");
	assert_int_equal(sf_keyfile_read(p, &kf, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "line 2: blank");

	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	p = write_file("x.ini", big);
	assert_int_equal(sf_keyfile_read(p, &kf, reason, sizeof(reason)), -1);
	assert_string_equal(reason, "longer than 256 bytes");

	assert_int_equal(sf_keyfile_read(tmpdir, &kf, reason, sizeof(reason)),
			 -1);
	assert_string_equal(reason, "not a regular file");
	assert_int_equal(sf_keyfile_read("/nonexistent/k", &kf, reason,
					 sizeof(reason)), -1);
	assert_string_equal(reason, "cannot open: No such file or directory");
}

/* sf_keyfile_load(): the read then the roll; a refused file changes nothing. */
static void
test_keyfile_load(void **state)
{
	char reason[SF_KEYFILE_REASON_LEN];
	struct sf_cookie_keys k;
	const char *p;

	(void)state;
	p = write_file("x.ini", KA "\n");
	assert_int_equal(sf_keyfile_load(p, NULL, &k, reason, sizeof(reason)),
			 0);
	assert_true(k.cur.k0 == KA0 && k.has_prev == 0);
	p = write_file("x.ini", KB "\n");
	assert_int_equal(sf_keyfile_load(p, &k, &k, reason, sizeof(reason)), 0);
	assert_true(k.cur.k0 == KB0 && k.has_prev == 1 && k.prev.k0 == KA0);
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(sf_keyfile_load(p, &k, &k, reason, sizeof(reason)),
			 -1);
	assert_non_null(strstr(reason, "readable by other users (mode 0644)"));
	assert_true(k.cur.k0 == KB0 && k.prev.k0 == KA0);
}

/* The keys after a (re-)read, for each kind of file and running state. */
static void
test_keys_roll(void **state)
{
	struct sf_siphash_key a = { 1, 2 }, b = { 3, 4 }, c = { 5, 6 };
	struct sf_cookie_keys run = { .cur = a, .prev = c, .has_prev = 1 };
	struct sf_keyfile one = { .key = b, .n_keys = 1 };
	struct sf_keyfile two = { .key = b, .previous = c, .n_keys = 2 };
	struct sf_keyfile same = { .key = a, .n_keys = 1 };
	struct sf_cookie_keys out;

	(void)state;
	/* at start: no previous key unless the file gives one */
	sf_keys_roll(NULL, &one, &out);
	assert_true(out.cur.k0 == 3 && out.has_prev == 0);
	sf_keys_roll(NULL, &two, &out);
	assert_true(out.cur.k0 == 3 && out.has_prev == 1 && out.prev.k0 == 5);
	/* one line: the running key becomes previous_key */
	sf_keys_roll(&run, &one, &out);
	assert_true(out.cur.k0 == 3 && out.has_prev == 1 && out.prev.k0 == 1);
	/* two lines: the file's previous_key */
	sf_keys_roll(&run, &two, &out);
	assert_true(out.cur.k0 == 3 && out.has_prev == 1 && out.prev.k0 == 5);
	/* the running key again: the roll in progress stays */
	sf_keys_roll(&run, &same, &out);
	assert_true(out.cur.k0 == 1 && out.has_prev == 1 && out.prev.k0 == 5);
	/* in place */
	out = run;
	sf_keys_roll(&out, &one, &out);
	assert_true(out.cur.k0 == 3 && out.prev.k0 == 1 && out.prev.k1 == 2);
}

/*
 * Command line
 */

static void
test_cli_overrides(void **state)
{
	const char *p;
	char path[SF_CONFIG_PATH_LEN];
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];

	(void)state;
	p = write_file("base.ini",
		"[listen]\nports = 8080\nvip = 198.18.0.9\n"
		"[tcp]\nwscale = 3\nsack = off\n"
		"[handoff]\nconsumer = log\nlog_file = /tmp/events\n");
	snprintf(path, sizeof(path), "%s", p);

	{
		/* --config first or last: the file is read before overrides */
		const char *const a1[] = { "--wscale", "5", "--config", path,
			"--ports=80-81", "--sack", "on", "--idle-timeout-s",
			"60", "--stats-period", "0", NULL };
		const char *const a2[] = { "--config", path, "--wscale=5",
			"--ports", "80-81", "--sack=yes", "--idle-timeout",
			"60", "--period-s", "0", NULL };
		const char *const *const runs[] = { a1, a2 };
		unsigned int r;

		for (r = 0; r < RTE_DIM(runs); r++) {
			assert_int_equal(run_args(&cfg, err, runs[r]), 0);
			assert_string_equal(cfg.config_file, path);
			assert_int_equal(cfg.wscale, 5);
			assert_true(cfg.sack);
			assert_int_equal(cfg.n_ports, 2);
			assert_int_equal(cfg.ports[0], 80);
			assert_int_equal(cfg.ports[1], 81);
			assert_int_equal(cfg.idle_timeout_s, 60);
			assert_int_equal(cfg.period_s, 0);
			/* from the file */
			assert_int_equal(cfg.n_vips, 1);
			assert_int_equal(cfg.consumer, SF_CONSUMER_LOG);
			assert_string_equal(cfg.log_file, "/tmp/events");
			/* defaults */
			assert_int_equal(cfg.mss_max, 1460);
		}
	}
	{
		/* every option, the last of a repeated one wins */
		const char *const a[] = { "--vip=198.18.0.7,2001:2::7",
			"--mss-max=1400", "--timestamps=off",
			"--window-scaling=0", "--window=1024",
			"--closed-port=drop", "--rst-rate=5",
			"--entries-per-lcore=1024", "--ring-size=256",
			"--consumer=none", "--log-file=x",
			"--rx-desc=512", NULL };
		const char *const b[] = { "--tx-desc=256", "--mtu=1500",
			"--promiscuous=on", "--wscale=1", "--wscale=2",
			"--closed-rate=0", "--challenge-ack-per-flow=7", NULL };

		assert_int_equal(run_args(&cfg, err, a), 0);
		assert_string_equal(cfg.config_file, "");
		assert_int_equal(cfg.n_vips, 2);
		assert_int_equal(cfg.mss_max, 1400);
		assert_false(cfg.timestamps);
		assert_false(cfg.window_scaling);
		assert_int_equal(cfg.window, 1024);
		assert_false(cfg.closed_port_rst);
		assert_int_equal(cfg.rst_rate, 5);
		assert_int_equal(cfg.entries_per_lcore, 1024);
		assert_int_equal(cfg.ring_size, 256);
		assert_int_equal(cfg.consumer, SF_CONSUMER_NONE);
		assert_string_equal(cfg.log_file, "x");
		assert_int_equal(cfg.rx_desc, 512);
		assert_int_equal(run_args(&cfg, err, b), 0);
		assert_int_equal(cfg.tx_desc, 256);
		assert_int_equal(cfg.mtu, 1500);
		assert_true(cfg.promiscuous);
		assert_int_equal(cfg.wscale, 2);
		assert_int_equal(cfg.closed_rate, 0);
		assert_int_equal(cfg.challenge_ack_per_flow, 7);
		/* a fresh call starts from the defaults again */
		assert_int_equal(cfg.rx_desc, 1024);
	}
}

struct bad_args {
	const char *args[MAX_ARGS + 1];
	const char *err;
};

static const struct bad_args bad_args[] = {
	{ { "--wscale", "15" }, "--wscale: '15' is out of range 0..14" },
	{ { "--wscale=15" }, "--wscale: '15' is out of range 0..14" },
	{ { "--wscale=" }, "--wscale: empty value" },
	{ { "--bogus" }, "--bogus: unknown option" },
	{ { "--bogus=1" }, "--bogus: unknown option" },
	{ { "--ports" }, "--ports: missing value" },
	{ { "--wscale", "1", "--ports" }, "--ports: missing value" },
	{ { "--config" }, "--config: missing value" },
	{ { "--config=" }, "--config: empty value" },
	{ { "--help=1" }, "--help: takes no value" },
	{ { "--w", "1" }, "--w: ambiguous option" },
	{ { "-x" }, "-x: unknown option" },
	{ { "-l", "0" }, "-l: unknown option" },
	{ { "extra" }, "'extra': unexpected argument" },
	{ { "--wscale", "1", "--", "extra" }, "'extra': unexpected argument" },
	{ { "--vip", "198.18.0" },
	  "--vip: '198.18.0' is not an IPv4 or IPv6 address" },
	{ { "--vip", "" }, "--vip: empty value" },
	{ { "--ports", "0" }, "--ports: '0' is out of range 1..65535" },
	{ { "--ports", "1-100" }, "--ports: more than 64 ports" },
	{ { "--key-file", "" }, "--key-file: empty value" },
	{ { "--mss-max", "535" }, "--mss-max: '535' is out of range 536..9000" },
	{ { "--timestamps", "maybe" },
	  "--timestamps: 'maybe' is not on/off (yes/no, true/false, 1/0)" },
	{ { "--sack", "2" },
	  "--sack: '2' is not on/off (yes/no, true/false, 1/0)" },
	{ { "--window-scaling", "x" },
	  "--window-scaling: 'x' is not on/off (yes/no, true/false, 1/0)" },
	{ { "--window", "0" }, "--window: '0' is out of range 1..65535" },
	{ { "--closed-port", "reset" },
	  "--closed-port: 'reset' is not one of rst|drop" },
	{ { "--rst-rate", "-1" }, "--rst-rate: '-1' is not a number" },
	{ { "--rst-rate", "10000001" },
	  "--rst-rate: '10000001' is out of range 0..10000000" },
	{ { "--entries-per-lcore", "63" },
	  "--entries-per-lcore: '63' is out of range 64..67108864" },
	{ { "--idle-timeout", "0" },
	  "--idle-timeout: '0' is out of range 1..86400" },
	{ { "--idle-timeout-s", "86401" },
	  "--idle-timeout-s: '86401' is out of range 1..86400" },
	{ { "--ring-size", "100" }, "--ring-size: '100' is not a power of two" },
	{ { "--consumer", "kafka" },
	  "--consumer: 'kafka' is not one of sink|log|none|proxy" },
	{ { "--log-file", "" }, "--log-file: empty value" },
	{ { "--backends", "[2001:2:2::2]:0" },
	  "--backends: '[2001:2:2::2]:0' has no port in 1..65535" },
	{ { "--backends", "198.18.2.2:80,198.18.2.2:80" },
	  "--backends: '198.18.2.2:80' is given twice" },
	{ { "--down-ms", "3600001" },
	  "--down-ms: '3600001' is out of range 0..3600000" },
	{ { "--connect-timeout-ms", "1s" },
	  "--connect-timeout-ms: '1s' is not a number" },
	{ { "--balance", "least-conn" },
	  "--balance: 'least-conn' is not one of round-robin|source-hash" },
	{ { "--proxy-protocol", "on" },
	  "--proxy-protocol: 'on' is not one of off|v1|v2" },
	{ { "--reply", "maybe" },
	  "--reply: 'maybe' is not one of auto|on|off" },
	{ { "--cmd-ring-size", "100" },
	  "--cmd-ring-size: '100' is not a power of two" },
	{ { "--credit", "1023" },
	  "--credit: '1023' is out of range 1024..1073741824" },
	{ { "--snd-buf", "1073741825" },
	  "--snd-buf: '1073741825' is out of range 1024..1073741824" },
	{ { "--send-states", "15" },
	  "--send-states: '15' is out of range 16..4194304" },
	{ { "--retries", "0" }, "--retries: '0' is out of range 1..30" },
	{ { "--stats-period", "3601" },
	  "--stats-period: '3601' is out of range 0..3600" },
	{ { "--period-s", "1s" }, "--period-s: '1s' is not a number" },
	{ { "--rx-desc", "31" }, "--rx-desc: '31' is out of range 32..16384" },
	{ { "--tx-desc", "99999" },
	  "--tx-desc: '99999' is out of range 32..16384" },
	{ { "--mtu", "100" }, "--mtu: '100' is out of range (0 or 576..9600)" },
	{ { "--promiscuous", "enabled" },
	  "--promiscuous: 'enabled' is not on/off (yes/no, true/false, 1/0)" },
	/* control characters never break the line */
	{ { "--wscale", "1\n2" }, "--wscale: '1?2' is not a number" },
};

static void
test_cli_bad(void **state)
{
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bad_args); i++) {
		if (run_args(&cfg, err, bad_args[i].args) != -1)
			fail_msg("case %u (%s) accepted", i,
				 bad_args[i].args[0]);
		if (strcmp(err, bad_args[i].err) != 0)
			fail_msg("case %u: got '%s', want '%s'", i, err,
				 bad_args[i].err);
	}
}

static void
test_cli_long_values(void **state)
{
	char big[400], want[2 * SF_CONFIG_ERR_LEN], err[SF_CONFIG_ERR_LEN];
	const char *args[] = { "--log-file", big, NULL };
	struct sf_config cfg;
	const char *p;

	(void)state;
	memset(big, 'a', 300);
	big[300] = '\0';
	assert_int_equal(run_args(&cfg, err, args), -1);
	assert_string_equal(err, "--log-file: longer than 255 characters");
	args[0] = "--config";
	assert_int_equal(run_args(&cfg, err, args), -1);
	assert_string_equal(err, "--config: longer than 255 characters");
	/* a long bad value is cut in the message, which stays one line */
	args[0] = "--wscale";
	assert_int_equal(run_args(&cfg, err, args), -1);
	assert_true(strlen(err) < 100);
	assert_non_null(strstr(err, "...' is not a number"));

	/* a bad file given with --config reports the file's error */
	p = write_file("x.ini", "[tcp]\nwscale = 15\n");
	snprintf(want, sizeof(want),
		 "%s: [tcp] wscale: '15' is out of range 0..14", p);
	snprintf(big, sizeof(big), "%s", p);
	args[0] = "--config";
	assert_int_equal(run_args(&cfg, err, args), -1);
	assert_string_equal(err, want);
}

/* An earlier parse that stopped in the middle of "-xy" must not leak. */
static void
test_cli_restart(void **state)
{
	static const char *const grouped[] = { "-xy", NULL };
	static const char *const good[] = { "--wscale", "4", NULL };
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	char a0[] = "synfront", a1[] = "-zq";
	char *argv[] = { a0, a1, NULL };

	(void)state;
	assert_int_equal(run_args(&cfg, err, grouped), -1);
	assert_string_equal(err, "-x: unknown option");
	assert_int_equal(sf_config_from_args(&cfg, 2, argv, err), -1);
	assert_string_equal(err, "-z: unknown option");
	assert_int_equal(run_args(&cfg, err, good), 0);
	assert_int_equal(cfg.wscale, 4);
}

/* Run @p fn with stdout going to a temporary file; returns its text. */
static char *
capture_stdout(int (*fn)(void *), void *arg, int *ret)
{
	FILE *tmp = tmpfile();
	int saved;
	long n;
	char *text;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	*ret = fn(arg);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	n = ftell(tmp);
	if (n <= 0) {
		fseek(tmp, 0, SEEK_END);
		n = ftell(tmp);
	}
	assert_true(n > 0);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	rewind(tmp);
	assert_int_equal(fread(text, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
	return text;
}

static int
run_help(void *arg)
{
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];

	return run_args(&cfg, err, arg);
}

static const char *const all_options[] = {
	"--config FILE", "--help", "--vip ADDR", "--ports PORT",
	"key = HEX32 (file only)", "previous_key = HEX32 (file only)",
	"--key-file PATH", "--mss-max N", "--wscale N",
	"--timestamps on|off", "--sack on|off", "--window-scaling on|off",
	"--window N", "--closed-port rst|drop", "--rst-rate N",
	"--entries-per-lcore N", "--idle-timeout SECONDS",
	"--idle-timeout-s SECONDS",
	"--ring-size N", "--consumer sink|log|none|proxy", "--log-file FILE",
	"--stats-period SECONDS", "--period-s SECONDS", "--rx-desc N", "--tx-desc N",
	"--mtu N", "--promiscuous on|off", "--xdp auto|steer|whole",
	/* sections and defaults */
	"[listen]", "[cookie]", "[tcp]", "[policy]", "[conn]", "[handoff]",
	"[stats]", "[port]", "(default 198.18.0.2,2001:2::2)",
	"(default 80)", "(default 1460)", "(default 7)", "(default 65535)",
	"(default 1048576)", "(default 300)", "(default 4096)",
	"(default sink)", "(default -)", "(default rst)", "(default 1000)",
	"(default random at start)", "(default none)", "(default on)",
	"(default off)", "(default 0)", "(default 1024)", "(default 1)",
};

static void
test_help(void **state)
{
	static const char *const h1[] = { "--wscale", "99", "--help", NULL };
	static const char *const h2[] = { "-h", NULL };
	static const char *const h3[] = { "--bogus", "--config",
		"/nonexistent.ini", "--he", NULL };
	const char *const *const runs[] = { h1, h2, h3 };
	unsigned int r, i;
	int ret;

	(void)state;
	for (r = 0; r < RTE_DIM(runs); r++) {
		char *text = capture_stdout(run_help,
					    (void *)(uintptr_t)runs[r], &ret);

		assert_int_equal(ret, 1);
		assert_non_null(strstr(text,
			"Usage: synfront [EAL options] -- [--config FILE] "
			"[options]\n"));
		for (i = 0; i < RTE_DIM(all_options); i++)
			if (strstr(text, all_options[i]) == NULL)
				fail_msg("usage lacks '%s'", all_options[i]);
		free(text);
	}
}

static void
test_usage_prog(void **state)
{
	char buf[8192];
	FILE *f;

	(void)state;
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_config_usage(f, "/usr/local/bin/synfront");
	sf_config_usage(f, NULL);
	fclose(f);
	buf[sizeof(buf) - 1] = '\0';
	assert_non_null(strstr(buf, "Usage: synfront [EAL options]"));
	assert_null(strstr(buf, "/usr/local/bin"));
}

/* Each setting's usage line: option, range and the table's default. */
/* [handoff] reply: auto is on only for consumers that answer. */
static void
test_reply_on(void **state)
{
	static const struct {
		uint8_t reply;
		enum sf_consumer consumer;
		bool on;
	} rows[] = {
		{ SF_REPLY_AUTO, SF_CONSUMER_SINK, false },
		{ SF_REPLY_AUTO, SF_CONSUMER_LOG, false },
		{ SF_REPLY_AUTO, SF_CONSUMER_NONE, false },
		{ SF_REPLY_ON, SF_CONSUMER_NONE, true },
		{ SF_REPLY_ON, SF_CONSUMER_SINK, true },
		{ SF_REPLY_OFF, SF_CONSUMER_NONE, false },
	};
	struct sf_config cfg;
	unsigned int i;

	(void)state;
	sf_config_defaults(&cfg);
	assert_int_equal(cfg.reply, SF_REPLY_AUTO);
	assert_int_equal(cfg.credit, 262144);
	assert_int_equal(cfg.snd_buf, 262144);
	assert_int_equal(cfg.send_states, 16384);
	assert_int_equal(cfg.cmd_ring_size, 4096);
	assert_int_equal(cfg.retries, 8);
	for (i = 0; i < RTE_DIM(rows); i++) {
		cfg.reply = rows[i].reply;
		cfg.consumer = rows[i].consumer;
		if (sf_config_reply_on(&cfg) != rows[i].on)
			fail_msg("row %u: reply %u consumer %d", i,
				 rows[i].reply, (int)rows[i].consumer);
	}
}

/* sf_config_choice_str(): the file's word of a choice, "?" otherwise. */
static void
test_choice_str(void **state)
{
	struct sf_config cfg;

	(void)state;
	sf_config_defaults(&cfg);
	cfg.consumer = SF_CONSUMER_PROXY;
	cfg.balance = SF_PROXY_SRC_HASH;
	cfg.proxy_protocol = SF_PROXY_PP_V2;
	assert_string_equal(sf_config_choice_str(&cfg, "consumer"), "proxy");
	assert_string_equal(sf_config_choice_str(&cfg, "balance"),
			    "source-hash");
	assert_string_equal(sf_config_choice_str(&cfg, "proxy_protocol"),
			    "v2");
	cfg.consumer = SF_CONSUMER_NONE;
	assert_string_equal(sf_config_choice_str(&cfg, "consumer"), "none");
	cfg.consumer = (enum sf_consumer)99;
	assert_string_equal(sf_config_choice_str(&cfg, "consumer"), "?");
	assert_string_equal(sf_config_choice_str(&cfg, "credit"), "?");
	assert_string_equal(sf_config_choice_str(&cfg, "nope"), "?");
}

static void
test_help_table(void **state)
{
	char buf[8192], want[128], line[256];
	unsigned int i;
	FILE *f;

	(void)state;
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	sf_config_usage(f, "synfront");
	fclose(f);
	buf[sizeof(buf) - 1] = '\0';
	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		const struct sf_cfg_setting *s = &sf_cfg_settings[i];
		const char *b, *e;

		if (s->opt != NULL)
			snprintf(want, sizeof(want), "\n  --%s %s ", s->opt,
				 s->arg);
		else
			snprintf(want, sizeof(want), "\n  %s = %s (file only) ",
				 s->key, s->arg);
		b = strstr(buf, want);
		if (b == NULL)
			fail_msg("usage lacks '%s'", want + 1);
		e = strchr(b + 1, '\n');
		assert_non_null(e);
		snprintf(line, sizeof(line), "%.*s", (int)(e - b), b);
		snprintf(want, sizeof(want), " (default %s)",
			 s->def != NULL ? s->def : s->unset);
		if (strcmp(line + strlen(line) - strlen(want), want) != 0)
			fail_msg("'%s' does not end in '%s'", line + 1, want);
		if (s->type == SF_T_PORTS || s->type == SF_T_UINT ||
		    s->type == SF_T_POW2 || s->type == SF_T_MTU) {
			snprintf(want, sizeof(want), "%u..%u", s->min, s->max);
			if (strstr(line, want) == NULL)
				fail_msg("'%s' lacks '%s'", line + 1, want);
		}
		if (s->alias == NULL)
			continue;
		snprintf(want, sizeof(want), "\n  --%s %s ", s->alias, s->arg);
		b = strstr(buf, want);
		if (b == NULL)
			fail_msg("usage lacks '%s'", want + 1);
		snprintf(want, sizeof(want), " same as --%s\n", s->opt);
		assert_non_null(strstr(b, want));
	}
	/* no range text but the table's */
	assert_null(strstr(buf, "Ranges:"));
}

/*
 * The table's defaults, read as a file over a zeroed configuration and
 * given as options, are what sf_config_defaults() makes; an empty file
 * changes nothing; only the keys have no default.
 */
static void
test_table_defaults(void **state)
{
	static char opts[SF_CFG_N_SETTINGS][SF_CONFIG_PATH_LEN];
	char *argv[SF_CFG_N_SETTINGS + 2];
	char text[4096], err[SF_CONFIG_ERR_LEN] = "";
	const char *section = "", *p;
	struct sf_config cfg, def;
	unsigned int i;
	int argc = 0;
	size_t off = 0;

	(void)state;
	argv[argc++] = (char *)(uintptr_t)"synfront";
	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		const struct sf_cfg_setting *s = &sf_cfg_settings[i];

		if (s->def == NULL) {
			assert_true(s->type == SF_T_KEY ||
				    s->type == SF_T_PREV_KEY ||
				    s->type == SF_T_BACKENDS ||
				    s->off == offsetof(struct sf_config,
						       key_file));
			assert_non_null(s->unset);
			continue;
		}
		if (strcmp(section, s->section) != 0)
			off += (size_t)snprintf(text + off, sizeof(text) - off,
						"[%s]\n", s->section);
		section = s->section;
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"%s = %s\n", s->key, s->def);
		assert_true(off < sizeof(text));
		snprintf(opts[i], sizeof(opts[i]), "--%s=%s", s->opt, s->def);
		argv[argc++] = opts[i];
	}
	argv[argc] = NULL;
	sf_config_defaults(&def);

	p = write_file("t.ini", text);
	memset(&cfg, 0, sizeof(cfg));
	if (sf_config_load(&cfg, p, err) != 0)
		fail_msg("%s", err);
	assert_memory_equal(&cfg, &def, sizeof(cfg));

	if (sf_config_from_args(&cfg, argc, argv, err) != 0)
		fail_msg("%s", err);
	assert_memory_equal(&cfg, &def, sizeof(cfg));

	p = write_file("t.ini", "");
	assert_int_equal(sf_config_load(&cfg, p, err), 0);
	assert_memory_equal(&cfg, &def, sizeof(cfg));
	assert_false(def.key_set);
	assert_int_equal(def.keys.has_prev, 0);
}

/*
 * Validation
 */

static void
test_validate(void **state)
{
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];

	(void)state;
	sf_config_defaults(&cfg);
	cfg.n_vips = 0;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[listen] vip: 0 addresses, need 1..16");

	sf_config_defaults(&cfg);
	cfg.n_ports = 0;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[listen] ports: 0 ports, need 1..64");

	sf_config_defaults(&cfg);
	cfg.ring_size = 1000;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err,
			    "[handoff] ring_size: 1000 is not a power of two");

	sf_config_defaults(&cfg);
	cfg.wscale = 15;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[tcp] wscale: 15 is out of range 0..14");

	sf_config_defaults(&cfg);
	cfg.mtu = 100;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[port] mtu: 100 is out of range 576..9600");

	sf_config_defaults(&cfg);
	cfg.xdp = 7;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err,
			    "[port] xdp: 7 is not one of auto|steer|whole");

	sf_config_defaults(&cfg);
	cfg.consumer = (enum sf_consumer)9;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[handoff] consumer: 9 is not one of "
			    "sink|log|none|proxy");

	sf_config_defaults(&cfg);
	cfg.consumer = SF_CONSUMER_LOG;
	cfg.log_file[0] = '\0';
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err,
			    "[handoff] log_file: empty while consumer = log");

	sf_config_defaults(&cfg);
	cfg.consumer = SF_CONSUMER_PROXY;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err,
			    "[proxy] backends: none given while consumer = proxy");
	cfg.n_backends = SF_PROXY_MAX_BACKENDS + 1;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[proxy] backends: more than 16");

	sf_config_defaults(&cfg);
	cfg.keys.has_prev = 1;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[cookie] previous_key: given without key");

	sf_config_defaults(&cfg);
	cfg.ports[0] = 0;
	assert_int_equal(sf_config_validate(&cfg, err), -1);
	assert_string_equal(err, "[listen] ports: port 0 is not a TCP port");
}

/*
 * sf_config_foreach: what /synfront/config shows (lib/stats)
 */

struct seen_value {
	char name[32];
	enum sf_config_val_type type;
	uint64_t num;
	char str[128];
	unsigned int n;
	char strs[SF_CONFIG_MAX_VIPS][INET6_ADDRSTRLEN];
	uint64_t nums[SF_CONFIG_MAX_PORTS];
};

struct seen {
	struct seen_value v[SF_CFG_N_SETTINGS + 1];
	unsigned int n;
	unsigned int stop_at;	/* return 7 from this call on */
};

static int
record_value(const char *name, const struct sf_config_value *v, void *arg)
{
	struct seen *seen = arg;
	struct seen_value *r;
	unsigned int i;

	assert_true(seen->n < RTE_DIM(seen->v));
	r = &seen->v[seen->n++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->type = v->type;
	r->num = v->num;
	if (v->type == SF_CONFIG_VAL_STR)
		snprintf(r->str, sizeof(r->str), "%s", v->str);
	r->n = v->n;
	for (i = 0; i < v->n && v->type == SF_CONFIG_VAL_STR_LIST; i++)
		snprintf(r->strs[i], sizeof(r->strs[i]), "%s", v->strs[i]);
	for (i = 0; i < v->n && v->type == SF_CONFIG_VAL_UINT_LIST; i++)
		r->nums[i] = v->nums[i];
	return seen->n == seen->stop_at ? 7 : 0;
}

static const struct seen_value *
seen_find(const struct seen *seen, const char *name)
{
	unsigned int i;

	for (i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i].name, name) == 0)
			return &seen->v[i];
	fail_msg("foreach lacks '%s'", name);
	return NULL;
}

static void
seen_num(const struct seen *seen, const char *name,
	 enum sf_config_val_type type, uint64_t num)
{
	const struct seen_value *r = seen_find(seen, name);

	assert_int_equal(r->type, type);
	assert_true(r->num == num);
}

static void
seen_str(const struct seen *seen, const char *name, const char *str)
{
	const struct seen_value *r = seen_find(seen, name);

	assert_int_equal(r->type, SF_CONFIG_VAL_STR);
	assert_string_equal(r->str, str);
}

static void
test_foreach(void **state)
{
	const char *args[] = {
		"--config", NULL,
		"--ports", "80,443", "--consumer", "log", "--log-file",
		"/tmp/ev", "--mtu", "1500", "--sack", "off", NULL,
	};
	static struct seen seen;
	const struct seen_value *r;
	struct sf_config cfg;
	char err[SF_CONFIG_ERR_LEN];
	unsigned int i;

	(void)state;
	args[1] = write_file("t.ini",
		"[cookie]\nkey = 000102030405060708090a0b0c0d0e0f\n");
	assert_int_equal(run_args(&cfg, err, args), 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(sf_config_foreach(&cfg, record_value, &seen), 0);
	/* every setting once, in the table's order, then config_file */
	assert_int_equal(seen.n, SF_CFG_N_SETTINGS + 1);
	for (i = 0; i < SF_CFG_N_SETTINGS; i++)
		if (strncmp(seen.v[i].name, sf_cfg_settings[i].key,
			    strlen(sf_cfg_settings[i].key)) != 0)
			fail_msg("foreach %u: '%s'", i, seen.v[i].name);
	assert_string_equal(seen.v[SF_CFG_N_SETTINGS].name, "config_file");

	r = seen_find(&seen, "vip");
	assert_int_equal(r->type, SF_CONFIG_VAL_STR_LIST);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->strs[0], "198.18.0.2");
	assert_string_equal(r->strs[1], "2001:2::2");
	r = seen_find(&seen, "ports");
	assert_int_equal(r->type, SF_CONFIG_VAL_UINT_LIST);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->nums[0], 80);
	assert_int_equal(r->nums[1], 443);
	seen_num(&seen, "key_set", SF_CONFIG_VAL_BOOL, 1);
	seen_num(&seen, "previous_key_set", SF_CONFIG_VAL_BOOL, 0);
	seen_str(&seen, "key_file", "");
	seen_num(&seen, "mss_max", SF_CONFIG_VAL_UINT, 1460);
	seen_num(&seen, "wscale", SF_CONFIG_VAL_UINT, 7);
	seen_num(&seen, "timestamps", SF_CONFIG_VAL_BOOL, 1);
	seen_num(&seen, "sack", SF_CONFIG_VAL_BOOL, 0);
	seen_num(&seen, "window_scaling", SF_CONFIG_VAL_BOOL, 1);
	seen_num(&seen, "window", SF_CONFIG_VAL_UINT, 65535);
	seen_str(&seen, "closed_port", "rst");
	seen_num(&seen, "rst_rate", SF_CONFIG_VAL_UINT, 1000);
	seen_num(&seen, "challenge_ack_rate", SF_CONFIG_VAL_UINT, 1000);
	seen_num(&seen, "challenge_ack_per_flow", SF_CONFIG_VAL_UINT, 2);
	seen_num(&seen, "entries_per_lcore", SF_CONFIG_VAL_UINT, 1048576);
	seen_num(&seen, "idle_timeout_s", SF_CONFIG_VAL_UINT, 300);
	seen_num(&seen, "closed_rate", SF_CONFIG_VAL_UINT, 10000);
	seen_num(&seen, "ring_size", SF_CONFIG_VAL_UINT, 4096);
	seen_str(&seen, "consumer", "log");
	seen_str(&seen, "log_file", "/tmp/ev");
	seen_num(&seen, "period_s", SF_CONFIG_VAL_UINT, 1);
	seen_num(&seen, "rx_desc", SF_CONFIG_VAL_UINT, 1024);
	seen_num(&seen, "tx_desc", SF_CONFIG_VAL_UINT, 1024);
	seen_num(&seen, "mtu", SF_CONFIG_VAL_UINT, 1500);
	seen_num(&seen, "promiscuous", SF_CONFIG_VAL_BOOL, 0);
	seen_str(&seen, "xdp", "auto");
	seen_str(&seen, "config_file", args[1]);
	/* the keys themselves never appear */
	for (i = 0; i < seen.n; i++) {
		assert_string_not_equal(seen.v[i].name, "key");
		assert_string_not_equal(seen.v[i].name, "previous_key");
		assert_null(strstr(seen.v[i].str, "0001"));
	}

	/* a callback's non-zero return stops the walk and is returned */
	memset(&seen, 0, sizeof(seen));
	seen.stop_at = 3;
	assert_int_equal(sf_config_foreach(&cfg, record_value, &seen), 7);
	assert_int_equal(seen.n, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_example_synfront),
		cmocka_unit_test(test_example_af_xdp),
		cmocka_unit_test(test_example_proxy),
		cmocka_unit_test(test_cli_proxy),
		cmocka_unit_test(test_example_pci),
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_file_lengths),
		cmocka_unit_test(test_vips),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_config_mode),
		cmocka_unit_test(test_keyfile_parse),
		cmocka_unit_test(test_keyfile_mode),
		cmocka_unit_test(test_keyfile_read),
		cmocka_unit_test(test_keyfile_load),
		cmocka_unit_test(test_keys_roll),
		cmocka_unit_test(test_cli_overrides),
		cmocka_unit_test(test_cli_bad),
		cmocka_unit_test(test_cli_long_values),
		cmocka_unit_test(test_cli_restart),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_prog),
		cmocka_unit_test(test_help_table),
		cmocka_unit_test(test_table_defaults),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_foreach),
		cmocka_unit_test(test_reply_on),
		cmocka_unit_test(test_choice_str),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
