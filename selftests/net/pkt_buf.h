/* SPDX-License-Identifier: GPL-2.0 */
/* A packet in a userspace buffer, read the way skb_header_pointer() would. */
#ifndef _ARC_SELFTEST_PKT_BUF_H
#define _ARC_SELFTEST_PKT_BUF_H

#include <stdint.h>
#include <string.h>

struct buf {
	const uint8_t *p;
	uint32_t len;
};

static inline void *rd(const void *ctx, uint32_t off, uint32_t len, void *tmp)
{
	const struct buf *b = ctx;

	if (off > b->len || len > b->len - off)
		return NULL;
	memcpy(tmp, b->p + off, len);
	return tmp;
}

#endif
