// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of kfx watch's output escaping (tools/kfx_escape.c), without a
 * kernel. Prints "PASS name" / "FAIL name: ..." per case and exits 1 on
 * any failure. Built and run by tests/cli/run.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfx_cli.h"

static int fails, passes;

static void report(const char *name, const char *kind, const char *got,
		   const char *want)
{
	if (!strcmp(got, want)) {
		passes++;
		printf("PASS %s-%s\n", kind, name);
	} else {
		fails++;
		printf("FAIL %s-%s: got [%s], want [%s]\n", kind, name, got,
		       want);
	}
}

/* in (n bytes, NUL-terminated or not) -> text and JSON forms */
static void t(const char *name, const char *in, size_t n, const char *text,
	      const char *json, bool lossy)
{
	char *buf;
	size_t len;
	bool got_lossy;
	FILE *f;

	f = open_memstream(&buf, &len);
	kfx_escape_text(f, in, n);
	fclose(f);
	report(name, "text", buf, text);
	free(buf);

	f = open_memstream(&buf, &len);
	got_lossy = kfx_escape_json(f, in, n);
	fclose(f);
	report(name, "json", buf, json);
	free(buf);
	if (got_lossy != lossy) {
		fails++;
		printf("FAIL lossy-%s: got %d\n", name, got_lossy);
	} else {
		passes++;
		printf("PASS lossy-%s\n", name);
	}
}

int main(void)
{
	char *buf;
	size_t len;
	FILE *f;

	t("plain", "/tmp/x.log", 64, "/tmp/x.log", "\"/tmp/x.log\"", false);
	t("newline-forgery", "/tmp/a\n12:00:00.000000 1 root 0 /etc/shadow",
	  128, "/tmp/a\\n12:00:00.000000 1 root 0 /etc/shadow",
	  "\"/tmp/a\\n12:00:00.000000 1 root 0 /etc/shadow\"", false);
	t("esc", "a\x1b[31mred\x1b]0;t\x07", 64, "a\\x1b[31mred\\x1b]0;t\\x07",
	  "\"a\\u001b[31mred\\u001b]0;t\\u0007\"", false);
	t("backslash", "a\\x1b", 64, "a\\\\x1b", "\"a\\\\x1b\"", false);
	t("quote", "a\"b", 64, "a\"b", "\"a\\\"b\"", false);
	t("tab-cr-del", "\t\r\x7f", 64, "\\t\\r\\x7f", "\"\\t\\r\\u007f\"",
	  false);
	t("utf8", "caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80", 64,
	  "caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80",
	  "\"caf\xc3\xa9-\xe6\x97\xa5\xf0\x9f\x98\x80\"", false);
	/* U+009B (CSI) in UTF-8: a terminal control on some terminals */
	t("c1-csi", "a\xc2\x9b" "31m", 64, "a\\xc2\\x9b31m",
	  "\"a\\u009b31m\"", false);
	t("invalid-byte", "a\xff" "b", 64, "a\\xffb", "\"a\\ufffdb\"", true);
	t("lone-continuation", "\x80", 64, "\\x80", "\"\\ufffd\"", true);
	t("overlong-slash", "\xc0\xaf", 64, "\\xc0\\xaf",
	  "\"\\ufffd\\ufffd\"", true);
	t("overlong-3", "\xe0\x80\xaf", 64, "\\xe0\\x80\\xaf",
	  "\"\\ufffd\\ufffd\\ufffd\"", true);
	t("surrogate", "\xed\xa0\x80", 64, "\\xed\\xa0\\x80",
	  "\"\\ufffd\\ufffd\\ufffd\"", true);
	t("above-max", "\xf4\x90\x80\x80", 64, "\\xf4\\x90\\x80\\x80",
	  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", true);
	t("max", "\xf4\x8f\xbf\xbf", 64, "\xf4\x8f\xbf\xbf",
	  "\"\xf4\x8f\xbf\xbf\"", false);
	/* a sequence cut by the buffer end (event truncation) is invalid */
	t("cut-sequence", "ab\xe6\x97", 4, "ab\\xe6\\x97",
	  "\"ab\\ufffd\\ufffd\"", true);
	/* stops at n without a NUL, and at a NUL before n */
	t("bounded", "abcdef", 3, "abc", "\"abc\"", false);
	t("nul", "ab\0cd", 5, "ab", "\"ab\"", false);

	f = open_memstream(&buf, &len);
	kfx_hex(f, "/\xff\n", 8);
	fclose(f);
	report("hex", "hex", buf, "\"2fff0a\"");
	free(buf);

	printf("%d passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}
