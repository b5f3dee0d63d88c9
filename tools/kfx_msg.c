// SPDX-License-Identifier: GPL-2.0
/*
 * One-line messages of the kfx commands (kfx, kfx-bench): each program
 * names itself in kfx_prog.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kfx_cli.h"

/* "PROG: MESSAGE" on standard error, without the newline. */
static void kfx_vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", kfx_prog);
	vfprintf(stderr, fmt, ap);
}

/* A one-line error for bad input, then exit 2. */
void kfx_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kfx_vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", kfx_prog);
	exit(KFX_EXIT_USAGE);
}

void kfx_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kfx_vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
