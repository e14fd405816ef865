/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Configuration from the command line: getopt_long over the settings table
 * (each setting's option and alias), --config FILE read first, every other
 * option an override given to sf_cfg_set(); and the usage text.
 */

#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "sf_config.h"
#include "sf_config_priv.h"

/* getopt_long: values of the options that are not settings. */
#define SF_OPT_HELP		'h'
#define SF_OPT_CONFIG		256
#define SF_OPT_REMOVED		257	/**< --key, --previous-key: refused */
#define SF_OPT_SETTING		512	/**< + index into sf_cfg_settings[] */

/* Settings, aliases, --config, --help, the removed options, the end. */
#define SF_N_LONGOPTS	(2 * SF_CFG_N_SETTINGS + 5)
#define SF_OPTSTRING	"+:h"	/* stop at a non-option, report ':' */

/* getopt_long table: settings (and aliases), --config, --help. */
static void
sf_longopts(struct option *o)
{
	unsigned int i, n = 0;

	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		if (sf_cfg_settings[i].opt == NULL)
			continue;	/* configuration file only */
		o[n++] = (struct option){ sf_cfg_settings[i].opt,
			required_argument, NULL, (int)(SF_OPT_SETTING + i) };
		if (sf_cfg_settings[i].alias != NULL)
			o[n++] = (struct option){ sf_cfg_settings[i].alias,
				required_argument, NULL,
				(int)(SF_OPT_SETTING + i) };
	}
	o[n++] = (struct option){ "config", required_argument, NULL,
		SF_OPT_CONFIG };
	o[n++] = (struct option){ "help", no_argument, NULL, SF_OPT_HELP };
	/*
	 * Removed: a key on the command line is in /proc for every user.
	 * Known, so that they are refused by name rather than taken as an
	 * abbreviation of --key-file.
	 */
	o[n++] = (struct option){ "key", required_argument, NULL,
		SF_OPT_REMOVED };
	o[n++] = (struct option){ "previous-key", required_argument, NULL,
		SF_OPT_REMOVED };
	o[n] = (struct option){ NULL, 0, NULL, 0 };
}

/*
 * Restart getopt. glibc re-initialises completely only on optind = 0
 * (EAL has used getopt, and an earlier parse may have stopped in the
 * middle of an argument): the scan then starts at argv[1].
 */
static void
sf_getopt_reset(void)
{
	optind = 0;
	opterr = 0;
	optarg = NULL;
}

/*
 * The option getopt just rejected with '?': a short option (optopt is its
 * character), or a long one (optopt 0, or --help's value when it was given
 * "=value"), which is argv[optind - 1].
 */
static void
sf_unknown_option(char *const argv[], const struct option *o,
		  char err[SF_CONFIG_ERR_LEN])
{
	const struct option *match = NULL;
	char name[SF_CFG_QUOTE_MAX + 1], q[SF_CFG_QUOTE_LEN];
	unsigned int i, matches = 0;
	const char *arg;
	size_t n;

	if (optopt != 0 && optopt != SF_OPT_HELP) {
		sf_cfg_err(err, "-%c: unknown option",
			   isprint(optopt) ? optopt : '?');
		return;
	}
	arg = argv[optind - 1];
	if (strncmp(arg, "--", 2) == 0)
		arg += 2;
	n = RTE_MIN(strcspn(arg, "="), (size_t)SF_CFG_QUOTE_MAX);
	memcpy(name, arg, n);
	name[n] = '\0';
	for (i = 0; o[i].name != NULL; i++) {
		if (strncmp(o[i].name, name, n) == 0) {
			matches++;
			match = &o[i];
		}
	}
	if (matches == 1 && match->has_arg == no_argument)
		sf_cfg_err(err, "--%s: takes no value", match->name);
	else if (matches > 1)
		sf_cfg_err(err, "--%s: ambiguous option",
			   sf_cfg_quote(name, q, sizeof(q)));
	else
		sf_cfg_err(err, "--%s: unknown option",
			   sf_cfg_quote(name, q, sizeof(q)));
}

/* The option getopt just reported with ':' (optopt) lacks its value. */
static void
sf_missing_value(char err[SF_CONFIG_ERR_LEN])
{
	const char *name = "?";

	if (optopt >= SF_OPT_SETTING &&
	    optopt < (int)(SF_OPT_SETTING + SF_CFG_N_SETTINGS))
		name = sf_cfg_settings[optopt - SF_OPT_SETTING].opt;
	else if (optopt == SF_OPT_CONFIG)
		name = "config";
	sf_cfg_err(err, "--%s: missing value", name);
}

/* Pass 1: find --config and --help only; errors are pass 2's. */
static void
sf_args_scan(int argc, char **argv, const struct option *longopts,
	     const char **config, bool *help)
{
	int opt;

	*config = NULL;
	*help = false;
	sf_getopt_reset();
	while ((opt = getopt_long(argc, argv, SF_OPTSTRING, longopts,
				  NULL)) != -1) {
		if (opt == SF_OPT_CONFIG)
			*config = optarg;
		else if (opt == SF_OPT_HELP)
			*help = true;
	}
}

/* --config FILE: read over the defaults. */
static int
sf_args_config(struct sf_config *cfg, const char *config,
	       char err[SF_CONFIG_ERR_LEN])
{
	if (config[0] == '\0') {
		sf_cfg_err(err, "--config: empty value");
		return -1;
	}
	if (strlen(config) >= sizeof(cfg->config_file)) {
		sf_cfg_err(err, "--config: longer than %zu characters",
			   sizeof(cfg->config_file) - 1);
		return -1;
	}
	if (sf_config_load(cfg, config, err) != 0)
		return -1;
	strcpy(cfg->config_file, config);
	return 0;
}

/* Pass 2: every option but --config overrides the file, in order. */
static int
sf_args_overrides(struct sf_config *cfg, int argc, char **argv,
		  const struct option *longopts, char err[SF_CONFIG_ERR_LEN])
{
	char name[SF_CFG_QUOTE_LEN + 2], q[SF_CFG_QUOTE_LEN];
	int opt, idx;

	sf_getopt_reset();
	while ((opt = getopt_long(argc, argv, SF_OPTSTRING, longopts,
				  &idx)) != -1) {
		if (opt == '?') {
			sf_unknown_option(argv, longopts, err);
			return -1;
		}
		if (opt == ':') {
			sf_missing_value(err);
			return -1;
		}
		if (opt == SF_OPT_REMOVED) {
			sf_cfg_err(err,
				   "--%s: removed (a key on the command line is readable by every local user in /proc): use [cookie] key_file or --key-file",
				   longopts[idx].name);
			return -1;
		}
		if (opt < SF_OPT_SETTING)
			continue;	/* --config, done in pass 1 */
		/* the setting as this input names it, before every reason */
		snprintf(name, sizeof(name), "--%s", longopts[idx].name);
		if (sf_cfg_set(cfg, &sf_cfg_settings[opt - SF_OPT_SETTING],
			       optarg, name, err) != 0)
			return -1;
	}
	if (optind < argc) {
		sf_cfg_err(err, "'%s': unexpected argument",
			   sf_cfg_quote(argv[optind], q, sizeof(q)));
		return -1;
	}
	return 0;
}

int
sf_config_from_args(struct sf_config *cfg, int argc, char **argv,
		    char err[SF_CONFIG_ERR_LEN])
{
	struct option longopts[SF_N_LONGOPTS];
	const char *config;
	bool help;

	sf_longopts(longopts);
	sf_args_scan(argc, argv, longopts, &config, &help);
	sf_config_defaults(cfg);
	if (help) {
		sf_config_usage(stdout, argc > 0 ? argv[0] : NULL);
		return 1;
	}
	if (config != NULL && sf_args_config(cfg, config, err) != 0)
		return -1;
	if (sf_args_overrides(cfg, argc, argv, longopts, err) != 0)
		return -1;
	return sf_config_validate(cfg, err);
}

/*
 * The range of a setting's value, for the usage text: ", LO..HI" and the
 * like, "" when the value syntax says it all.
 */
static const char *
sf_usage_range(const struct sf_cfg_setting *s, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (s->type) {
	case SF_T_VIPS:
		snprintf(buf, len, ", up to %u", SF_CONFIG_MAX_VIPS);
		break;
	case SF_T_PORTS:
		snprintf(buf, len, ", %u..%u, up to %u", s->min, s->max,
			 SF_CONFIG_MAX_PORTS);
		break;
	case SF_T_BACKENDS:
		snprintf(buf, len, ", up to %u", SF_PROXY_MAX_BACKENDS);
		break;
	case SF_T_UINT:
	case SF_T_POW2:
		snprintf(buf, len, ", %u..%u", s->min, s->max);
		break;
	case SF_T_MTU:
		snprintf(buf, len, ", 0 or %u..%u", s->min, s->max);
		break;
	case SF_T_KEY:
	case SF_T_PREV_KEY:
	case SF_T_BOOL:
	case SF_T_CHOICE:
	case SF_T_PATH:
		break;
	}
	return buf;
}

/* A setting's lines: option, help, range, default; then its alias. */
static void
sf_usage_setting(FILE *f, const struct sf_cfg_setting *s)
{
	char opt[48], range[48];

	if (s->opt != NULL)
		snprintf(opt, sizeof(opt), "--%s %s", s->opt, s->arg);
	else	/* not an option: a key on the command line shows in /proc */
		snprintf(opt, sizeof(opt), "%s = %s (file only)", s->key,
			 s->arg);
	fprintf(f, "  %-26s %s%s (default %s)\n", opt, s->help,
		sf_usage_range(s, range, sizeof(range)),
		s->def != NULL ? s->def : s->unset);
	if (s->alias == NULL)
		return;
	snprintf(opt, sizeof(opt), "--%s %s", s->alias, s->arg);
	fprintf(f, "  %-26s same as --%s\n", opt, s->opt);
}

void
sf_config_usage(FILE *f, const char *prog)
{
	const char *base;
	unsigned int i;

	base = prog != NULL ? strrchr(prog, '/') : NULL;
	base = base != NULL ? base + 1 : prog;
	if (base == NULL || base[0] == '\0')
		base = "synfront";

	fprintf(f, "Usage: %s [EAL options] -- [--config FILE] [options]\n\n",
		base);
	fprintf(f,
		"SYN-cookie TCP handshake responder. The options override the\n"
		"INI file given with --config; an option is the file's key\n"
		"with '-' for '_'.\n\n");
	fprintf(f, "  %-26s %s\n", "--config FILE",
		 "INI file read before the options (none)");
	fprintf(f, "  %-26s %s\n", "-h, --help", "this text");
	/* the table is grouped by section, in the order of the usage text */
	for (i = 0; i < SF_CFG_N_SETTINGS; i++) {
		if (i == 0 || strcmp(sf_cfg_settings[i].section,
				     sf_cfg_settings[i - 1].section) != 0)
			fprintf(f, "\n[%s]\n", sf_cfg_settings[i].section);
		sf_usage_setting(f, &sf_cfg_settings[i]);
	}
	fprintf(f,
		"\nBooleans: on|off, yes|no, true|false, 1|0. "
		"Ranges LO..HI include both ends.\n");
}
