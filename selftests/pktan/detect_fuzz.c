// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for arc_pktan's analysis: any bytes, as an IP packet
 * and as a DNS message, must be classified and parsed without an
 * out-of-bounds read or undefined behaviour (ASan, UBSan); a parsed name
 * is NUL-terminated, at most 253 characters of letters, digits, '-', '_',
 * '?' and dots; and the detector tables and top talkers, fed the packets
 * of a whole input cut into pieces, keep their invariants.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/pktan/detect.h"
#include "../net/pkt_buf.h"

static void check_name(const char *n)
{
	size_t len = strnlen(n, ARCPKT_QNAME_SIZE), i;

	if (len >= ARCPKT_QNAME_SIZE || !len)
		abort();
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_?.",
			    n[i]))
			abort();
}

/* Every entry of the index points at its own entry, and each once. */
static void check_top(const struct pa_top *top)
{
	uint32_t i, seen = 0;

	if (top->n > top->k)
		abort();
	for (i = 0; i <= top->mask; i++) {
		if (top->index[i] == PA_TOP_FREE)
			continue;
		if (top->index[i] >= top->n)
			abort();
		seen++;
	}
	if (seen != top->n)
		abort();
	for (i = 0; i < top->n; i++)
		if (top->t[i].err > top->t[i].packets)
			abort();
	/* The floor never passes the smallest count (pa_top_min()). */
	for (i = 0; i < top->n; i++)
		if (top->n == top->k && top->t[i].packets < top->floor)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pa_src src[4 * PA_WAYS];
	static struct pa_dst dst[4 * PA_WAYS];
	static struct pa_pending pend[4 * PA_WAYS];
	struct pa_talker t[8];
	uint16_t index[16];
	struct pa_top top = { .k = 8, .mask = 15, .t = t, .index = index };
	struct pa_scan_cfg scfg = { .window = 50, .threshold = 3 };
	struct pa_syn_cfg ycfg = { .window = 50, .threshold = 3 };
	struct pa_dns_query q[PA_DNS_MAX_QUESTIONS];
	struct buf b = { data, (uint32_t)size };
	struct arc_pkt pkt;
	uint64_t ev = 0, now = 0;
	size_t off, len;
	int err, n, i;
	u8 probes;

	memset(src, 0, sizeof(src));
	memset(dst, 0, sizeof(dst));
	memset(pend, 0, sizeof(pend));
	pa_top_reset(&top);
	n = pa_dns_parse(rd, &b, 0, (uint32_t)size, q);
	if (n < PA_DNS_BAD || n > PA_DNS_MAX_QUESTIONS)
		abort();
	for (i = 0; i < n; i++)
		check_name(q[i].name);
	/* Pieces: a length byte, then that many bytes of packet. */
	for (off = 0; off < size; off += len) {
		struct buf p;
		uint32_t h;

		len = data[off++];
		if (len > size - off)
			len = size - off;
		p.p = data + off;
		p.len = (uint32_t)len;
		now += len & 15;
		err = arc_pkt_parse(&pkt, rd, &p, p.len);
		err = pa_classify(&pkt, err, rd, &p);
		if (err < 0 || err > PA_WELL_FORMED)
			abort();
		if (err != PA_WELL_FORMED)
			continue;
		h = (uint32_t)(pkt.saddr[0] * 31 + pkt.daddr[0] + pkt.dport);
		pa_top_add(&top, h, &pkt, p.len);
		check_top(&top);
		if (pa_probe_kind(&pkt))
			pa_scan_observe(&src[(h & 3) * PA_WAYS], &pkt,
					pa_probe_kind(&pkt), now, &scfg,
					&probes, &ev);
		if (pkt.proto == 6 && (pkt.flags & ARC_PKT_L4)) {
			pa_pending_add(&pend[(h & 3) * PA_WAYS], h | 1, now,
				       ycfg.window, &ev);
			pa_syn_observe(&dst[(h >> 2 & 3) * PA_WAYS], &pkt, now,
				       &ycfg, &ev);
			if (pa_pending_take(&pend[(h & 3) * PA_WAYS], h | 1,
					    now, ycfg.window))
				pa_syn_done(&dst[(h >> 2 & 3) * PA_WAYS], &pkt,
					    now, ycfg.window);
		}
		if (pkt.l4_offset < p.len) {
			n = pa_dns_parse(rd, &p, pkt.l4_offset,
					 p.len - pkt.l4_offset, q);
			for (i = 0; i < n; i++)
				check_name(q[i].name);
		}
	}
	for (i = 0; i < 4 * PA_WAYS; i++)
		if (src[i].nports > ARCPKT_SCAN_THRESHOLD_MAX)
			abort();
	return 0;
}
