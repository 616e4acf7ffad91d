// SPDX-License-Identifier: GPL-2.0
/*
 * Random and mutated Ethernet frames into the firewall's packet path:
 * run in namespace "peer" of fwlib.sh, it sends at layer 2 on IFNAME
 * (veth1) to the dut's MAC address, so that every frame reaches the dut's
 * IPv4 or IPv6 receive path and, if the stack lets it, the firewall's
 * hook at PRE_ROUTING.
 *
 *	frame_fuzz IFNAME DUT_MAC
 *
 * Each frame starts as a valid IPv4 or IPv6 packet (TCP, UDP, ICMP or
 * another protocol; IPv4 options; IPv4 fragments and IPv6 extension
 * header chains, fragment headers included) from one of four kinds of
 * source, to one of the dut's addresses. Most of those from the first
 * three kinds are then broken: header length, total or payload length,
 * truncation, fragment fields, next headers and header lengths in the
 * chain, the version, the ethertype, a VLAN tag, or random edits; a few
 * frames are random bytes. The address plan (fuzz_frames.sh sets up the
 * firewall to match):
 *
 *	blocked      198.51.100.128/25   2001:db8::1:0/112
 *	not blocked  198.51.100.16-127   2001:db8::2:0/112   (not local)
 *	local        10.9.1.0/24         fd00:9::1:0/112     (to the port rule)
 *	exact        203.0.113.77/32     2001:db8:e0::/64    (blocked)
 *
 * Frames from the exact sources are never broken, and no other frame
 * carries their address bytes anywhere: the firewall must drop each of
 * them and count it in that entry, and nothing else. The last lines
 * printed before the summary say how many were sent and their bytes:
 *
 *	exact PREFIX PACKETS BYTES
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fuzz/fuzz.h"

#define MTU		1500
#define ETH_HDR		14
#define FRAME_MAX	(ETH_HDR + MTU)
#define BATCH		64
#define MAX_CHAIN	20

#define P_HOP		0
#define P_ICMP		1
#define P_TCP		6
#define P_UDP		17
#define P_ROUTING	43
#define P_FRAG		44
#define P_ESP		50
#define P_AH		51
#define P_ICMP6		58
#define P_NONE		59
#define P_DSTOPTS	60

enum src_kind { SRC_EXACT, SRC_BLOCKED, SRC_OTHER, SRC_LOCAL };

static const uint8_t exact4[4] = { 203, 0, 113, 77 };
static const uint8_t exact6[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xe0, 0, 0 };
/* The ports fuzz_frames.sh guards, and the ones net.py serve listens on. */
static const uint16_t ports[] = { 22, 2222, 8080, 5353 };

static uint8_t dut_mac[6], our_mac[6];

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
	size_t l3;		/* where the IP header starts */
	bool v6;
	const char *kind;
	int exact;		/* 4 or 6: unbroken, from that exact source */
	unsigned int ip_len;	/* what the firewall counts: the IP packet */
	/* IPv6: where the next header fields and header lengths are. */
	size_t nh[MAX_CHAIN + 1], hl[MAX_CHAIN];
	unsigned int nr_nh, nr_hl;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* The IPv4 header checksum, over as much of IHL as the frame holds. */
static void ip4_csum(struct frame *fr)
{
	uint8_t *h = fr->b + fr->l3;
	size_t ihl = (h[0] & 0x0f) * 4;

	if (fr->len < fr->l3 + 20)
		return;
	if (ihl > fr->len - fr->l3)
		ihl = fr->len - fr->l3;
	put16(h + 10, 0);
	put16(h + 10, fold(sum16(h, ihl, 0)));
}

static void pick_addrs(struct fuzz *f, bool v6, enum src_kind k,
		       uint8_t *src, uint8_t *dst)
{
	if (!v6) {
		static const uint8_t lan[4] = { 198, 51, 100, 1 };
		static const uint8_t ten[4] = { 10, 9, 0, 1 };

		memcpy(dst, k == SRC_LOCAL ? ten : lan, 4);
		if (fuzz_chance(f, 8))
			memcpy(dst, k == SRC_LOCAL ? lan : ten, 4);
		switch (k) {
		case SRC_EXACT:
			memcpy(src, exact4, 4);
			break;
		case SRC_BLOCKED:
			memcpy(src, lan, 3);
			src[3] = 128 + fuzz_below(f, 128);
			break;
		case SRC_OTHER:
			memcpy(src, lan, 3);
			src[3] = 16 + fuzz_below(f, 112);
			break;
		default:
			memcpy(src, ten, 4);
			src[2] = 1;
			src[3] = fuzz_below(f, 256);
			break;
		}
		return;
	}
	/* 2001:db8::1 or fd00:9::1 */
	memset(dst, 0, 16);
	memset(src, 0, 16);
	if ((k == SRC_LOCAL) != fuzz_chance(f, 8)) {
		put16(dst, 0xfd00);
		put16(dst + 2, 9);
	} else {
		put16(dst, 0x2001);
		put16(dst + 2, 0xdb8);
	}
	dst[15] = 1;
	switch (k) {
	case SRC_EXACT:
		memcpy(src, exact6, 8);
		fuzz_bytes(f, src + 8, 8);
		return;
	case SRC_LOCAL:
		put16(src, 0xfd00);
		put16(src + 2, 9);
		put16(src + 12, 1);
		break;
	default:
		put16(src, 0x2001);
		put16(src + 2, 0xdb8);
		put16(src + 12, k == SRC_BLOCKED ? 1 : 2);
		break;
	}
	put16(src + 14, fuzz_rand(f));
}

/*
 * The transport datagram, checksummed for @src and @dst: TCP, UDP, ICMP
 * (or ICMPv6) or another protocol with random contents. Returns its
 * length, at most @room, and sets *@proto.
 */
static size_t make_l4(struct fuzz *f, bool v6, const uint8_t *src,
		      const uint8_t *dst, uint8_t *l4, size_t room,
		      uint8_t *proto)
{
	size_t alen = v6 ? 16 : 4, hlen, plen, len;
	unsigned int r = fuzz_below(f, 20);
	uint32_t sum;
	size_t at;

	if (r < 8) {
		*proto = P_TCP;
		hlen = 20 + (fuzz_chance(f, 6) ? 4 * fuzz_below(f, 11) : 0);
	} else if (r < 13) {
		*proto = P_UDP;
		hlen = 8;
	} else if (r < 17) {
		*proto = v6 ? P_ICMP6 : P_ICMP;
		hlen = 8;
	} else {
		/* Never 0: hop-by-hop may only come first. */
		static const uint8_t other[] = { 47, 132, 50, 51, 41, 4, 253, 255 };

		*proto = other[fuzz_below(f, sizeof(other))];
		hlen = 0;
	}
	if (hlen > room)
		hlen = room;
	/* Mostly short, so that many go out; now and then up to the MTU. */
	plen = fuzz_chance(f, 8) ? fuzz_below(f, room - hlen + 1) :
	       fuzz_below(f, 64);
	if (plen > room - hlen)
		plen = room - hlen;
	len = hlen + plen;
	fuzz_bytes(f, l4, len);
	switch (*proto) {
	case P_TCP:
		if (hlen < 20)
			return len;
		put16(l4 + 2, fuzz_chance(f, 3) ? ports[fuzz_below(f, 2)] :
			      fuzz_chance(f, 2) ? ports[fuzz_below(f, 4)] :
			      fuzz_rand(f));
		l4[12] = (hlen / 4) << 4;
		if (fuzz_chance(f, 2))
			l4[13] = 0x02;	/* SYN */
		memset(l4 + 20, 1, hlen - 20);	/* NOP options */
		at = 16;
		break;
	case P_UDP:
		if (hlen < 8)
			return len;
		put16(l4 + 2, fuzz_chance(f, 2) ? ports[fuzz_below(f, 4)] :
			      fuzz_rand(f));
		put16(l4 + 4, len);
		at = 6;
		break;
	case P_ICMP:
	case P_ICMP6:
		if (hlen < 8)
			return len;
		if (fuzz_below(f, 4))
			l4[0] = v6 ? 128 : 8;	/* echo request */
		l4[1] = fuzz_chance(f, 4) ? fuzz_rand(f) : 0;
		at = 2;
		break;
	default:
		return len;
	}
	put16(l4 + at, 0);
	sum = sum16(src, alen, 0);
	sum = sum16(dst, alen, sum);
	sum += *proto + len;
	sum = sum16(l4, len, sum);
	put16(l4 + at, fold(sum));
	return len;
}

/* Ethernet to the dut, with a VLAN tag (ID 0 or another) if @vlan. */
static void put_eth(struct fuzz *f, struct frame *fr, uint16_t type,
		    bool vlan)
{
	memcpy(fr->b, dut_mac, 6);
	memcpy(fr->b + 6, our_mac, 6);
	fr->l3 = ETH_HDR;
	if (vlan) {
		put16(fr->b + 12, fuzz_chance(f, 4) ? 0x88a8 : 0x8100);
		put16(fr->b + 14, fuzz_chance(f, 2) ? 0 : fuzz_rand(f));
		fr->l3 += 4;
		fr->b[fr->l3 - 2] = type >> 8;
		fr->b[fr->l3 - 1] = type;
		return;
	}
	put16(fr->b + 12, type);
}

/*
 * A fragment's data: FRAG_LEN bytes at FRAG_OFF 8-byte units into the
 * datagram (random bytes where the datagram ends). IDs come from a small
 * pool and offsets are mostly small, so that fragments of different
 * frames meet in the dut's reassembly queues: overlaps, duplicates,
 * holes, and now and then a whole datagram.
 */
static const char *pick_frag(struct fuzz *f, size_t dlen, size_t room,
			     unsigned int *off, bool *more, size_t *flen)
{
	size_t units = dlen / 8;
	const char *what;

	switch (fuzz_below(f, 6)) {
	case 0:		/* first, maybe tiny */
		*off = 0;
		*more = true;
		*flen = 8 * (1 + fuzz_below(f, units ? units : 1));
		what = "v4-frag-first";
		break;
	case 1:		/* middle */
		*off = 1 + fuzz_below(f, units ? units : 1);
		*more = true;
		*flen = 8 * (1 + fuzz_below(f, 8));
		what = "v4-frag-middle";
		break;
	case 2:		/* last */
		*off = 1 + fuzz_below(f, units ? units : 1);
		*more = false;
		*flen = dlen > *off * 8 ? dlen - *off * 8 : 8;
		what = "v4-frag-last";
		break;
	case 3:		/* offset 1, over the first fragment's TCP header */
		*off = 1;
		*more = fuzz_chance(f, 2);
		*flen = 8 * (1 + fuzz_below(f, 3));
		what = "v4-frag-off1";
		break;
	case 4:		/* huge offsets: past 64 KiB reassembled */
		*off = 0x1fff - fuzz_below(f, 16);
		*more = fuzz_chance(f, 2);
		*flen = 8 * (1 + fuzz_below(f, 16));
		what = "v4-frag-huge";
		break;
	default:	/* anything, odd lengths too */
		*off = fuzz_below(f, 32);
		*more = fuzz_chance(f, 2);
		*flen = 1 + fuzz_below(f, 128);
		what = "v4-frag-any";
		break;
	}
	if (*flen > room)
		*flen = room & ~7UL;
	return what;
}

static void copy_frag(struct fuzz *f, uint8_t *to, const uint8_t *dgram,
		      size_t dlen, size_t from, size_t len)
{
	size_t have = from < dlen ? dlen - from : 0;

	if (have > len)
		have = len;
	if (have)
		memcpy(to, dgram + from, have);
	fuzz_bytes(f, to + have, len - have);
}

static void build_v4(struct fuzz *f, struct frame *fr, enum src_kind k)
{
	uint8_t l4[MTU], src[4], dst[4], proto, *h;
	size_t opt = 0, dlen, flen, room;
	unsigned int off = 0;
	bool more = false, frag = fuzz_chance(f, 4);

	put_eth(f, fr, 0x0800, k != SRC_EXACT && fuzz_chance(f, 16));
	h = fr->b + fr->l3;
	room = FRAME_MAX - fr->l3 - 20;
	if (fuzz_chance(f, 6)) {
		/* Options: NOPs, a record route, a timestamp, an end. */
		opt = 4 * (1 + fuzz_below(f, 10));
		memset(h + 20, 1, opt);
		if (opt >= 12 && fuzz_chance(f, 2)) {
			h[20] = fuzz_chance(f, 2) ? 7 : 68;
			h[21] = opt - 1 - fuzz_below(f, 3);
			h[22] = h[20] == 7 ? 4 : 5;
			memset(h + 23, 0, h[21] - 3);
		} else if (fuzz_chance(f, 3)) {
			h[20 + opt - 1] = 0;
		}
		room -= opt;
	}
	pick_addrs(f, false, k, src, dst);
	dlen = make_l4(f, false, src, dst, l4, room, &proto);
	fr->kind = k == SRC_EXACT ? "exact-v4" : opt ? "v4-options" : "v4";
	if (frag) {
		fr->kind = pick_frag(f, dlen, room, &off, &more, &flen);
		copy_frag(f, h + 20 + opt, l4, dlen, off * 8, flen);
		dlen = flen;
		if (k == SRC_EXACT)
			fr->kind = "exact-v4-frag";
	} else {
		memcpy(h + 20 + opt, l4, dlen);
	}
	h[0] = 0x45 + opt / 4;
	h[1] = fuzz_chance(f, 4) ? fuzz_rand(f) : 0;
	put16(h + 2, 20 + opt + dlen);
	put16(h + 4, frag ? fuzz_below(f, 4) : fuzz_rand(f));
	put16(h + 6, (fuzz_chance(f, 8) ? 0x4000 : 0) |
		     (more ? 0x2000 : 0) | off);
	h[8] = 1 + fuzz_below(f, 255);
	h[9] = proto;
	memcpy(h + 12, src, 4);
	memcpy(h + 16, dst, 4);
	fr->len = fr->l3 + 20 + opt + dlen;
	fr->ip_len = 20 + opt + dlen;
	ip4_csum(fr);
}

/*
 * The types of an extension header chain: none, a few or a long one;
 * hop-by-hop only first, at most one fragment header.
 */
static unsigned int pick_chain(struct fuzz *f, uint8_t *types)
{
	static const uint8_t any[] = { P_DSTOPTS, P_DSTOPTS, P_ROUTING,
				       P_FRAG, P_AH };
	unsigned int n, i;
	bool frag = false;

	if (fuzz_chance(f, 2))
		return 0;
	n = fuzz_chance(f, 4) ? 4 + fuzz_below(f, MAX_CHAIN - 3) :
	    1 + fuzz_below(f, 3);
	for (i = 0; i < n; i++) {
		types[i] = i == 0 && fuzz_chance(f, 3) ? P_HOP :
			   any[fuzz_below(f, sizeof(any))];
		if (types[i] == P_FRAG && frag)
			types[i] = P_DSTOPTS;
		frag |= types[i] == P_FRAG;
	}
	return n;
}

/*
 * One extension header of @type at @p (room for @room bytes), valid as
 * the IPv6 stack parses it before PRE_ROUTING (hop-by-hop: padding
 * only). A fragment header is a first fragment (*@cut tells the caller
 * to cut the packet short in the rest of the chain or the transport
 * header) or a later one (*@later: random data follows). Returns the
 * header's length, 0 if it does not fit.
 */
static size_t put_ext(struct fuzz *f, struct frame *fr, uint8_t type,
		      uint8_t *p, size_t room, bool *cut, bool *later)
{
	size_t len;

	switch (type) {
	case P_HOP:
		len = 8;
		break;
	case P_AH:
		len = 8 * (1 + fuzz_below(f, 3));
		break;
	case P_FRAG:
		len = 8;
		break;
	default:
		len = 8 * (1 + fuzz_below(f, 3));
		break;
	}
	if (len > room)
		return 0;
	memset(p + 1, 0, len - 1);
	fr->hl[fr->nr_hl++] = p + 1 - fr->b;
	switch (type) {
	case P_HOP:
	case P_DSTOPTS:
		p[1] = len / 8 - 1;
		p[2] = 1;		/* PadN over the rest */
		p[3] = len - 4;
		if (type == P_HOP)
			break;
		if (fuzz_chance(f, 4)) {
			/* An unknown option whose type says "skip it". */
			p[2] = 0x1e;
			fuzz_bytes(f, p + 4, len - 4);
		}
		break;
	case P_ROUTING:
		p[1] = len / 8 - 1;
		p[2] = fuzz_below(f, 5);	/* types 0-4 */
		p[3] = fuzz_chance(f, 3) ? fuzz_below(f, 4) : 0;
		break;
	case P_AH:
		p[1] = len / 4 - 2;
		fuzz_bytes(f, p + 4, len - 4);
		break;
	case P_FRAG: {
		unsigned int off = 0;
		bool more = true;

		switch (fuzz_below(f, 4)) {
		case 0:
			*cut = true;
			break;
		case 1:
			break;
		case 2:
			off = fuzz_chance(f, 2) ? 1 : fuzz_below(f, 32);
			more = fuzz_chance(f, 2);
			*later = off;
			break;
		default:
			off = 0x1fff - fuzz_below(f, 16);
			more = fuzz_chance(f, 2);
			*later = true;
			break;
		}
		put16(p + 2, off << 3 | more);
		put32(p + 4, fuzz_below(f, 4));
		break;
	}
	}
	return len;
}

static void build_v6(struct fuzz *f, struct frame *fr, enum src_kind k)
{
	uint8_t types[MAX_CHAIN], src[16], dst[16], proto, *h, *p;
	unsigned int n = pick_chain(f, types), i;
	bool cut = false, later = false;
	size_t room, len, dlen, fend = 0;

	put_eth(f, fr, 0x86dd, k != SRC_EXACT && fuzz_chance(f, 16));
	h = fr->b + fr->l3;
	p = h + 40;
	room = FRAME_MAX - fr->l3 - 40;
	fr->nr_nh = fr->nr_hl = 0;
	fr->nh[fr->nr_nh++] = h + 6 - fr->b;
	pick_addrs(f, true, k, src, dst);
	for (i = 0; i < n && !later; i++) {
		len = put_ext(f, fr, types[i], p, room, &cut, &later);
		if (!len)
			break;
		/* The previous next header field names this one. */
		fr->b[fr->nh[fr->nr_nh - 1]] = types[i];
		fr->nh[fr->nr_nh++] = p - fr->b;
		p += len;
		room -= len;
		if (types[i] == P_FRAG)
			fend = p - h;
	}
	n = i;
	if (later) {
		/* A later fragment: what follows is data. */
		dlen = 8 * fuzz_below(f, 1 + (room > 128 ? 16 : room / 8));
		fuzz_bytes(f, p, dlen);
		proto = fuzz_chance(f, 2) ? P_TCP : fuzz_rand(f);
	} else if (fuzz_chance(f, 10)) {
		/* No next header, ESP, or one nobody knows. */
		static const uint8_t end[] = { P_NONE, P_ESP, 253, 143 };

		proto = end[fuzz_below(f, sizeof(end))];
		dlen = fuzz_below(f, 64 < room ? 64 : room);
		fuzz_bytes(f, p, dlen);
	} else {
		dlen = make_l4(f, true, src, dst, p, room, &proto);
	}
	fr->b[fr->nh[fr->nr_nh - 1]] = proto;
	len = p + dlen - h;
	if (cut && fend) {
		/*
		 * A first fragment that ends early, after its fragment header:
		 * in the rest of the chain or in the transport header.
		 */
		size_t keep = fend + 8 * fuzz_below(f, (len - fend) / 8 + 1);

		if (keep < len)
			len = keep;
	}
	h[0] = 0x60 | (fuzz_chance(f, 4) ? fuzz_below(f, 16) : 0);
	if (fuzz_chance(f, 4))
		fuzz_bytes(f, h + 1, 3);	/* traffic class, flow label */
	put16(h + 4, len - 40);
	h[7] = 1 + fuzz_below(f, 255);
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
	fr->len = fr->l3 + len;
	fr->ip_len = len;
	if (k == SRC_EXACT)
		fr->kind = cut ? "exact-v6-frag-cut" : later ? "exact-v6-frag-later" :
			   n ? "exact-v6-exthdr" : "exact-v6";
	else if (cut || later)
		fr->kind = cut ? "v6-frag-cut" : "v6-frag-later";
	else
		fr->kind = n >= 4 ? "v6-long-chain" : n ? "v6-exthdr" : "v6";
}

/* Break a valid frame somewhere the IP layer or the firewall looks. */
static void mutate(struct fuzz *f, struct frame *fr)
{
	uint8_t *h = fr->b + fr->l3;
	size_t l3len = fr->len - fr->l3, at;
	bool csum = !fr->v6 && fuzz_below(f, 4);

	switch (fuzz_below(f, 12)) {
	case 0:
		h[0] = (h[0] & 0xf0) | fuzz_below(f, 16);
		fr->kind = "bad-ihl-or-tclass";
		break;
	case 1:
		put16(h + (fr->v6 ? 4 : 2), fuzz_chance(f, 2) ?
		      fuzz_edgy(f, 16) : l3len + fuzz_below(f, 64) - 32);
		fr->kind = "bad-length";
		break;
	case 2:
		fr->len = ETH_HDR + fuzz_below(f, fr->len - ETH_HDR);
		fr->kind = "truncated";
		csum = false;
		break;
	case 3:
		if (fr->v6) {
			/* Swap the end of the chain for another protocol. */
			fr->b[fr->nh[fr->nr_nh - 1]] = fuzz_rand(f);
		} else {
			put16(h + 6, fuzz_chance(f, 2) ? fuzz_rand(f) :
				     0x2000 | fuzz_below(f, 4));
		}
		fr->kind = "bad-frag-or-proto";
		break;
	case 4:
		if (fr->v6) {
			static const uint8_t ext[] = { P_HOP, P_ROUTING, P_FRAG,
						       P_AH, P_ESP, P_DSTOPTS,
						       P_NONE, 135 };

			at = fr->nh[fuzz_below(f, fr->nr_nh)];
			fr->b[at] = fuzz_chance(f, 2) ? fuzz_rand(f) :
				    ext[fuzz_below(f, sizeof(ext))];
		} else {
			h[9] = fuzz_rand(f);
		}
		fr->kind = "bad-next-header";
		break;
	case 5:
		if (fr->v6 && fr->nr_hl) {
			fr->b[fr->hl[fuzz_below(f, fr->nr_hl)]] = fuzz_edgy(f, 8);
		} else if (!fr->v6 && (h[0] & 0x0f) > 5) {
			h[21] = fuzz_edgy(f, 8);
		} else {
			h[0] = fuzz_rand(f);
		}
		fr->kind = "bad-header-length";
		break;
	case 6:
		h[0] = (h[0] & 0x0f) | (fr->v6 ? 0x40 : 0x60);
		fr->kind = "bad-version";
		break;
	case 7: {
		static const uint16_t types[] = { 0x0800, 0x86dd, 0x0806,
						  0x8100, 0x88a8, 0x88cc,
						  0x8847, 0x0000, 0xffff };

		put16(fr->b + fr->l3 - 2, fuzz_chance(f, 3) ? fuzz_rand(f) :
			      types[fuzz_below(f, sizeof(types) / 2)]);
		fr->kind = "ethertype";
		break;
	}
	case 8:
		/* Multicast, broadcast or another host's MAC address. */
		fr->b[0] = fuzz_chance(f, 2) ? 0xff : 0x33;
		if (fuzz_chance(f, 2))
			fuzz_bytes(f, fr->b, 6);
		fr->kind = "other-mac";
		break;
	default:
		fr->len = fr->l3 + fuzz_mutate(f, h, l3len, FRAME_MAX - fr->l3);
		fr->kind = "mutated";
		csum = csum && fr->len >= fr->l3 + 20;
		break;
	}
	if (csum)
		ip4_csum(fr);
}

static void random_frame(struct fuzz *f, struct frame *fr)
{
	static const uint16_t types[] = { 0x0800, 0x86dd, 0x8100 };

	fr->len = ETH_HDR + fuzz_below(f, MTU + 1);
	fuzz_bytes(f, fr->b, fr->len);
	if (fuzz_below(f, 4))
		memcpy(fr->b, dut_mac, 6);
	if (fuzz_below(f, 4))
		put16(fr->b + 12, types[fuzz_below(f, 3)]);
	fr->l3 = ETH_HDR;
	fr->kind = "random";
}

static bool has(const struct frame *fr, const uint8_t *what, size_t n)
{
	return memmem(fr->b, fr->len, what, n) != NULL;
}

static void make_frame(struct fuzz *f, struct frame *fr)
{
	unsigned int r;
	enum src_kind k;

	do {
		fr->exact = 0;
		fr->nr_nh = fr->nr_hl = 0;
		r = fuzz_below(f, 100);
		if (r < 4) {
			random_frame(f, fr);
			continue;
		}
		k = r < 14 ? SRC_EXACT : r < 40 ? SRC_BLOCKED :
		    r < 75 ? SRC_OTHER : SRC_LOCAL;
		fr->v6 = fuzz_chance(f, 2);
		if (fr->v6)
			build_v6(f, fr, k);
		else
			build_v4(f, fr, k);
		if (k == SRC_EXACT) {
			fr->exact = fr->v6 ? 6 : 4;
			return;
		}
		if (fuzz_below(f, 100) < 55)
			mutate(f, fr);
		/* Only the exact frames may count in the exact entries. */
	} while (has(fr, exact4, 4) || has(fr, exact6, 8));
}

static int open_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		exit(1);
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "%s: %s\n", ifname, strerror(errno));
		exit(1);
	}
	memcpy(our_mac, ifr.ifr_hwaddr.sa_data, 6);
	/* Protocol 0: this socket sends only, nothing queues up on it. */
	sll.sll_ifindex = if_nametoindex(ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("bind");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static struct frame frames[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long exact_n[2] = { 0 }, exact_b[2] = { 0 }, errors = 0;
	unsigned int n, i;
	struct fuzz f;
	int fd, r, rc;

	if (argc != 3 || sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
				&dut_mac[0], &dut_mac[1], &dut_mac[2],
				&dut_mac[3], &dut_mac[4], &dut_mac[5]) != 6) {
		fprintf(stderr, "usage: frame_fuzz IFNAME DUT_MAC\n");
		return 2;
	}
	fd = open_socket(argv[1]);
	fuzz_init(&f, "frames", 1000000);
	for (;;) {
		fuzz_wait_memory(&f);
		for (n = 0; n < BATCH && fuzz_next(&f); n++) {
			make_frame(&f, &frames[n]);
			iov[n].iov_base = frames[n].b;
			iov[n].iov_len = frames[n].len;
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
		}
		if (!n)
			break;
		for (i = 0; i < n; ) {
			r = sendmmsg(fd, msgs + i, n - i, 0);
			if (r <= 0) {
				if (!errors++)
					fprintf(stderr, "frame_fuzz: send of a %s frame of %zu bytes: %s\n",
						frames[i].kind, frames[i].len,
						strerror(errno));
				fuzz_tally(&f, "send-error");
				i++;
				continue;
			}
			for (r += i; i < (unsigned int)r; i++) {
				fuzz_tally(&f, frames[i].kind);
				if (frames[i].exact) {
					exact_n[frames[i].exact == 6]++;
					exact_b[frames[i].exact == 6] += frames[i].ip_len;
				}
			}
		}
	}
	close(fd);
	printf("exact 203.0.113.77/32 %lu %lu\n", exact_n[0], exact_b[0]);
	printf("exact 2001:db8:e0::/64 %lu %lu\n", exact_n[1], exact_b[1]);
	rc = fuzz_end(&f);
	if (errors) {
		printf("FAIL: %lu frames could not be sent\n", errors);
		rc = 1;
	}
	return rc;
}
