/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/text: list items and quotes, as tables of input and
 * expected output.
 */

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
		cmocka_unit_test(test_text_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
