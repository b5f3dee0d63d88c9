// SPDX-License-Identifier: GPL-2.0
/*
 * How kfx watch prints names it does not control. A file name is any bytes
 * but '/' and NUL, chosen by whoever created the file, and comm is chosen
 * by the process: printed raw, a newline forges an event line and an ESC
 * sequence drives the administrator's terminal.
 *
 * Text: valid UTF-8 passes, except the C1 controls U+0080..U+009F (some
 * terminals obey them); backslash, control bytes (< 0x20, 0x7f), C1
 * controls and bytes that are not valid UTF-8 are written C-style: \\, \n,
 * \t, \r, else \xNN per byte. The output is unambiguous: every backslash in
 * it starts an escape.
 * JSON: valid UTF-8 passes, controls and C1 controls as \uXXXX (lossless,
 * JSON decoders return the same code points); a byte that is not valid
 * UTF-8 becomes U+FFFD and kfx_escape_json() returns true, so the caller
 * adds the raw bytes in hex (path_hex, comm_hex).
 */
#include <stdbool.h>
#include <stdio.h>

#include "kfx_cli.h"

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
 * none within n bytes; *cp gets the code point.
 */
size_t kfx_utf8_len(const unsigned char *s, size_t n, unsigned int *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (!n)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		*cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		*cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		*cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
}

static size_t bounded_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

void kfx_escape_text(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int cp;
	size_t i = 0, len, j;

	n = bounded_len(s, n);
	while (i < n) {
		len = kfx_utf8_len(u + i, n - i, &cp);
		if (len > 1 && cp >= 0xa0) {
			fwrite(u + i, 1, len, f);
			i += len;
			continue;
		}
		if (len == 1 && cp >= 0x20 && cp < 0x7f && cp != '\\') {
			putc(cp, f);
			i++;
			continue;
		}
		if (len == 1 && (cp == '\\' || cp == '\n' || cp == '\t' ||
				 cp == '\r')) {
			fprintf(f, "\\%c", cp == '\n' ? 'n' : cp == '\t' ? 't' :
				cp == '\r' ? 'r' : '\\');
			i++;
			continue;
		}
		/* a control, a C1 control's bytes, or an invalid byte */
		if (!len)
			len = 1;
		for (j = 0; j < len; j++)
			fprintf(f, "\\x%02x", u[i + j]);
		i += len;
	}
}

bool kfx_escape_json(FILE *f, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	bool lossy = false;
	unsigned int cp;
	size_t i = 0, len;

	n = bounded_len(s, n);
	putc('"', f);
	while (i < n) {
		len = kfx_utf8_len(u + i, n - i, &cp);
		if (!len) {
			fputs("\\ufffd", f);
			lossy = true;
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			fprintf(f, "\\u%04x", cp);
		else
			fwrite(u + i, 1, len, f);
		i += len;
	}
	putc('"', f);
	return lossy;
}

/* The raw bytes, two lowercase hex digits each, as a JSON string. */
void kfx_hex(FILE *f, const char *s, size_t n)
{
	size_t i;

	n = bounded_len(s, n);
	putc('"', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%02x", (unsigned char)s[i]);
	putc('"', f);
}
