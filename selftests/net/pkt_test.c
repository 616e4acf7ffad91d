// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of arc's packet parser (shim/net/pkt.c), built and run on the
 * host in userspace: every packet is exactly as long as its buffer, so a
 * read past the end would fail (and ASan would catch a stray one).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arc/pkt.h>

#include "kselftest_harness.h"

#include "pkt_buf.h"

/* Either parser over a heap copy of exactly len bytes: ASan sees any overrun. */
static int parse_with(int (*fn)(struct arc_pkt *, arc_pkt_read_t,
				const void *, uint32_t),
		      struct arc_pkt *pkt, const uint8_t *p, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct buf b = { copy, len };
	int r;

	memcpy(copy, p, len);
	r = fn(pkt, rd, &b, len);
	free(copy);
	return r;
}

static int parse(struct arc_pkt *pkt, const uint8_t *p, uint32_t len)
{
	return parse_with(arc_pkt_parse, pkt, p, len);
}

static int parse_addrs(struct arc_pkt *pkt, const uint8_t *p, uint32_t len)
{
	return parse_with(arc_pkt_parse_addrs, pkt, p, len);
}

/* IPv4 header (20 bytes + options) followed by @l4. */
static uint32_t v4(uint8_t *out, uint8_t proto, uint16_t frag, int optlen,
		   const uint8_t *l4, uint32_t l4len)
{
	uint32_t ihl = 20 + optlen;

	memset(out, 0, ihl);
	out[0] = 0x40 | (ihl / 4);
	out[2] = (ihl + l4len) >> 8;
	out[3] = (ihl + l4len) & 0xff;
	out[6] = frag >> 8;
	out[7] = frag & 0xff;
	out[8] = 64;
	out[9] = proto;
	memcpy(out + 12, (uint8_t[]){ 198, 51, 100, 2 }, 4);
	memcpy(out + 16, (uint8_t[]){ 198, 51, 100, 1 }, 4);
	memset(out + 20, 1, optlen);	/* NOPs */
	memcpy(out + ihl, l4, l4len);
	return ihl + l4len;
}

static const uint8_t tcp_syn[20] = {
	0x30, 0x39, 0x00, 0x16, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02,
};
static const uint8_t udp53[8] = { 0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0 };
static const uint8_t icmp_echo[8] = { 8, 0, 0, 0 };

TEST(ipv4_tcp)
{
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n = v4(p, 6, 0, 0, tcp_syn, sizeof(tcp_syn));

	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_IPV4, k.family);
	EXPECT_EQ(6, k.proto);
	EXPECT_EQ(ARC_PKT_L4, k.flags);
	EXPECT_EQ(12345, k.sport);
	EXPECT_EQ(22, k.dport);
	EXPECT_EQ(0x02, k.tcp_flags);
	EXPECT_EQ(0, memcmp(k.saddr, (uint8_t[]){ 198, 51, 100, 2 }, 4));
	EXPECT_EQ(0, memcmp(k.daddr, (uint8_t[]){ 198, 51, 100, 1 }, 4));
}

TEST(ipv4_options_udp_icmp)
{
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n = v4(p, 17, 0, 12, udp53, sizeof(udp53));

	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(32, k.l4_offset);
	EXPECT_EQ(53, k.dport);
	n = v4(p, 1, 0, 0, icmp_echo, sizeof(icmp_echo));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(8, k.icmp_type);
	EXPECT_TRUE(k.flags & ARC_PKT_L4);
}

TEST(ipv4_fragments)
{
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n;

	/* First fragment (MF, offset 0) carries the ports. */
	n = v4(p, 6, 0x2000, 0, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_L4, k.flags);
	EXPECT_EQ(22, k.dport);
	/* A later one does not: its "ports" are payload. */
	n = v4(p, 6, 0x0003, 0, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_LATER_FRAG, k.flags);
	EXPECT_EQ(0, k.dport);
	EXPECT_EQ(3, k.frag_off);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
}

/* The fragments a port rule must drop (arc_pkt_frag_hides_l4()). */
TEST(ipv4_fragments_that_hide_the_tcp_header)
{
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n;

	/* A whole TCP header in the first fragment: judged by its port. */
	n = v4(p, 6, 0x2000, 0, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
	/* 8 bytes of TCP: ports present, flags not. */
	n = v4(p, 6, 0x2000, 0, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_TRUNCATED, k.flags);
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	/* No TCP at all in the first fragment. */
	n = v4(p, 6, 0x2000, 0, tcp_syn, 0);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	/* Offset 1 lands on the TCP flags. */
	n = v4(p, 6, 0x2001, 0, tcp_syn, 12);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(1, k.frag_off);
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	/* UDP cut short or at offset 1, or TCP at offset 2: nothing hidden. */
	n = v4(p, 17, 0x2000, 0, udp53, 4);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_TRUNCATED, k.flags);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
	n = v4(p, 17, 0x0001, 0, udp53, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
	n = v4(p, 6, 0x0002, 0, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
	/* Not a fragment, cut short: the stack drops it, not the rule. */
	n = v4(p, 6, 0, 0, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_TRUNCATED, k.flags);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
}

TEST(ipv4_truncated_and_malformed)
{
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n = v4(p, 6, 0, 0, tcp_syn, sizeof(tcp_syn));

	/* TCP header cut short: addresses valid, no ports. */
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n - 1));
	EXPECT_EQ(ARC_PKT_TRUNCATED, k.flags);
	EXPECT_EQ(0, k.dport);
	EXPECT_EQ(ARC_PKT_ESHORT, parse(&k, p, 19));
	EXPECT_EQ(ARC_PKT_ESHORT, parse(&k, p, 0));
	p[0] = 0x44;			/* IHL 16 bytes */
	EXPECT_EQ(ARC_PKT_EHDRLEN, parse(&k, p, n));
	p[0] = 0x4f;			/* IHL 60 bytes > 40 available */
	EXPECT_EQ(ARC_PKT_EHDRLEN, parse(&k, p, n));
	p[0] = 0x55;
	EXPECT_EQ(ARC_PKT_EVERSION, parse(&k, p, n));
}

/* IPv6 header, then @ext (already chained), then @l4. */
static uint32_t v6(uint8_t *out, uint8_t next, const uint8_t *ext,
		   uint32_t extlen, const uint8_t *l4, uint32_t l4len)
{
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (extlen + l4len) >> 8;
	out[5] = (extlen + l4len) & 0xff;
	out[6] = next;
	out[7] = 64;
	out[8] = 0x20;
	out[9] = 0x01;
	out[10] = 0x0d;
	out[11] = 0xb8;
	out[23] = 2;
	out[24] = 0x20;
	out[25] = 0x01;
	out[39] = 1;
	memcpy(out + 40, ext, extlen);
	memcpy(out + 40 + extlen, l4, l4len);
	return 40 + extlen + l4len;
}

TEST(ipv6_extension_headers)
{
	/* hop-by-hop (8) -> routing (16) -> destination options (8) -> UDP */
	uint8_t ext[32] = { 43, 0 };
	uint8_t p[256];
	struct arc_pkt k;
	uint32_t n;

	ext[8] = 60;
	ext[9] = 1;		/* routing header, 16 bytes */
	ext[24] = 17;
	ext[25] = 0;
	n = v6(p, 0, ext, 32, udp53, sizeof(udp53));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_IPV6, k.family);
	EXPECT_EQ(17, k.proto);
	EXPECT_EQ(72, k.l4_offset);
	EXPECT_EQ(53, k.dport);
	EXPECT_EQ(0x20, k.saddr[0]);
	EXPECT_EQ(2, k.saddr[15]);
	/* The chain cut inside the routing header: not a fragment. */
	EXPECT_EQ(ARC_PKT_EEXTHDR, parse(&k, p, 40 + 12));
	EXPECT_EQ(ARC_PKT_EXTHDR_CUT, k.flags);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
}

TEST(ipv6_fragments_that_hide_the_tcp_header)
{
	/* fragment header (first, M=1) -> destination options (16) -> TCP */
	uint8_t ext[24] = { 60, 0, 0x00, 0x01 };
	uint8_t p[256];
	struct arc_pkt k;
	uint32_t n;

	ext[8] = 6;
	ext[9] = 1;
	n = v6(p, 44, ext, 24, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(22, k.dport);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
	/* Cut inside TCP, then inside the destination options header. */
	n = v6(p, 44, ext, 24, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_TRUNCATED, k.flags);
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	EXPECT_EQ(ARC_PKT_EEXTHDR, parse(&k, p, 40 + 8 + 8));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_EXTHDR_CUT, k.flags);
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	/* A later fragment at offset 1 (8 bytes) with TCP next. */
	ext[0] = 6;
	ext[3] = 0x09;
	n = v6(p, 44, ext, 8, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_LATER_FRAG, k.flags);
	EXPECT_EQ(1, k.frag_off);
	EXPECT_TRUE(arc_pkt_frag_hides_l4(&k));
	ext[3] = 0x11;				/* offset 2 */
	n = v6(p, 44, ext, 8, tcp_syn, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(2, k.frag_off);
	EXPECT_FALSE(arc_pkt_frag_hides_l4(&k));
}

TEST(ipv6_fragments_and_ah)
{
	uint8_t frag[8] = { 6, 0, 0x00, 0x01 };	/* first fragment, M=1 */
	uint8_t ah[12] = { 58, 1 };		/* AH: (1 + 2) * 4 bytes */
	uint8_t p[256];
	struct arc_pkt k;
	uint32_t n;

	n = v6(p, 44, frag, 8, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_L4, k.flags);
	EXPECT_EQ(22, k.dport);
	frag[2] = 0x01;				/* offset 32: later fragment */
	n = v6(p, 44, frag, 8, tcp_syn, sizeof(tcp_syn));
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(ARC_PKT_FRAG | ARC_PKT_LATER_FRAG, k.flags);
	EXPECT_EQ(6, k.proto);
	EXPECT_EQ(0, k.dport);
	n = v6(p, 51, ah, 12, icmp_echo, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(58, k.proto);
	EXPECT_EQ(8, k.icmp_type);
	EXPECT_EQ(52, k.l4_offset);
}

TEST(ipv6_long_extension_header_chain)
{
	/* 100 destination options headers, then UDP: the stack takes it. */
	uint8_t ext[100 * 8] = { 0 };
	uint8_t p[40 + sizeof(ext) + 8];
	struct arc_pkt k;
	uint32_t n;
	int i;

	for (i = 0; i < 100; i++)
		ext[i * 8] = i < 99 ? 60 : 17;
	n = v6(p, 60, ext, sizeof(ext), udp53, 8);
	ASSERT_EQ(ARC_PKT_OK, parse(&k, p, n));
	EXPECT_EQ(17, k.proto);
	EXPECT_EQ(40 + sizeof(ext), k.l4_offset);
	EXPECT_EQ(ARC_PKT_L4, k.flags);
	EXPECT_EQ(53, k.dport);
	/* Cut inside the last header: refused, the addresses still known. */
	memset(&k, 0xaa, sizeof(k));
	EXPECT_EQ(ARC_PKT_EEXTHDR, parse(&k, p, 40 + sizeof(ext) - 4));
	EXPECT_EQ(ARC_PKT_IPV6, k.family);
	EXPECT_EQ(0x20, k.saddr[0]);
	EXPECT_EQ(2, k.saddr[15]);
	EXPECT_EQ(1, k.daddr[15]);
}

TEST(addresses_only)
{
	uint8_t ext[16] = { 60, 0, 0, 0, 0, 0, 0, 0, 17 };
	uint8_t p[128];
	struct arc_pkt k;
	uint32_t n;

	n = v4(p, 17, 0, 4, udp53, sizeof(udp53));
	ASSERT_EQ(ARC_PKT_OK, parse_addrs(&k, p, n));
	EXPECT_EQ(ARC_PKT_IPV4, k.family);
	EXPECT_EQ(17, k.proto);
	EXPECT_EQ(0, k.flags);		/* the ports were not read */
	EXPECT_EQ(0, k.dport);
	EXPECT_EQ(2, k.saddr[3]);
	EXPECT_EQ(1, k.daddr[3]);
	EXPECT_EQ(n, k.len);
	/* The same checks of the IPv4 header as the full parser. */
	p[0] = 0x44;
	EXPECT_EQ(ARC_PKT_EHDRLEN, parse_addrs(&k, p, n));
	EXPECT_EQ(ARC_PKT_ESHORT, parse_addrs(&k, p, 19));
	/* IPv6: the fixed header, however the chain after it ends. */
	n = v6(p, 60, ext, sizeof(ext), udp53, sizeof(udp53));
	ASSERT_EQ(ARC_PKT_OK, parse_addrs(&k, p, n));
	EXPECT_EQ(ARC_PKT_IPV6, k.family);
	EXPECT_EQ(0, k.proto);
	EXPECT_EQ(0, k.l4_offset);
	EXPECT_EQ(2, k.saddr[15]);
	EXPECT_EQ(ARC_PKT_EEXTHDR, parse(&k, p, 44));
	ASSERT_EQ(ARC_PKT_OK, parse_addrs(&k, p, 44));
	EXPECT_EQ(2, k.saddr[15]);
	EXPECT_EQ(ARC_PKT_ESHORT, parse_addrs(&k, p, 39));
}

TEST_HARNESS_MAIN
