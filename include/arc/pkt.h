/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc packet views: bounds-checked parsing of IPv4/IPv6 and TCP, UDP,
 * ICMP and ICMPv6 headers, shared by every arc netfilter module.
 *
 * The parser is plain C that also builds in userspace (unit tests and a
 * libFuzzer harness run on the build host): it never touches packet
 * memory directly, only through a read callback that either copies the
 * requested bytes or fails, like skb_header_pointer(). Truncated,
 * non-linear or malformed packets therefore cannot be read out of bounds.
 */
#ifndef _ARC_PKT_H
#define _ARC_PKT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
/* Userspace builds pass -Du8=uint8_t -Du16=uint16_t -Du32=uint32_t. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

/* Values of &arc_pkt.family: the IP version. */
#define ARC_PKT_IPV4	4
#define ARC_PKT_IPV6	6

/* Bits of &arc_pkt.flags. */
#define ARC_PKT_FRAG		0x01	/* a fragment (first or not) */
#define ARC_PKT_LATER_FRAG	0x02	/* not the first fragment: no L4 header */
#define ARC_PKT_L4		0x04	/* ports / ICMP type were parsed */
#define ARC_PKT_TRUNCATED	0x08	/* L4 header announced but cut short */
#define ARC_PKT_EXTHDR_CUT	0x10	/* IPv6 header chain cut short */

/**
 * struct arc_pkt - what arc parsed out of one IP packet
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @proto: transport protocol (IPPROTO_*), after any IPv6 extension headers
 * @flags: ARC_PKT_* bits
 * @tcp_flags: TCP flags byte (FIN 0x01 ... CWR 0x80) when @proto is TCP
 * @saddr: source address, network byte order; IPv4 uses the first 4 bytes
 * @daddr: destination address, same layout
 * @sport: source port in host byte order (TCP/UDP), 0 otherwise
 * @dport: destination port in host byte order (TCP/UDP), 0 otherwise
 * @icmp_type: ICMP/ICMPv6 type when @proto is ICMP/ICMPv6
 * @icmp_code: ICMP/ICMPv6 code
 * @frag_off: fragment offset in 8-byte units (0 for a first fragment and
 *	for a packet that is not a fragment)
 * @l4_offset: offset of the transport header from the network header
 * @len: packet length from the network header, as the caller gave it
 */
struct arc_pkt {
	u8 family;
	u8 proto;
	u8 flags;
	u8 tcp_flags;
	u8 saddr[16];
	u8 daddr[16];
	u16 sport;
	u16 dport;
	u8 icmp_type;
	u8 icmp_code;
	u16 frag_off;
	u32 l4_offset;
	u32 len;
};

/*
 * arc_pkt_read_t: copy packet bytes for the parser. Given the caller's
 * packet handle @ctx, return a pointer to @len bytes at @offset from the
 * network header (in the packet or copied into @buf, which has room for
 * @len bytes), or NULL if the packet is shorter than @offset + @len.
 */
typedef void *(*arc_pkt_read_t)(const void *ctx, u32 offset, u32 len,
				 void *buf);

/* Why arc_pkt_parse() refused a packet. */
enum arc_pkt_error {
	ARC_PKT_OK = 0,
	ARC_PKT_ESHORT,		/* shorter than its network header */
	ARC_PKT_EVERSION,	/* IP version is neither 4 nor 6 */
	ARC_PKT_EHDRLEN,	/* IPv4 header length below 20 or past the end */
	ARC_PKT_EEXTHDR,	/* IPv6 extension header chain cut short */
};

/**
 * arc_pkt_parse() - parse the network and transport headers of a packet
 * @pkt: filled in on success; on failure its contents are undefined,
 *	except as said below for ARC_PKT_EEXTHDR
 * @read: reads packet bytes, like skb_header_pointer() (see arc_pkt_read_t)
 * @ctx: passed to @read
 * @len: bytes available from the network header on
 *
 * A packet whose transport header is missing or cut short still parses
 * (its addresses are valid): &arc_pkt.flags then lacks ARC_PKT_L4 and
 * has ARC_PKT_TRUNCATED, or ARC_PKT_LATER_FRAG for a non-first fragment.
 *
 * On ARC_PKT_EEXTHDR the IPv6 fixed header was read: @pkt's &arc_pkt.family,
 * &arc_pkt.saddr and &arc_pkt.daddr are valid, and so are the fragment bits
 * of &arc_pkt.flags, with ARC_PKT_EXTHDR_CUT set: a first fragment whose
 * extension header chain runs past its end (its transport header, if any,
 * is in a later fragment) has ARC_PKT_FRAG too. The rest is not valid.
 *
 * Return: ARC_PKT_OK, or the &enum arc_pkt_error that stopped parsing.
 */
int arc_pkt_parse(struct arc_pkt *pkt, arc_pkt_read_t read, const void *ctx,
		  u32 len);

/**
 * arc_pkt_parse_addrs() - parse only the fixed IP header of a packet
 * @pkt: filled in on success; on failure its contents are undefined
 * @read: reads packet bytes, like skb_header_pointer() (see arc_pkt_read_t)
 * @ctx: passed to @read
 * @len: bytes available from the network header on
 *
 * For a caller that decides on addresses alone: the IPv4 header (with
 * the same checks as arc_pkt_parse()) or IPv6's 40 bytes, and nothing
 * after them. Fills in &arc_pkt.family, &arc_pkt.saddr, &arc_pkt.daddr
 * and &arc_pkt.len, and for IPv4 &arc_pkt.proto and the fragment flags;
 * every other field is zero and ARC_PKT_L4 is never set. Where
 * arc_pkt_parse() returns ARC_PKT_OK or ARC_PKT_EEXTHDR this returns
 * ARC_PKT_OK with the same addresses; on any other error, the same error.
 *
 * Return: ARC_PKT_OK, or the &enum arc_pkt_error that stopped parsing.
 */
int arc_pkt_parse_addrs(struct arc_pkt *pkt, arc_pkt_read_t read,
			const void *ctx, u32 len);

/**
 * arc_pkt_frag_hides_l4() - could this fragment make a rule misjudge the
 *	reassembled packet's transport header?
 * @pkt: a packet parsed by arc_pkt_parse() (ARC_PKT_OK or ARC_PKT_EEXTHDR)
 *
 * A rule on ports or TCP flags sees one fragment at a time, before the
 * stack reassembles them. It judges a datagram by its first fragment,
 * which must therefore carry the whole transport header; two tricks defeat
 * that, and this names both:
 *
 * - a first fragment cut short inside the TCP header or inside the IPv6
 *   extension header chain (a "tiny fragment", RFC 1858): the rule finds
 *   no port in it, and no later fragment has one either;
 * - a TCP fragment at offset 1 (8 bytes), whose data would land on the
 *   TCP header's flags when reassembled (RFC 1858's overlap attack; the
 *   kernel's reassembly discards overlaps, but nothing legitimate sends
 *   such a fragment).
 *
 * Nothing legitimate sends either (RFC 8200 requires the whole header
 * chain in an IPv6 first fragment); the kernel's own xt_tcpudp drops
 * both, and ip6tables drops first fragments whose chain it cannot follow.
 * Later fragments otherwise carry no header to judge: they need no rule,
 * since a datagram whose first fragment is dropped never reassembles,
 * whatever order its fragments arrive in.
 *
 * Return: true if a rule on TCP ports or flags should drop @pkt.
 */
static inline bool arc_pkt_frag_hides_l4(const struct arc_pkt *pkt)
{
	if (!(pkt->flags & ARC_PKT_FRAG))
		return false;
	if (pkt->flags & ARC_PKT_LATER_FRAG)
		return pkt->proto == 6 && pkt->frag_off == 1;
	/* IPv6: a chain cut short leaves the protocol unknown. */
	return (pkt->flags & ARC_PKT_EXTHDR_CUT) ||
	       ((pkt->flags & ARC_PKT_TRUNCATED) && pkt->proto == 6);
}

/**
 * arc_pkt_addr_len() - bytes of address for a family
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 *
 * Return: 4 or 16.
 */
static inline unsigned int arc_pkt_addr_len(u8 family)
{
	return family == ARC_PKT_IPV4 ? 4 : 16;
}

#endif /* _ARC_PKT_H */
