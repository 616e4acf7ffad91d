/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What arcpkt's BPF programs (arcpkt.bpf.c) and arcpkt share: the records
 * of arc_pktan's tracepoints (modules/pktan/trace.h) as a classic
 * tracepoint program sees them, and the maps' keys and values. arcpkt
 * checks the record layouts against the kernel's format files.
 */
#ifndef _ARCPKT_TRACE_BPF_H
#define _ARCPKT_TRACE_BPF_H

#include <linux/types.h>

#define ARCPKT_TRACE_SOURCES	65536
/* Hooks x families x protocol classes. */
#define ARCPKT_TRACE_CLASSES	20

/* arc_pktan:pktan_packet */
struct arcpkt_packet_ctx {
	__u64 common;
	__u8 saddr[16];
	__u32 len;
	__u8 hook;
	__u8 family;
	__u8 proto;
	__u8 malformed;
};

/* arc_pktan:pktan_detect */
struct arcpkt_detect_ctx {
	__u64 common;
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 count;
	__u16 dport;
	__u16 qtype;
	__u8 type;
	__u8 probes;
	__u16 pad;
	__u32 qname_loc;	/* __data_loc: length << 16 | offset */
};

struct arcpkt_trace_key {
	__u8 addr[16];		/* IPv4 as ::ffff:a.b.c.d */
	__u8 family;		/* 4 or 6 */
	__u8 pad[3];
};

struct arcpkt_trace_val {
	__u64 packets;
	__u64 bytes;
};

struct arcpkt_trace_event {
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 count;
	__u16 dport;
	__u16 qtype;
	__u8 type;
	__u8 probes;
	char qname[256];
};

#endif /* _ARCPKT_TRACE_BPF_H */
