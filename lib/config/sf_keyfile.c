/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Key files: the text parsed line by line, the mode check, the read, and
 * the roll that turns a file's keys into the running keys.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sf_keyfile.h"
#include "sf_text.h"

#define SF_KEY_HEX_LEN	32	/**< hex digits of a key */
#define SF_KEYFILE_MAX_KEYS	2

/* One line [b, e) (no '\n'), number @p lineno, into key @p k. */
static int
sf_kf_line(const char *b, const char *e, unsigned int lineno,
	   struct sf_siphash_key *k, char *reason, size_t rlen)
{
	char hex[SF_KEY_HEX_LEN + 1];
	int ret;

	sf_text_trim(&b, &e, " \t\r");
	if (b == e) {
		snprintf(reason, rlen, "line %u: blank", lineno);
		return -1;
	}
	if (e - b != SF_KEY_HEX_LEN) {
		snprintf(reason, rlen, "line %u: not 32 hex digits", lineno);
		return -1;
	}
	memcpy(hex, b, SF_KEY_HEX_LEN);
	hex[SF_KEY_HEX_LEN] = '\0';
	ret = sf_cookie_key_parse(hex, k);
	explicit_bzero(hex, sizeof(hex));	/* no copy of the key left */
	if (ret != 0) {
		snprintf(reason, rlen, "line %u: not 32 hex digits", lineno);
		return -1;
	}
	return 0;
}

int
sf_keyfile_parse(const char *text, size_t len, struct sf_keyfile *kf,
		 char *reason, size_t rlen)
{
	struct sf_siphash_key keys[SF_KEYFILE_MAX_KEYS] = { { 0, 0 } };
	const char *p = text, *end = text + len, *nl;
	unsigned int n = 0;
	int ret = -1;

	if (len == 0) {
		snprintf(reason, rlen, "empty");
		return -1;
	}
	if (memchr(text, '\0', len) != NULL) {
		snprintf(reason, rlen, "holds a NUL byte");
		return -1;
	}
	/* A final newline ends the last line; it does not open another. */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (n == SF_KEYFILE_MAX_KEYS) {
			snprintf(reason, rlen,
				 "line %u: more than two lines (key, previous_key)",
				 n + 1);
			goto out;
		}
		if (sf_kf_line(p, nl, n + 1, &keys[n], reason, rlen) != 0)
			goto out;
		n++;
		p = nl + 1;
	}
	kf->key = keys[0];
	kf->n_keys = n;
	if (n == SF_KEYFILE_MAX_KEYS)
		kf->previous = keys[1];
	else
		memset(&kf->previous, 0, sizeof(kf->previous));
	ret = 0;
out:
	explicit_bzero(keys, sizeof(keys));
	return ret;
}

int
sf_keyfile_mode_check(const char *path, mode_t mode, char *reason,
		      size_t rlen)
{
	if ((mode & SF_KEYFILE_MODE_OTHERS) == 0)
		return 0;
	snprintf(reason, rlen,
		 "readable by other users (mode %04o): chmod 600 %s",
		 (unsigned int)(mode & 07777), path);
	return -1;
}

int
sf_keyfile_read(const char *path, struct sf_keyfile *kf, char *reason,
		size_t rlen)
{
	char buf[SF_KEYFILE_MAX_BYTES + 1];
	struct stat st;
	ssize_t n;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(reason, rlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0)
		snprintf(reason, rlen, "cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(reason, rlen, "not a regular file");
	else if (sf_keyfile_mode_check(path, st.st_mode, reason, rlen) == 0) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			snprintf(reason, rlen, "cannot read: %s",
				 strerror(errno));
		else if (n > SF_KEYFILE_MAX_BYTES)
			snprintf(reason, rlen, "longer than %u bytes",
				 SF_KEYFILE_MAX_BYTES);
		else
			ret = sf_keyfile_parse(buf, (size_t)n, kf, reason,
					       rlen);
	}
	/* the key leaves no copy on the stack */
	explicit_bzero(buf, sizeof(buf));	/* not optimised away */
	close(fd);
	return ret;
}

void
sf_keys_roll(const struct sf_cookie_keys *running,
	     const struct sf_keyfile *kf, struct sf_cookie_keys *out)
{
	struct sf_cookie_keys k;

	memset(&k, 0, sizeof(k));
	k.cur = kf->key;
	if (kf->n_keys == SF_KEYFILE_MAX_KEYS) {
		k.prev = kf->previous;
		k.has_prev = 1;
	} else if (running != NULL &&
		   (running->cur.k0 != kf->key.k0 ||
		    running->cur.k1 != kf->key.k1)) {
		k.prev = running->cur;
		k.has_prev = 1;
	} else if (running != NULL) {
		/* the same key again: the roll in progress stays */
		k.prev = running->prev;
		k.has_prev = running->has_prev;
	}
	*out = k;
	explicit_bzero(&k, sizeof(k));
}

int
sf_keyfile_load(const char *path, const struct sf_cookie_keys *running,
		struct sf_cookie_keys *out, char *reason, size_t rlen)
{
	struct sf_keyfile kf;

	if (sf_keyfile_read(path, &kf, reason, rlen) != 0)
		return -1;
	sf_keys_roll(running, &kf, out);
	explicit_bzero(&kf, sizeof(kf));
	return 0;
}
