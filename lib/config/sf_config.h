/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef SF_CONFIG_H
#define SF_CONFIG_H

/**
 * @file
 * Configuration: defaults, an INI file (rte_cfgfile), command-line
 * overrides with the same names, validation. Every error is one line naming
 * the key or option and the reason; the app prints it and exits with 2.
 *
 *     [listen]    vip = 198.18.0.2, 2001:2::2      ports = 80, 443
 *     [cookie]    key = <32 hex digits>            previous_key = <32 hex>
 *                 key_file = PATH (instead of key: sf_keyfile.h)
 *     [tcp]       mss_max = 1460   wscale = 7   timestamps = on   sack = on
 *                 retries = 8
 *     [policy]    closed_port = rst | drop         rst_rate = 1000
 *                 challenge_ack_rate = 1000   challenge_ack_per_flow = 2
 *     [conn]      entries_per_lcore = 1048576      idle_timeout_s = 300
 *                 closed_rate = 10000
 *     [handoff]   ring_size = 4096   consumer = sink | log | none | proxy
 *                 log_file = -
 *                 reply = auto | on | off   cmd_ring_size = 4096
 *                 credit = 262144   snd_buf = 262144   send_states = 16384
 *     [stats]     period_s = 1
 *     [port]      rx_desc = 1024  tx_desc = 1024  mtu = 0 (keep)  promiscuous = off
 *                 xdp = auto | steer | whole
 *     [proxy]     backends = 198.18.2.2:8080, [2001:2:2::2]:8080 (none)
 *                 balance = round-robin | source-hash
 *                 proxy_protocol = off | v1 | v2
 *                 connect_timeout_ms = 3000   down_ms = 5000   fall = 3
 *                 max_conns = 65536   send_pool = 4095
 *     [test]      clock_offset_s = 0 (tests only: shifts the workers' clock)
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_cookie.h"
#include "sf_proxy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SF_CONFIG_MAX_VIPS	16	/**< listening addresses */
#define SF_CONFIG_MAX_PORTS	64	/**< listening TCP ports */
#define SF_CONFIG_ERR_LEN	256	/**< size of an error message buffer */
#define SF_CONFIG_PATH_LEN	256	/**< longest file path */

/** Built-in consumers of the handoff rings. */
enum sf_consumer {
	SF_CONSUMER_SINK = 0,	/**< count and free */
	SF_CONSUMER_LOG,	/**< one JSON line per event to log_file */
	SF_CONSUMER_NONE,	/**< an external (secondary) process drains */
	SF_CONSUMER_PROXY,	/**< carry each connection to a backend */
};

/** The reply channel ([handoff] reply). */
enum sf_reply {
	SF_REPLY_AUTO = 0,	/**< on for the consumers that answer (proxy) */
	SF_REPLY_ON,		/**< commands read, FIN waits for CLOSE */
	SF_REPLY_OFF,		/**< events only: FIN answered at once */
};

/** What a net_af_xdp port takes ([port] xdp). */
enum sf_xdp_mode {
	SF_XDP_AUTO = 0,	/**< steer when built with libbpf, else whole */
	SF_XDP_STEER,		/**< synfront's frames only (lib/bpf's program) */
	SF_XDP_WHOLE,		/**< every frame of its queues (the PMD's program) */
};

/** The whole configuration (defaults in comments). */
struct sf_config {
	/* [listen] */
	struct sf_vip vips[SF_CONFIG_MAX_VIPS];	/**< vip (198.18.0.2, 2001:2::2) */
	unsigned int n_vips;
	uint16_t ports[SF_CONFIG_MAX_PORTS];	/**< ports (80), host order */
	unsigned int n_ports;
	/* [cookie] */
	struct sf_cookie_keys keys;	/**< key (random), previous_key (none) */
	bool key_set;			/**< key given or read from key_file (else random at start) */
	char key_file[SF_CONFIG_PATH_LEN];	/**< key_file (none): read at
					 * start and on SIGHUP */
	/* [tcp] */
	uint16_t mss_max;	/**< mss_max (1460), 536..9000 */
	uint8_t wscale;		/**< wscale (7), 0..14 */
	bool timestamps;	/**< timestamps (on) */
	bool sack;		/**< sack (on) */
	bool window_scaling;	/**< window_scaling (on) */
	uint16_t window;	/**< window (65535): our advertised window field */
	uint8_t retries;	/**< retries (8): RTOs before a reset, 1..30 */
	/* [policy] */
	bool closed_port_rst;	/**< closed_port (rst): rst or drop */
	uint32_t rst_rate;	/**< rst_rate (1000) RSTs per second per lcore, 0 = none */
	uint32_t challenge_ack_rate;	/**< challenge_ack_rate (1000) per second per lcore, drawn each second in [rate/2, rate*3/2), 0 = none (RFC 5961 section 7) */
	uint32_t challenge_ack_per_flow;	/**< challenge_ack_per_flow (2) per second per flow, 0 = no limit (Linux's tcp_invalid_ratelimit) */
	/* [conn] */
	uint32_t entries_per_lcore;	/**< entries_per_lcore (1048576) */
	uint32_t idle_timeout_s;	/**< idle_timeout_s (300) */
	uint32_t closed_rate;	/**< closed_rate (10000): closes/s per lcore whose flows are remembered until their cookie expires (2048 bytes each), 0 = off */
	/* [handoff] */
	uint32_t ring_size;		/**< ring_size (4096), power of two */
	enum sf_consumer consumer;	/**< consumer (sink) */
	char log_file[SF_CONFIG_PATH_LEN];	/**< log_file (-, stdout) */
	uint8_t reply;			/**< reply (auto): enum sf_reply */
	uint32_t cmd_ring_size;		/**< cmd_ring_size (4096), power of two */
	uint32_t credit;		/**< credit (262144): receive credit, bytes */
	uint32_t snd_buf;		/**< snd_buf (262144): unacknowledged bytes */
	uint32_t send_states;		/**< send_states (16384) per lcore */
	/* [stats] */
	uint32_t period_s;	/**< period_s (1), 0 = no periodic line */
	/* [port] */
	uint16_t rx_desc;	/**< rx_desc (1024) */
	uint16_t tx_desc;	/**< tx_desc (1024) */
	uint16_t mtu;		/**< mtu (0: keep the port's) */
	bool promiscuous;	/**< promiscuous (off) */
	uint8_t xdp;		/**< xdp (auto): enum sf_xdp_mode */
	/* [proxy] */
	struct sf_proxy_addr backends[SF_PROXY_MAX_BACKENDS];	/**< backends (none) */
	unsigned int n_backends;
	uint8_t balance;	/**< balance (round-robin): enum sf_proxy_balance */
	uint8_t proxy_protocol;	/**< proxy_protocol (off): enum sf_proxy_pp */
	uint32_t connect_timeout_ms;	/**< connect_timeout_ms (3000) */
	uint32_t down_ms;	/**< down_ms (5000): a backend down is skipped */
	uint32_t fall;		/**< fall (3): failures in a row, then down */
	uint32_t proxy_max_conns;	/**< max_conns (65536): proxy table */
	uint32_t proxy_send_pool;	/**< send_pool (4095): SEND mbufs */
	/* [test] */
	uint32_t test_clock_offset_s;	/**< clock_offset_s (0): seconds added
					 * to the workers' wall clock, so a
					 * test can age cookies; never for
					 * production */
	/* command line only */
	char config_file[SF_CONFIG_PATH_LEN];	/**< --config */
};

/**
 * Fill a configuration with the defaults of the settings table (those in
 * the comments above; key not set).
 *
 * @param cfg  the configuration
 */
void
sf_config_defaults(struct sf_config *cfg);

/**
 * Read an INI file into @p cfg (keys absent from the file keep their
 * value). Unknown sections or keys are errors.
 *
 * @param cfg  the configuration, updated
 * @param path the INI file (a regular file)
 * @param err  receives "FILE: [section] key: reason" on error
 * @return 0, or -1 on error.
 */
int
sf_config_load(struct sf_config *cfg, const char *path,
	       char err[SF_CONFIG_ERR_LEN]);

/**
 * Apply the application arguments (after EAL's "--"): defaults, then
 * --config FILE, then every other option as an override, then validation.
 *
 * @param cfg  receives the configuration
 * @param argc number of arguments
 * @param argv the application's arguments (argv[0] = program name)
 * @param err  receives "--option: reason" or the file error
 * @return 0 to run, 1 when --help was given (usage printed to stdout),
 *   -1 on error.
 */
int
sf_config_from_args(struct sf_config *cfg, int argc, char **argv,
		    char err[SF_CONFIG_ERR_LEN]);

/**
 * Print every option, section by section, with its range and default,
 * both from the settings table.
 *
 * @param f     output stream
 * @param prog  program name for the usage line
 */
void
sf_config_usage(FILE *f, const char *prog);

/**
 * Check cross-field constraints (at least one VIP and port, ring_size a
 * power of two, ...).
 *
 * @param cfg  the configuration
 * @param err  receives a one-line reason on error
 * @return 0, or -1 with @p err set.
 */
int
sf_config_validate(const struct sf_config *cfg, char err[SF_CONFIG_ERR_LEN]);

/** The type of a value sf_config_foreach() reports. */
enum sf_config_val_type {
	SF_CONFIG_VAL_UINT,	/**< a number: num */
	SF_CONFIG_VAL_BOOL,	/**< on/off, or whether a key is set: num 1/0 */
	SF_CONFIG_VAL_STR,	/**< a word (rst, sink, ...) or a file: str */
	SF_CONFIG_VAL_STR_LIST,	/**< n texts: strs (the addresses) */
	SF_CONFIG_VAL_UINT_LIST,	/**< n numbers: nums (the ports) */
};

/** One setting's value, as sf_config_foreach() reports it. */
struct sf_config_value {
	enum sf_config_val_type type;
	uint64_t num;			/**< SF_CONFIG_VAL_UINT, _BOOL */
	const char *str;		/**< SF_CONFIG_VAL_STR */
	unsigned int n;			/**< items of a list */
	const char *const *strs;	/**< SF_CONFIG_VAL_STR_LIST */
	const uint64_t *nums;		/**< SF_CONFIG_VAL_UINT_LIST */
};

/**
 * Called by sf_config_foreach() for each setting.
 *
 * @param name  the setting's name
 * @param v     its value; v and what it points to last for the call only
 * @param arg   sf_config_foreach()'s @p arg
 * @return 0 to go on, anything else to stop.
 */
typedef int (*sf_config_foreach_cb)(const char *name,
				    const struct sf_config_value *v,
				    void *arg);

/**
 * Report every setting of @p cfg, in the order of the usage text, then
 * "config_file". Names are the INI keys: numbers as SF_CONFIG_VAL_UINT,
 * on/off as SF_CONFIG_VAL_BOOL, rst|drop, sink|log|none and log_file as
 * SF_CONFIG_VAL_STR, "vip" a SF_CONFIG_VAL_STR_LIST of addresses as text,
 * "ports" a SF_CONFIG_VAL_UINT_LIST. The keys are never reported: only
 * "key_set" and "previous_key_set" (SF_CONFIG_VAL_BOOL). lib/stats builds
 * the /synfront/config telemetry dictionary from it.
 *
 * @param cfg  the configuration
 * @param cb   called once per setting
 * @param arg  passed to @p cb
 * @return 0, or the first non-zero value @p cb returned (no call after).
 */
int
sf_config_foreach(const struct sf_config *cfg, sf_config_foreach_cb cb,
		  void *arg);

/**
 * The word of a choice setting's value, as the config file spells it.
 *
 * @param cfg  the configuration
 * @param key  the setting's key ("consumer", "balance", ...)
 * @return the word ("proxy", "source-hash", ...); "?" when @p key names
 *   no choice setting or its value is none of the words.
 */
const char *
sf_config_choice_str(const struct sf_config *cfg, const char *key);

/**
 * Whether the reply channel is on: reply = on, or auto with a consumer
 * that answers (none of sink, log, none).
 *
 * @param cfg  a validated configuration
 * @return true when on.
 */
bool
sf_config_reply_on(const struct sf_config *cfg);

/**
 * Format a VIP as text ("?" for an unknown family).
 *
 * @param vip  the address
 * @param buf  output, INET6_ADDRSTRLEN bytes suffice
 * @param len  size of @p buf
 * @return buf.
 */
const char *
sf_vip_str(const struct sf_vip *vip, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SF_CONFIG_H */
