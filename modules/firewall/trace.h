/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM arc_firewall

#if !defined(_ARC_FIREWALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARC_FIREWALL_TRACE_H

#include <linux/tracepoint.h>
#include <arc/pkt.h>

/* Why a packet was dropped. */
#define FW_DROP_BLOCKLIST	0
#define FW_DROP_PORT_RULE	1

#ifndef FW_TRACE_HELPERS
#define FW_TRACE_HELPERS
/* IPv4 as IPv4-mapped IPv6, so that one format prints both families. */
static inline void fw_trace_addr(u8 *dst, const struct arc_pkt *pkt)
{
	if (pkt->family == ARC_PKT_IPV6) {
		memcpy(dst, pkt->saddr, 16);
		return;
	}
	memset(dst, 0, 10);
	dst[10] = 0xff;
	dst[11] = 0xff;
	memcpy(dst + 12, pkt->saddr, 4);
}
#endif

/*
 * One dropped packet. IPv4 sources are shown IPv4-mapped (::ffff:a.b.c.d)
 * so that one format fits both families.
 */
TRACE_EVENT(arcfw_drop,
	    TP_PROTO(const struct arc_pkt *pkt, unsigned int reason),
	    TP_ARGS(pkt, reason),
	    TP_STRUCT__entry(__array(u8, saddr, 16)
			     __field(u32, len)
			     __field(u16, dport)
			     __field(u8, proto)
			     __field(u8, reason)),
	    TP_fast_assign(fw_trace_addr(__entry->saddr, pkt);
			   __entry->len = pkt->len;
			   __entry->dport = pkt->dport;
			   __entry->proto = pkt->proto;
			   __entry->reason = reason;),
	    TP_printk("reason=%s src=%pI6c proto=%u dport=%u len=%u",
		      __entry->reason == FW_DROP_BLOCKLIST ? "blocklist" : "port-rule",
		      __entry->saddr, __entry->proto, __entry->dport,
		      __entry->len)
);

#endif /* _ARC_FIREWALL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
