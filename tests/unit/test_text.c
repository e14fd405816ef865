/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/text: list items, trims, decimals and quotes, as
 * tables of input and expected output.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include "sf_text.h"

#define MAX_ITEMS	4

static const struct {
	const char *list;
	unsigned int n;
	const char *items[MAX_ITEMS];
} lists[] = {
	{ "a", 1, { "a" } },
	{ "", 1, { "" } },
	{ "a,b", 2, { "a", "b" } },
	{ " a , b ", 2, { " a ", " b " } },	/* untrimmed */
	{ ",", 2, { "", "" } },
	{ "a,,b,", 4, { "a", "", "b", "" } },
};

static void
test_text_item(void **state)
{
	unsigned int i, n;

	(void)state;
	for (i = 0; i < RTE_DIM(lists); i++) {
		const char *p = lists[i].list, *b, *e;
		int more;

		n = 0;
		do {
			more = sf_text_item(&p, &b, &e);
			assert_true(n < lists[i].n);
			assert_int_equal(e - b, strlen(lists[i].items[n]));
			assert_memory_equal(b, lists[i].items[n], e - b);
			n++;
		} while (more);
		if (n != lists[i].n)
			fail_msg("'%s': %u items, want %u", lists[i].list, n,
				 lists[i].n);
	}
}

static const struct {
	const char *text;
	const char *set;
	const char *trimmed;
} trims[] = {
	{ "a", SF_TEXT_BLANKS, "a" },
	{ "", SF_TEXT_BLANKS, "" },
	{ " \t ", SF_TEXT_BLANKS, "" },
	{ "\t a b \t", SF_TEXT_BLANKS, "a b" },
	{ "\r a \n", SF_TEXT_BLANKS, "\r a \n" },	/* blanks only */
	{ "\r\v a b\f\n ", SF_TEXT_SPACES, "a b" },
};

static void
test_text_trim(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(trims); i++) {
		const char *b = trims[i].text, *e = b + strlen(b);

		sf_text_trim(&b, &e, trims[i].set);
		if ((size_t)(e - b) != strlen(trims[i].trimmed) ||
		    memcmp(b, trims[i].trimmed, (size_t)(e - b)) != 0)
			fail_msg("row %u: got '%.*s', want '%s'", i,
				 (int)(e - b), b, trims[i].trimmed);
	}
}

static const struct {
	const char *text;
	uint32_t min, max;
	int ret;
	uint32_t v;
} decimals[] = {
	{ "0", 0, 10, 0, 0 },
	{ "10", 0, 10, 0, 10 },
	{ "0080", 1, 65535, 0, 80 },
	{ "4294967295", 0, UINT32_MAX, 0, UINT32_MAX },
	{ "4294967296", 0, UINT32_MAX, -ERANGE, 0 },
	{ "99999999999999999999999", 0, 14, -ERANGE, 0 },
	{ "99999999999999999999x", 0, 14, -EINVAL, 0 },
	{ "11", 0, 10, -ERANGE, 0 },
	{ "0", 1, 10, -ERANGE, 0 },
	{ "", 0, 10, -EINVAL, 0 },
	{ " 1", 0, 10, -EINVAL, 0 },
	{ "1 ", 0, 10, -EINVAL, 0 },
	{ "+1", 0, 10, -EINVAL, 0 },
	{ "0x1", 0, 10, -EINVAL, 0 },
};

static void
test_text_u32(void **state)
{
	unsigned int i;
	uint32_t v;
	int ret;

	(void)state;
	for (i = 0; i < RTE_DIM(decimals); i++) {
		const char *t = decimals[i].text;

		v = 0;
		ret = sf_text_u32(t, t + strlen(t), decimals[i].min,
				  decimals[i].max, &v);
		if (ret != decimals[i].ret || v != decimals[i].v)
			fail_msg("'%s': got %d (%u), want %d (%u)", t, ret, v,
				 decimals[i].ret, decimals[i].v);
	}
}

static const struct {
	const char *text;
	size_t len;		/* buffer size */
	const char *quoted;
} quotes[] = {
	{ "abc", 8, "abc" },
	{ "", 8, "" },
	{ "a\tb\nc\x7f", 16, "a?b?c?" },
	{ "abcd", 8, "abcd" },		/* len - 4 characters: kept whole */
	{ "abcde", 8, "abcd..." },
	{ "\x01" "bcdefgh", 6, "?b..." },
};

static void
test_text_quote(void **state)
{
	char buf[32];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(quotes); i++) {
		const char *t = quotes[i].text;

		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(sf_text_quote(t, t + strlen(t), buf,
					       quotes[i].len), buf);
		if (strcmp(buf, quotes[i].quoted) != 0)
			fail_msg("'%s': got \"%s\", want \"%s\"", t, buf,
				 quotes[i].quoted);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_item),
		cmocka_unit_test(test_text_trim),
		cmocka_unit_test(test_text_u32),
		cmocka_unit_test(test_text_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
