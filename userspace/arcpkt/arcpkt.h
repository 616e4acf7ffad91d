/* SPDX-License-Identifier: GPL-2.0 */
/* arcpkt: what its commands share. */
#ifndef _ARCPKT_H
#define _ARCPKT_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes (documented in arcpkt(8) and `arcpkt help`). */
enum {
	EX_OK = 0,
	EX_USAGE = 1,
	EX_NOMODULE = 2,
	EX_PERM = 3,
	EX_INVAL = 4,
	EX_TIMEOUT = 5,
	EX_FAIL = 7,
};

const char *arcpkt_hook_name(unsigned int hook);
const char *arcpkt_proto_name(unsigned int proto);
const char *arcpkt_detect_name(unsigned int type);
int arcpkt_trace(double interval, double duration, size_t limit, bool json);

#endif /* _ARCPKT_H */
