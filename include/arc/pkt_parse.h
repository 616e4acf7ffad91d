/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet parser behind include/arc/pkt.h. Plain C: it builds in the
 * kernel (arc_net.ko, and the hooks that use __arc_pkt_from_skb() from
 * include/arc/net.h) and in userspace (selftests/net/pkt_test, the
 * fuzzers), and reads the packet only through the caller's read callback.
 *
 * Everything is always inlined into the caller of __arc_pkt_parse(), so
 * that a caller passing a known read function (__arc_pkt_from_skb())
 * gets direct calls, not one indirect call per header on the packet
 * path, and a constant @l4 drops the code it turns off. Nothing here is
 * API besides __arc_pkt_parse(): the rest are its pieces.
 */
#ifndef _ARC_PKT_PARSE_H
#define _ARC_PKT_PARSE_H

#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/string.h>
#else
/* Userspace builds pass -D__always_inline=... as they do for u8 etc. */
#include <stdbool.h>
#include <string.h>
#endif

/*
 * The read buffers below are written by the read function before any use
 * (or it returns NULL): a kernel built with INIT_STACK_ALL_ZERO need not
 * zero them for every packet first.
 */
#ifndef __uninitialized
#define __uninitialized
#endif

#include <arc/pkt.h>

/* Protocol numbers, spelled out so that userspace needs no kernel headers. */
#define ARC_P_HOPOPTS		0
#define ARC_P_ICMP		1
#define ARC_P_TCP		6
#define ARC_P_UDP		17
#define ARC_P_ROUTING		43
#define ARC_P_FRAGMENT		44
#define ARC_P_ESP		50
#define ARC_P_AH		51
#define ARC_P_ICMPV6		58
#define ARC_P_NONE		59
#define ARC_P_DSTOPTS		60
#define ARC_P_MH		135

static __always_inline u16 arc_pkt_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static __always_inline void arc_pkt_parse_l4(struct arc_pkt *pkt,
					     arc_pkt_read_t read,
					     const void *ctx, u32 off)
{
	u8 buf[20] __uninitialized;
	const u8 *h;
	u32 need;

	switch (pkt->proto) {
	case ARC_P_TCP:
		need = 20;
		break;
	case ARC_P_UDP:
		need = 8;
		break;
	case ARC_P_ICMP:
	case ARC_P_ICMPV6:
		need = 2;
		break;
	default:
		return;
	}
	pkt->l4_offset = off;
	h = off <= pkt->len && need <= pkt->len - off ?
	    read(ctx, off, need, buf) : NULL;
	if (!h) {
		pkt->flags |= ARC_PKT_TRUNCATED;
		return;
	}
	if (pkt->proto == ARC_P_TCP || pkt->proto == ARC_P_UDP) {
		pkt->sport = arc_pkt_get16(h);
		pkt->dport = arc_pkt_get16(h + 2);
		if (pkt->proto == ARC_P_TCP)
			pkt->tcp_flags = h[13];
	} else {
		pkt->icmp_type = h[0];
		pkt->icmp_code = h[1];
	}
	pkt->flags |= ARC_PKT_L4;
}

static __always_inline int arc_pkt_parse_ipv4(struct arc_pkt *pkt,
					      arc_pkt_read_t read,
					      const void *ctx, bool l4)
{
	u8 buf[20] __uninitialized;
	const u8 *h = read(ctx, 0, 20, buf);
	u32 ihl;
	u16 frag;

	if (!h)
		return ARC_PKT_ESHORT;
	ihl = (h[0] & 0x0f) * 4u;
	if (ihl < 20 || ihl > pkt->len)
		return ARC_PKT_EHDRLEN;
	pkt->proto = h[9];
	memcpy(pkt->saddr, h + 12, 4);
	memcpy(pkt->daddr, h + 16, 4);
	frag = arc_pkt_get16(h + 6);
	if (frag & 0x3fff) {		/* MF set or offset non-zero */
		pkt->flags |= ARC_PKT_FRAG;
		pkt->frag_off = frag & 0x1fff;
		if (pkt->frag_off) {	/* only the first carries ports */
			pkt->flags |= ARC_PKT_LATER_FRAG;
			return ARC_PKT_OK;
		}
	}
	if (l4)
		arc_pkt_parse_l4(pkt, read, ctx, ihl);
	return ARC_PKT_OK;
}

static __always_inline int arc_pkt_parse_ipv6(struct arc_pkt *pkt,
					      arc_pkt_read_t read,
					      const void *ctx, bool l4)
{
	u8 buf[40] __uninitialized;
	const u8 *h = read(ctx, 0, 40, buf);
	u32 off = 40;
	u8 next;

	if (!h)
		return ARC_PKT_ESHORT;
	memcpy(pkt->saddr, h + 8, 16);
	memcpy(pkt->daddr, h + 24, 16);
	if (!l4)
		return ARC_PKT_OK;
	next = h[6];
	/*
	 * The whole chain, however long: the IPv6 stack delivers a packet
	 * with any number of extension headers, so a limit here would let
	 * a long chain hide the transport header (and its port) from the
	 * caller. Each header moves @off on by at least 8 bytes, so the
	 * walk ends within the packet's length.
	 */
	for (;;) {
		u8 ext[8] __uninitialized;
		const u8 *e;
		u32 hlen;

		if (next != ARC_P_HOPOPTS && next != ARC_P_ROUTING &&
		    next != ARC_P_FRAGMENT && next != ARC_P_DSTOPTS &&
		    next != ARC_P_AH && next != ARC_P_MH)
			break;
		e = read(ctx, off, 8, ext);
		if (!e)
			goto cut;
		if (next == ARC_P_FRAGMENT) {
			pkt->flags |= ARC_PKT_FRAG;
			hlen = 8;
			pkt->frag_off = arc_pkt_get16(e + 2) >> 3;
			if (pkt->frag_off) {
				pkt->proto = e[0];
				pkt->flags |= ARC_PKT_LATER_FRAG;
				return ARC_PKT_OK;
			}
		} else if (next == ARC_P_AH) {
			hlen = (e[1] + 2u) * 4;
		} else {
			hlen = (e[1] + 1u) * 8;
		}
		next = e[0];
		off += hlen;
		if (off > pkt->len)
			goto cut;
	}
	pkt->proto = next;
	arc_pkt_parse_l4(pkt, read, ctx, off);
	return ARC_PKT_OK;
cut:
	pkt->flags |= ARC_PKT_EXTHDR_CUT;
	return ARC_PKT_EEXTHDR;
}

/*
 * @l4 true: everything up to the transport header (arc_pkt_parse());
 * false: the fixed IP header only (arc_pkt_parse_addrs()).
 */
static __always_inline int __arc_pkt_parse(struct arc_pkt *pkt,
					   arc_pkt_read_t read,
					   const void *ctx, u32 len, bool l4)
{
	u8 buf[1] __uninitialized;
	const u8 *v;

	memset(pkt, 0, sizeof(*pkt));
	pkt->len = len;
	v = len ? read(ctx, 0, 1, buf) : NULL;
	if (!v)
		return ARC_PKT_ESHORT;
	switch (v[0] >> 4) {
	case 4:
		pkt->family = ARC_PKT_IPV4;
		return arc_pkt_parse_ipv4(pkt, read, ctx, l4);
	case 6:
		pkt->family = ARC_PKT_IPV6;
		return arc_pkt_parse_ipv6(pkt, read, ctx, l4);
	default:
		return ARC_PKT_EVERSION;
	}
}

#endif /* _ARC_PKT_PARSE_H */
