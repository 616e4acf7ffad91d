/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM arc_pktan

#if !defined(_ARC_PKTAN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARC_PKTAN_TRACE_H

#include <linux/tracepoint.h>

#include "pktan.h"

#ifndef PA_TRACE_HELPERS
#define PA_TRACE_HELPERS
/*
 * IPv4 as IPv4-mapped IPv6, so that one format prints both families; no
 * address (an unreadable header) as ::.
 */
static inline void pa_trace_addr(u8 *dst, u8 family, const u8 *addr)
{
	if (!addr) {
		memset(dst, 0, 16);
		return;
	}
	if (family == ARC_PKT_IPV6) {
		memcpy(dst, addr, 16);
		return;
	}
	memset(dst, 0, 10);
	dst[10] = 0xff;
	dst[11] = 0xff;
	memcpy(dst + 12, addr, 4);
}

static inline void pa_trace_qname(char *dst, const char *qname)
{
	strcpy(dst, qname ? qname : "");
}
#endif

/*
 * One packet counted at PRE_ROUTING (and at LOCAL_OUT with local_out=1):
 * the counters' view of it, for tools that aggregate per source (arcpkt
 * trace): hook (&enum arcpkt_hook), family (4 or 6, the hook's), proto
 * (&enum arcpkt_proto), len (bytes from the network header), malformed
 * (counted as malformed too). saddr is :: when the IP header was
 * unreadable. userspace/arcpkt/trace_bpf.h has this record's layout.
 */
TRACE_EVENT(pktan_packet,
	    TP_PROTO(unsigned int hook, u8 family, const u8 *saddr,
		     unsigned int proto, unsigned int len, bool malformed),
	    TP_ARGS(hook, family, saddr, proto, len, malformed),
	    TP_STRUCT__entry(__array(u8, saddr, 16)
			     __field(u32, len)
			     __field(u8, hook)
			     __field(u8, family)
			     __field(u8, proto)
			     __field(u8, malformed)),
	    TP_fast_assign(pa_trace_addr(__entry->saddr, family, saddr);
			   __entry->len = len;
			   __entry->hook = hook;
			   __entry->family = family;
			   __entry->proto = proto;
			   __entry->malformed = malformed;),
	    TP_printk("hook=%u family=%u src=%pI6c class=%u len=%u malformed=%u",
		      __entry->hook, __entry->family, __entry->saddr,
		      __entry->proto, __entry->len, __entry->malformed)
);

/* The format file names the values, for tools that read it (perf). */
TRACE_DEFINE_ENUM(ARCPKT_DETECT_SYN_FLOOD);
TRACE_DEFINE_ENUM(ARCPKT_DETECT_PORT_SCAN);
TRACE_DEFINE_ENUM(ARCPKT_DETECT_DNS_QUERY);

/* One detection (&enum arcpkt_detect), rate limit or not. */
TRACE_EVENT(pktan_detect,
	    TP_PROTO(const struct pa_event *ev),
	    TP_ARGS(ev),
	    TP_STRUCT__entry(__array(u8, saddr, 16)
			     __array(u8, daddr, 16)
			     __field(u32, count)
			     __field(u16, dport)
			     __field(u16, qtype)
			     __field(u8, type)
			     __field(u8, probes)
			     __dynamic_array(char, qname,
					     ev->qname ? strlen(ev->qname) + 1 : 1)),
	    TP_fast_assign(pa_trace_addr(__entry->saddr, ev->family, ev->saddr);
			   pa_trace_addr(__entry->daddr, ev->family, ev->daddr);
			   __entry->count = ev->count;
			   __entry->dport = ev->dport;
			   __entry->qtype = ev->qtype;
			   __entry->type = ev->type;
			   __entry->probes = ev->probes;
			   pa_trace_qname(__get_dynamic_array(qname),
					  ev->qname);),
	    TP_printk("type=%s src=%pI6c dst=%pI6c dport=%u count=%u probes=0x%x qname=%s qtype=%u",
		      __print_symbolic(__entry->type,
				       { ARCPKT_DETECT_SYN_FLOOD, "syn-flood" },
				       { ARCPKT_DETECT_PORT_SCAN, "port-scan" },
				       { ARCPKT_DETECT_DNS_QUERY, "dns-query" }),
		      __entry->saddr, __entry->daddr, __entry->dport,
		      __entry->count, __entry->probes,
		      (char *)__get_dynamic_array(qname), __entry->qtype)
);

#endif /* _ARC_PKTAN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
