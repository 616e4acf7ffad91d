// SPDX-License-Identifier: GPL-2.0
/*
 * arc_pkt_parse(): the packet parser with any read callback. Userspace
 * tests build this file too.
 */
#include "pkt_parse.h"

int arc_pkt_parse(struct arc_pkt *pkt, arc_pkt_read_t read, const void *ctx,
		  u32 len)
{
	return __arc_pkt_parse(pkt, read, ctx, len);
}

#ifdef __KERNEL__
#include <arc/arc.h>
EXPORT_SYMBOL_ARC(arc_pkt_parse, ARC_NET);
#endif
