// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of arc_pktan's analysis (modules/pktan/detect.c), built in
 * userspace with the shim's packet parser: malformation, DNS queries,
 * the port-scan and SYN-flood tables, the top talkers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "kselftest_harness.h"

#include "../../modules/pktan/detect.h"
#include "../net/pkt_buf.h"

static int parse(struct arc_pkt *pkt, struct buf *b, const uint8_t *p,
		 uint32_t len)
{
	b->p = p;
	b->len = len;
	return arc_pkt_parse(pkt, rd, b, len);
}

static int classify(const uint8_t *p, uint32_t len, struct arc_pkt *pkt)
{
	struct buf b;
	int err = parse(pkt, &b, p, len);

	return pa_classify(pkt, err, rd, &b);
}

/* IPv4 header, 20 bytes, total length @len, protocol @proto. */
static void v4(uint8_t *p, uint32_t len, uint8_t proto, uint16_t frag)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = len >> 8;
	p[3] = len;
	p[6] = frag >> 8;
	p[7] = frag;
	p[8] = 64;
	p[9] = proto;
	p[12] = 198;
	p[13] = 51;
	p[14] = 100;
	p[15] = 2;
	p[16] = 198;
	p[17] = 51;
	p[18] = 100;
	p[19] = 1;
}

static uint32_t tcp4(uint8_t *p, uint16_t dport, uint8_t flags, uint8_t doff)
{
	v4(p, 40, 6, 0);
	memset(p + 20, 0, 20);
	p[20] = 0x30;
	p[21] = 0x39;
	p[22] = dport >> 8;
	p[23] = dport;
	p[32] = doff << 4;
	p[33] = flags;
	return 40;
}

TEST(malformed_and_probes)
{
	uint8_t p[128];
	struct arc_pkt pkt;

	tcp4(p, 80, PA_TCP_SYN, 5);
	EXPECT_EQ(PA_WELL_FORMED, classify(p, 40, &pkt));
	EXPECT_EQ(ARCPKT_PROTO_TCP, pa_proto_class(pkt.proto));
	EXPECT_EQ(ARCPKT_PROBE_SYN, pa_probe_kind(&pkt));

	tcp4(p, 80, PA_TCP_SYN, 4);
	EXPECT_EQ(ARCPKT_MAL_TCP_DOFF, classify(p, 40, &pkt));
	tcp4(p, 80, PA_TCP_SYN, 6);	/* 24 bytes of header in 20 */
	EXPECT_EQ(ARCPKT_MAL_TCP_DOFF, classify(p, 40, &pkt));

	tcp4(p, 80, PA_TCP_SYN, 5);	/* 12 bytes of TCP */
	v4(p, 32, 6, 0);
	EXPECT_EQ(ARCPKT_MAL_TRUNCATED, classify(p, 32, &pkt));

	/* First fragment (MF) with 8 bytes of TCP: RFC 1858's tiny one. */
	v4(p, 28, 6, 0x2000);
	EXPECT_EQ(ARCPKT_MAL_TINY_FRAG, classify(p, 28, &pkt));
	/* TCP at offset 8: would rewrite the flags on reassembly. */
	v4(p, 28, 6, 0x0001);
	EXPECT_EQ(ARCPKT_MAL_FRAG_OVERLAP, classify(p, 28, &pkt));
	/* Later fragments are fine, TCP at offset 16 too. */
	v4(p, 28, 6, 0x0002);
	EXPECT_EQ(PA_WELL_FORMED, classify(p, 28, &pkt));
	v4(p, 28, 17, 0x0001);
	EXPECT_EQ(PA_WELL_FORMED, classify(p, 28, &pkt));

	v4(p, 20, 6, 0);
	p[0] = 0x44;			/* IHL 16 */
	EXPECT_EQ(ARCPKT_MAL_HEADER, classify(p, 20, &pkt));
	EXPECT_EQ(ARCPKT_MAL_HEADER, classify(p, 10, &pkt));

	/* IPv6 with a hop-by-hop header running past the end. */
	memset(p, 0, 64);
	p[0] = 0x60;
	p[6] = 0;			/* next: hop-by-hop */
	p[40] = 6;
	p[41] = 4;			/* 40 bytes of header in 8 */
	EXPECT_EQ(ARCPKT_MAL_EXTHDR, classify(p, 48, &pkt));
	/* The same behind a first fragment header: a tiny fragment. */
	p[6] = 44;
	p[40] = 0;
	p[41] = 0;
	p[42] = 0;
	p[43] = 1;			/* offset 0, MF */
	p[48] = 6;
	p[49] = 4;
	EXPECT_EQ(ARCPKT_MAL_TINY_FRAG, classify(p, 56, &pkt));

	/* Stealth probes and what is none. */
	tcp4(p, 1, 0, 5);
	classify(p, 40, &pkt);
	EXPECT_EQ(ARCPKT_PROBE_NULL, pa_probe_kind(&pkt));
	tcp4(p, 1, PA_TCP_FIN, 5);
	classify(p, 40, &pkt);
	EXPECT_EQ(ARCPKT_PROBE_FIN, pa_probe_kind(&pkt));
	tcp4(p, 1, PA_TCP_FIN | PA_TCP_PSH | PA_TCP_URG, 5);
	classify(p, 40, &pkt);
	EXPECT_EQ(ARCPKT_PROBE_XMAS, pa_probe_kind(&pkt));
	tcp4(p, 1, PA_TCP_SYN | PA_TCP_ACK, 5);
	classify(p, 40, &pkt);
	EXPECT_EQ(0, pa_probe_kind(&pkt));
	tcp4(p, 1, PA_TCP_FIN | PA_TCP_ACK, 5);
	classify(p, 40, &pkt);
	EXPECT_EQ(0, pa_probe_kind(&pkt));
	tcp4(p, 1, PA_TCP_SYN | 0x40, 5);	/* ECN setup: still a SYN */
	classify(p, 40, &pkt);
	EXPECT_EQ(ARCPKT_PROBE_SYN, pa_probe_kind(&pkt));
}

/* A DNS message: header, then @body (questions), @n questions. */
static uint32_t dns(uint8_t *m, uint16_t flags, uint16_t n,
		    const void *body, uint32_t blen)
{
	memset(m, 0, 12);
	m[0] = 0x12;
	m[1] = 0x34;
	m[2] = flags >> 8;
	m[3] = flags;
	m[4] = n >> 8;
	m[5] = n;
	if (blen)
		memcpy(m + 12, body, blen);
	return 12 + blen;
}

static int dns_parse(const uint8_t *m, uint32_t len, struct pa_dns_query *q)
{
	struct buf b = { m, len };

	return pa_dns_parse(rd, &b, 0, len, q);
}

#define Q(s)	(const uint8_t *)(s), sizeof(s) - 1

TEST(dns_queries)
{
	struct pa_dns_query q[PA_DNS_MAX_QUESTIONS];
	uint8_t m[1024], body[600];
	uint32_t len, i, o;

	len = dns(m, 0x0100, 1, Q("\3www\7example\3com\0\0\1\0\1"));
	ASSERT_EQ(1, dns_parse(m, len, q));
	EXPECT_STREQ("www.example.com", q[0].name);
	EXPECT_EQ(1, q[0].qtype);

	/* The root, and unusual bytes shown as '?'. */
	len = dns(m, 0, 2, Q("\0\0\2\0\1\3a.\x01\0\0\x1c\0\1"));
	ASSERT_EQ(2, dns_parse(m, len, q));
	EXPECT_STREQ(".", q[0].name);
	EXPECT_STREQ("a??", q[1].name);
	EXPECT_EQ(28, q[1].qtype);

	/* A second question compressed onto the first (offset 12). */
	len = dns(m, 0, 2, Q("\7example\3org\0\0\1\0\1\3www\xc0\x0c\0\x1c\0\1"));
	ASSERT_EQ(2, dns_parse(m, len, q));
	EXPECT_STREQ("example.org", q[0].name);
	EXPECT_STREQ("www.example.org", q[1].name);
	EXPECT_EQ(28, q[1].qtype);

	/* The longest name: 255 bytes on the wire, 253 characters. */
	for (o = 0, i = 0; i < 3; i++) {
		body[o++] = 63;
		memset(body + o, 'a' + i, 63);
		o += 63;
	}
	body[o++] = 61;
	memset(body + o, 'z', 61);
	o += 61;
	body[o++] = 0;
	memcpy(body + o, "\0\1\0\1", 4);
	len = dns(m, 0, 1, body, o + 4);
	ASSERT_EQ(1, dns_parse(m, len, q));
	EXPECT_EQ(253, strlen(q[0].name));
	EXPECT_EQ('z', q[0].name[252]);
	/* One byte more is malformed. */
	body[192] = 62;
	memmove(body + 193 + 62, body + 193 + 61, 5);
	body[193 + 61] = 'z';
	len = dns(m, 0, 1, body, o + 5);
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));

	/* Pointer loops: to itself, forward, and back and forth. */
	len = dns(m, 0, 1, Q("\xc0\x0c\0\1\0\1"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	len = dns(m, 0, 1, Q("\xc0\x0e\1a\0\0\1\0\1"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	len = dns(m, 0, 2, Q("\1a\xc0\x14\0\1\0\1\1b\xc0\x0c\0\1\0\1"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	/* Reserved label types, labels and names cut short. */
	len = dns(m, 0, 1, Q("\x41" "a\0\0\1\0\1"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	len = dns(m, 0, 1, Q("\5ab"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	len = dns(m, 0, 1, Q("\1a\0\0\1"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	len = dns(m, 0, 1, Q("\1a\xc0"));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, len, q));
	EXPECT_EQ(PA_DNS_BAD, dns_parse(m, 11, q));

	/* Responses and messages without a question are no queries. */
	len = dns(m, 0x8180, 1, Q("\1a\0\0\1\0\1"));
	EXPECT_EQ(PA_DNS_SKIP, dns_parse(m, len, q));
	len = dns(m, 0, 0, NULL, 0);
	EXPECT_EQ(PA_DNS_SKIP, dns_parse(m, len, q));
	/* At most PA_DNS_MAX_QUESTIONS are read. */
	len = dns(m, 0, 9, Q("\1a\0\0\1\0\1\1b\0\0\1\0\1\1c\0\0\1\0\1\1d\0\0\1\0\1"));
	EXPECT_EQ(PA_DNS_MAX_QUESTIONS, dns_parse(m, len, q));
	EXPECT_STREQ("d", q[3].name);
}

static struct arc_pkt probe(uint32_t src, uint16_t dport)
{
	struct arc_pkt p = { .family = ARC_PKT_IPV4, .proto = 6,
			     .flags = ARC_PKT_L4, .tcp_flags = PA_TCP_SYN };

	memcpy(p.saddr, &src, 4);
	p.daddr[0] = 10;
	p.dport = dport;
	p.sport = 40000;
	return p;
}

TEST(port_scan)
{
	struct pa_src b[PA_WAYS] = { 0 };
	struct pa_scan_cfg cfg = { .window = 100, .threshold = 5 };
	struct arc_pkt p;
	uint64_t ev = 0;
	uint8_t probes;
	uint32_t i, got;

	for (i = 0; i < 4; i++) {
		p = probe(7, 1000 + i);
		EXPECT_EQ(0, pa_scan_observe(b, &p, ARCPKT_PROBE_SYN, 1, &cfg,
					     &probes, &ev));
		/* Repeats of a port change nothing. */
		EXPECT_EQ(0, pa_scan_observe(b, &p, ARCPKT_PROBE_SYN, 1, &cfg,
					     &probes, &ev));
	}
	p = probe(7, 2000);
	got = pa_scan_observe(b, &p, ARCPKT_PROBE_FIN, 2, &cfg, &probes, &ev);
	EXPECT_EQ(5, got);
	EXPECT_EQ(ARCPKT_PROBE_SYN | ARCPKT_PROBE_FIN, probes);
	/* Once per window. */
	p = probe(7, 2001);
	EXPECT_EQ(0, pa_scan_observe(b, &p, ARCPKT_PROBE_SYN, 3, &cfg,
				     &probes, &ev));
	/* A new window starts from nothing. */
	for (i = 0; i < 5; i++) {
		p = probe(7, 3000 + i);
		got = pa_scan_observe(b, &p, ARCPKT_PROBE_NULL, 200, &cfg,
				      &probes, &ev);
	}
	EXPECT_EQ(5, got);
	EXPECT_EQ(ARCPKT_PROBE_NULL, probes);
	EXPECT_EQ(0, ev);

	/*
	 * A flood of one-probe sources through the same bucket never
	 * pushes out the source with the most ports.
	 */
	memset(b, 0, sizeof(b));
	cfg.threshold = 40;
	for (i = 0; i < 10000; i++) {
		p = probe(1000 + i, 80);
		pa_scan_observe(b, &p, ARCPKT_PROBE_SYN, 300, &cfg, &probes,
				&ev);
		if (i % 250 == 0) {
			p = probe(7, 5000 + i / 250);
			got = pa_scan_observe(b, &p, ARCPKT_PROBE_SYN, 300,
					      &cfg, &probes, &ev);
		}
	}
	EXPECT_EQ(40, got);
	EXPECT_GE(ev, 10000 - PA_WAYS);
}

TEST(syn_flood)
{
	struct pa_dst d[PA_WAYS] = { 0 };
	struct pa_pending pend[PA_WAYS] = { 0 };
	struct pa_syn_cfg cfg = { .window = 100, .threshold = 3 };
	struct arc_pkt p = probe(7, 80);
	uint64_t ev = 0;
	uint32_t i, got = 0;

	/* Handshakes that complete keep a destination clean. */
	for (i = 0; i < 50; i++) {
		pa_pending_add(pend, 100 + i, 1, cfg.window, &ev);
		EXPECT_EQ(0, pa_syn_observe(d, &p, 1, &cfg, &ev));
		ASSERT_TRUE(pa_pending_take(pend, 100 + i, 2, cfg.window));
		pa_syn_done(d, &p, 2, cfg.window);
	}
	EXPECT_FALSE(pa_pending_take(pend, 100, 2, cfg.window));
	/* Three SYNs without an ACK make a flood, once. */
	for (i = 0; i < 3; i++)
		got = pa_syn_observe(d, &p, 3, &cfg, &ev);
	EXPECT_EQ(3, got);
	EXPECT_EQ(0, pa_syn_observe(d, &p, 3, &cfg, &ev));
	/* An ACK too late completes nothing. */
	pa_pending_add(pend, 7, 10, cfg.window, &ev);
	EXPECT_FALSE(pa_pending_take(pend, 7, 200, cfg.window));
	/* A full bucket of waiting SYNs gives the oldest up. */
	for (i = 0; i < PA_WAYS + 1; i++)
		pa_pending_add(pend, 500 + i, 300 + i, cfg.window, &ev);
	EXPECT_EQ(1, ev);
	EXPECT_FALSE(pa_pending_take(pend, 500, 310, cfg.window));
	EXPECT_TRUE(pa_pending_take(pend, 500 + PA_WAYS, 310, cfg.window));
}

/* Space-Saving against the truth, on a skewed random stream. */
TEST(top_talkers)
{
	enum { K = 16, SOURCES = 500, PACKETS = 200000 };
	struct pa_talker t[K];
	uint16_t index[32];
	struct pa_top top = { .k = K, .mask = 31, .t = t, .index = index };
	static uint64_t truth[SOURCES];
	uint32_t i, s, found;
	struct arc_pkt p;

	pa_top_reset(&top);
	srand(1);
	for (i = 0; i < PACKETS; i++) {
		/* Sources 0-3 send half of everything. */
		s = i % 2 ? (uint32_t)rand() % 4 : (uint32_t)rand() % SOURCES;
		p = probe(s, 80);
		truth[s]++;
		/* A poor hash: runs in the index, and moves within them. */
		pa_top_add(&top, s * 7, &p, 100);
	}
	ASSERT_EQ(K, top.n);
	for (i = 0, found = 0; i < K; i++) {
		uint32_t src;

		memcpy(&src, t[i].addr, 4);
		ASSERT_LT(src, SOURCES);
		/* An upper bound, and count - error a lower one. */
		EXPECT_GE(t[i].packets, truth[src]);
		EXPECT_LE(t[i].packets - t[i].err, truth[src]);
		EXPECT_LE(t[i].err, PACKETS / K);
		if (src < 4)
			found++;
	}
	EXPECT_EQ(4, found);
	/* Every entry is reachable through the index. */
	for (i = 0; i < K; i++) {
		uint32_t before = t[i].packets, src;

		memcpy(&src, t[i].addr, 4);
		p = probe(src, 80);
		pa_top_add(&top, src * 7, &p, 1);
		EXPECT_EQ(before + 1, t[i].packets);
	}
	/* Below capacity every count is exact. */
	pa_top_reset(&top);
	for (i = 0; i < 1000; i++) {
		p = probe(i % 10, 80);
		pa_top_add(&top, i % 10, &p, 60);
	}
	ASSERT_EQ(10, top.n);
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(100, t[i].packets);
		EXPECT_EQ(6000, t[i].bytes);
		EXPECT_EQ(0, t[i].err);
	}
}

/*
 * A new source, with all k entries in use, takes an entry with the fewest
 * packets: its error is that smallest count, whatever the mix of a flood
 * of new sources, heavy ones and ties.
 */
TEST(top_talkers_replace_smallest)
{
	enum { K = 16, PACKETS = 50000 };
	struct pa_talker t[K];
	uint16_t index[32];
	struct pa_top top = { .k = K, .mask = 31, .t = t, .index = index };
	uint64_t least;
	uint32_t i, j, s, src, replaced = 0;
	struct arc_pkt p;
	bool known, full;

	pa_top_reset(&top);
	srand(2);
	for (i = 0; i < PACKETS; i++) {
		/* Phases: all new sources; a few heavy ones among new; ties. */
		if (i % 10000 < 5000)
			s = 1000 + i;
		else if (i % 10000 < 8000)
			s = i % 3 ? (uint32_t)rand() % 6 : 1000 + i;
		else
			s = 100 + (uint32_t)rand() % (K + 1);
		p = probe(s, 80);
		known = false;
		least = UINT64_MAX;
		for (j = 0; j < top.n; j++) {
			memcpy(&src, t[j].addr, 4);
			known |= src == s;
			if (t[j].packets < least)
				least = t[j].packets;
		}
		full = top.n == K;
		pa_top_add(&top, s * 7, &p, 1);
		if (known || !full)
			continue;
		for (j = 0; j < K; j++) {
			memcpy(&src, t[j].addr, 4);
			if (src == s)
				break;
		}
		ASSERT_LT(j, K);
		ASSERT_EQ(least, t[j].err);
		ASSERT_EQ(least + 1, t[j].packets);
		replaced++;
	}
	/* Most packets of the first phases replaced an entry. */
	EXPECT_GT(replaced, PACKETS / 2);
}

TEST_HARNESS_MAIN
