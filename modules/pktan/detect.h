/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc_pktan's analysis, in plain C with no kernel calls: the packet's
 * class and malformation, the DNS query parser, the detectors' tables and
 * the top talkers. It builds into the module and into userspace
 * (selftests/pktan/detect_test and the fuzzer), which pass u8, u16, u32,
 * u64 and bool. Nothing here locks or allocates: the module gives each
 * function one bucket of a table, under that bucket's lock, and the
 * memory was sized once, when the namespace was created.
 *
 * Tables are set-associative: a key's hash picks a bucket of PA_WAYS
 * entries, and a key that finds its bucket full takes the place of the
 * entry worth least (an expired one first, then the one with the lowest
 * count, the oldest of those). A flood of new keys therefore only ever
 * displaces other new keys with little to show, and a table never grows.
 */
#ifndef _ARC_PKTAN_DETECT_H
#define _ARC_PKTAN_DETECT_H

#include <arc/pkt.h>
#include <uapi/arc/pktan.h>

#define PA_WAYS			4
#define PA_DNS_MAX_QUESTIONS	4

/**
 * pa_proto_class() - the counter class of a transport protocol
 * @proto: IPPROTO_* after any IPv6 extension headers
 *
 * Return: an &enum arcpkt_proto.
 */
static inline unsigned int pa_proto_class(u8 proto)
{
	switch (proto) {
	case 6:
		return ARCPKT_PROTO_TCP;
	case 17:
		return ARCPKT_PROTO_UDP;
	case 1:
		return ARCPKT_PROTO_ICMP;
	case 58:
		return ARCPKT_PROTO_ICMPV6;
	default:
		return ARCPKT_PROTO_OTHER;
	}
}

/* pa_classify()'s verdict when nothing is wrong with a packet. */
#define PA_WELL_FORMED	ARCPKT_NR_MALFORMED

/**
 * pa_classify() - is a parsed packet malformed, and how
 * @pkt: the packet as arc_pkt_parse() left it
 * @err: what arc_pkt_parse() returned
 * @read: the packet's read function, as given to arc_pkt_parse()
 * @ctx: its context
 *
 * Inline: on the packet path, @read becomes a direct call.
 *
 * Return: an &enum arcpkt_malformed, or PA_WELL_FORMED.
 */
static inline int pa_classify(const struct arc_pkt *pkt, int err,
			      arc_pkt_read_t read, const void *ctx)
{
	u8 buf[1];
	const u8 *h;
	u32 doff;

	switch (err) {
	case ARC_PKT_OK:
		break;
	case ARC_PKT_EEXTHDR:
		/* A first fragment whose chain runs on into the next one. */
		return pkt->flags & ARC_PKT_FRAG ? ARCPKT_MAL_TINY_FRAG :
						   ARCPKT_MAL_EXTHDR;
	default:
		return ARCPKT_MAL_HEADER;
	}
	if (arc_pkt_frag_hides_l4(pkt))
		return pkt->flags & ARC_PKT_LATER_FRAG ?
		       ARCPKT_MAL_FRAG_OVERLAP : ARCPKT_MAL_TINY_FRAG;
	if (pkt->flags & ARC_PKT_TRUNCATED)
		return pkt->flags & ARC_PKT_FRAG ? ARCPKT_MAL_TINY_FRAG :
						   ARCPKT_MAL_TRUNCATED;
	if (pkt->proto != 6 || !(pkt->flags & ARC_PKT_L4))
		return PA_WELL_FORMED;
	/* The parser read all 20 bytes of the TCP header: byte 12 is there. */
	h = read(ctx, pkt->l4_offset + 12, 1, buf);
	if (!h)
		return ARCPKT_MAL_TRUNCATED;
	doff = (h[0] >> 4) * 4u;
	/* A first fragment's header may end in the next fragment: RFC 1858. */
	if (doff < 20)
		return ARCPKT_MAL_TCP_DOFF;
	if (doff > pkt->len - pkt->l4_offset)
		return pkt->flags & ARC_PKT_FRAG ? ARCPKT_MAL_TINY_FRAG :
						   ARCPKT_MAL_TCP_DOFF;
	return PA_WELL_FORMED;
}

/* What a TCP packet's flags make it, for the detectors. */
#define PA_TCP_FIN	0x01
#define PA_TCP_SYN	0x02
#define PA_TCP_RST	0x04
#define PA_TCP_PSH	0x08
#define PA_TCP_ACK	0x10
#define PA_TCP_URG	0x20

u8 pa_probe_kind(const struct arc_pkt *pkt);

/**
 * struct pa_dns_query - one question of a DNS query
 * @name: the name, dotted, NUL-terminated; "." for the root
 * @qtype: its type (1 A, 28 AAAA ...)
 */
struct pa_dns_query {
	char name[ARCPKT_QNAME_SIZE];
	u16 qtype;
};

/* pa_dns_parse() results besides a count of questions. */
#define PA_DNS_BAD	(-1)	/* malformed: count it */
#define PA_DNS_SKIP	0	/* a response, no question, or not whole */

int pa_dns_parse(arc_pkt_read_t read, const void *ctx, u32 off, u32 len,
		 struct pa_dns_query *q);

/**
 * struct pa_src - a source the port-scan detector follows
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6; 0 for a free entry
 * @nports: distinct destination ports in @ports
 * @probes: ARCPKT_PROBE_* bits of the probes seen in the window
 * @reported: the window's detection was made
 * @addr: the source address
 * @start: when the window began (the caller's clock)
 * @ports: the distinct ports probed in the window, in arrival order
 */
struct pa_src {
	u8 family;
	u8 nports;
	u8 probes;
	u8 reported;
	u8 addr[16];
	u64 start;
	u16 ports[ARCPKT_SCAN_THRESHOLD_MAX];
};

/**
 * struct pa_scan_cfg - the port-scan detector's settings
 * @window: window length on the caller's clock
 * @threshold: distinct ports that make a scan, 2..ARCPKT_SCAN_THRESHOLD_MAX
 */
struct pa_scan_cfg {
	u64 window;
	u32 threshold;
};

u32 pa_scan_observe(struct pa_src *bucket, const struct arc_pkt *pkt,
		    u8 probe, u64 now, const struct pa_scan_cfg *cfg,
		    u8 *probes, u64 *evictions);

/**
 * struct pa_dst - a destination the SYN-flood detector follows
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6; 0 for a free entry
 * @reported: the window's detection was made
 * @port: destination port
 * @addr: destination address
 * @start: when the window began
 * @syns: SYNs in the window
 * @done: handshakes completed in the window
 */
struct pa_dst {
	u8 family;
	u8 reported;
	u16 port;
	u8 addr[16];
	u64 start;
	u32 syns;
	u32 done;
};

/**
 * struct pa_pending - a SYN waiting for the ACK that completes its
 *	handshake
 * @key: the connection's hash (never 0; 0 marks a free entry)
 * @time: when its SYN came
 */
struct pa_pending {
	u64 key;
	u64 time;
};

/**
 * struct pa_syn_cfg - the SYN-flood detector's settings
 * @window: window length on the caller's clock
 * @threshold: SYNs without a handshake that make a flood
 */
struct pa_syn_cfg {
	u64 window;
	u32 threshold;
};

void pa_pending_add(struct pa_pending *bucket, u64 key, u64 now,
		    u64 window, u64 *evictions);
bool pa_pending_take(struct pa_pending *bucket, u64 key, u64 now,
		     u64 window);
u32 pa_syn_observe(struct pa_dst *bucket, const struct arc_pkt *pkt,
		   u64 now, const struct pa_syn_cfg *cfg, u64 *evictions);
void pa_syn_done(struct pa_dst *bucket, const struct arc_pkt *pkt, u64 now,
		 u64 window);

/**
 * struct pa_talker - one source counted by the top talkers
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @addr: the source address
 * @hash: the caller's hash of (family, addr)
 * @packets: packets counted for it, including @err
 * @bytes: its bytes since it took this entry
 * @err: packets it may have been given that were another's
 */
struct pa_talker {
	u8 family;
	u8 addr[16];
	u32 hash;
	u64 packets;
	u64 bytes;
	u64 err;
};

/**
 * struct pa_top - the heaviest sources, by the Space-Saving algorithm
 * @k: capacity (entries in @t), at most 32768
 * @n: entries in use
 * @mask: slots in @index, a power of two at least 2 * @k, less one
 * @t: the entries
 * @index: open addressing on &pa_talker.hash: each slot an index into @t
 *	or PA_TOP_FREE
 * @floor: no entry has fewer packets than this (once all k are in use)
 * @cursor: where the search for an entry at @floor goes on from
 *
 * With k entries, after N packets: every source with more than N / k
 * packets has an entry, and an entry's count exceeds the source's true
 * count by at most its @err, itself at most N / k.
 */
struct pa_top {
	u32 k;
	u32 n;
	u32 mask;
	struct pa_talker *t;
	u16 *index;
	u64 floor;
	u32 cursor;
};

#define PA_TOP_FREE	0xffff

void pa_top_reset(struct pa_top *top);
void pa_top_add(struct pa_top *top, u32 hash, const struct arc_pkt *pkt,
		u32 bytes);

#endif /* _ARC_PKTAN_DETECT_H */
