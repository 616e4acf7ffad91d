// SPDX-License-Identifier: GPL-2.0
/*
 * arc_pkt_parse() and arc_pkt_parse_addrs(): the packet parser with any
 * read callback. Userspace tests build this file too (their build turns
 * EXPORT_SYMBOL_ARC into a plain redeclaration).
 */
#include <arc/pkt_parse.h>

#ifdef __KERNEL__
#include <arc/arc.h>
#endif

int arc_pkt_parse(struct arc_pkt *pkt, arc_pkt_read_t read, const void *ctx,
		  u32 len)
{
	return __arc_pkt_parse(pkt, read, ctx, len, true);
}
EXPORT_SYMBOL_ARC(arc_pkt_parse, ARC_NET);

int arc_pkt_parse_addrs(struct arc_pkt *pkt, arc_pkt_read_t read,
			const void *ctx, u32 len)
{
	return __arc_pkt_parse(pkt, read, ctx, len, false);
}
EXPORT_SYMBOL_ARC(arc_pkt_parse_addrs, ARC_NET);
