// SPDX-License-Identifier: GPL-2.0
/*
 * arc_pktan's analysis: plain C, no kernel calls (see detect.h).
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#endif

#include "detect.h"

static u16 pa_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/**
 * pa_probe_kind() - the kind of port-scan probe a packet is
 * @pkt: a well-formed packet (pa_classify() said so)
 *
 * TCP only: UDP replies to a host's own queries (DNS, NTP) come to as many
 * ports as it asked from, and would make every resolver a scanner.
 *
 * Return: one ARCPKT_PROBE_* bit, or 0 if @pkt is no probe.
 */
u8 pa_probe_kind(const struct arc_pkt *pkt)
{
	u8 f = pkt->tcp_flags & 0x3f;	/* ECE and CWR change nothing */

	if (pkt->proto != 6 || !(pkt->flags & ARC_PKT_L4))
		return 0;
	if ((f & (PA_TCP_SYN | PA_TCP_ACK | PA_TCP_RST)) == PA_TCP_SYN)
		return ARCPKT_PROBE_SYN;
	switch (f) {
	case 0:
		return ARCPKT_PROBE_NULL;
	case PA_TCP_FIN:
		return ARCPKT_PROBE_FIN;
	case PA_TCP_FIN | PA_TCP_PSH | PA_TCP_URG:
		return ARCPKT_PROBE_XMAS;
	default:
		return 0;
	}
}

static bool pa_name_char(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * One name at *@pos of the message at @msg (@mlen bytes); *@pos moves past
 * it. A compression pointer must point before every byte of the name read
 * so far, so that each jump goes further back and no pointer chain can
 * loop; the name may not exceed 255 bytes uncompressed (RFC 1035).
 */
static int pa_dns_name(arc_pkt_read_t read, const void *ctx, u32 msg,
		       u32 mlen, u32 *pos, char *out)
{
	u32 p = *pos, lowest = *pos, wire = 0, o = 0, i;
	bool jumped = false;
	u8 buf[64];
	const u8 *h;

	for (;;) {
		if (p >= mlen)
			return PA_DNS_BAD;
		h = read(ctx, msg + p, 1, buf);
		if (!h)
			return PA_DNS_BAD;
		if ((h[0] & 0xc0) == 0xc0) {
			u32 target;

			if (mlen - p < 2)
				return PA_DNS_BAD;
			h = read(ctx, msg + p, 2, buf);
			if (!h)
				return PA_DNS_BAD;
			target = (h[0] & 0x3fu) << 8 | h[1];
			if (target >= lowest)
				return PA_DNS_BAD;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			lowest = target;
			p = target;
			continue;
		}
		if (h[0] & 0xc0)	/* the reserved label types */
			return PA_DNS_BAD;
		wire += h[0] + 1u;
		if (wire > 255)
			return PA_DNS_BAD;
		if (!h[0])
			break;
		i = h[0];
		if (mlen - p - 1 < i)
			return PA_DNS_BAD;
		h = read(ctx, msg + p + 1, i, buf);
		if (!h)
			return PA_DNS_BAD;
		if (o)
			out[o++] = '.';
		for (p += 1 + i; i; i--, h++)
			out[o++] = pa_name_char(*h) ? (char)*h : '?';
	}
	if (!jumped)
		*pos = p + 1;
	if (!o)
		out[o++] = '.';
	out[o] = '\0';
	return 0;
}

/**
 * pa_dns_parse() - the questions of a DNS query
 * @read: reads packet bytes (see arc_pkt_read_t)
 * @ctx: passed to @read
 * @off: where the DNS message starts, from the network header
 * @len: the message's length
 * @q: room for PA_DNS_MAX_QUESTIONS questions
 *
 * Return: the number of questions parsed into @q (at most
 * PA_DNS_MAX_QUESTIONS; further ones are not looked at), PA_DNS_SKIP for
 * a response or a message without a question, PA_DNS_BAD for a message
 * that is cut short or has a malformed name.
 */
int pa_dns_parse(arc_pkt_read_t read, const void *ctx, u32 off, u32 len,
		 struct pa_dns_query *q)
{
	u32 pos = 12, qd, i;
	u8 buf[12];
	const u8 *h;

	h = len >= 12 ? read(ctx, off, 12, buf) : NULL;
	if (!h)
		return PA_DNS_BAD;
	if (h[2] & 0x80)	/* QR: a response */
		return PA_DNS_SKIP;
	qd = pa_get16(h + 4);
	if (qd > PA_DNS_MAX_QUESTIONS)
		qd = PA_DNS_MAX_QUESTIONS;
	for (i = 0; i < qd; i++) {
		if (pa_dns_name(read, ctx, off, len, &pos, q[i].name))
			return PA_DNS_BAD;
		h = len - pos >= 4 ? read(ctx, off + pos, 4, buf) : NULL;
		if (!h)
			return PA_DNS_BAD;
		q[i].qtype = pa_get16(h);
		pos += 4;
	}
	return (int)qd;
}

/* An entry's standing when a table needs room: free, expired or live. */
enum { PA_FREE, PA_EXPIRED, PA_LIVE };

static int pa_rank(bool used, u64 start, u64 now, u64 window)
{
	if (!used)
		return PA_FREE;
	return now - start >= window ? PA_EXPIRED : PA_LIVE;
}

/*
 * Does entry a (standing @ra, count @ca, started @ta) give way before
 * entry b? Free first, then expired, then the lowest count, the oldest.
 */
static bool pa_worth_less(int ra, u32 ca, u64 ta, int rb, u32 cb, u64 tb)
{
	if (ra != rb)
		return ra < rb;
	if (ca != cb)
		return ca < cb;
	return ta < tb;
}

static bool pa_same_addr(u8 family, const u8 *a, const struct arc_pkt *pkt,
			 const u8 *b)
{
	return family == pkt->family &&
	       !memcmp(a, b, arc_pkt_addr_len(pkt->family));
}

/**
 * pa_scan_observe() - count a probe against its source
 * @bucket: the PA_WAYS entries the source's hash picks
 * @pkt: the probe (pa_probe_kind() is not 0)
 * @probe: its ARCPKT_PROBE_* bit
 * @now: the caller's clock
 * @cfg: the settings
 * @probes: set to the window's ARCPKT_PROBE_* bits on a detection
 * @evictions: incremented when another source loses its entry
 *
 * Return: the distinct ports of the window when this probe makes the
 * source a scanner (once per window), else 0.
 */
u32 pa_scan_observe(struct pa_src *bucket, const struct arc_pkt *pkt,
		    u8 probe, u64 now, const struct pa_scan_cfg *cfg,
		    u8 *probes, u64 *evictions)
{
	struct pa_src *e = NULL, *v = NULL;
	unsigned int i;

	for (i = 0; i < PA_WAYS; i++) {
		struct pa_src *s = &bucket[i];

		if (pa_same_addr(s->family, s->addr, pkt, pkt->saddr)) {
			e = s;
			break;
		}
		if (!v || pa_worth_less(pa_rank(s->family, s->start, now,
						cfg->window), s->nports,
					s->start,
					pa_rank(v->family, v->start, now,
						cfg->window), v->nports,
					v->start))
			v = s;
	}
	if (!e) {
		e = v;
		if (e->family && now - e->start < cfg->window)
			(*evictions)++;
		e->family = pkt->family;
		memcpy(e->addr, pkt->saddr, sizeof(e->addr));
		e->start = now;
		e->nports = 0;
		e->probes = 0;
		e->reported = 0;
	} else if (now - e->start >= cfg->window) {
		e->start = now;
		e->nports = 0;
		e->probes = 0;
		e->reported = 0;
	}
	e->probes |= probe;
	if (e->reported)
		return 0;
	for (i = 0; i < e->nports; i++)
		if (e->ports[i] == pkt->dport)
			break;
	if (i == e->nports && e->nports < ARCPKT_SCAN_THRESHOLD_MAX)
		e->ports[e->nports++] = pkt->dport;
	if (e->nports < cfg->threshold)
		return 0;
	e->reported = 1;
	*probes = e->probes;
	return e->nports;
}

/**
 * pa_pending_add() - remember a SYN until its handshake completes
 * @bucket: the PA_WAYS entries the connection's hash picks
 * @key: the connection's hash, not 0
 * @now: the caller's clock
 * @window: how long a SYN waits for its ACK
 * @evictions: incremented when a SYN still waiting loses its entry
 */
void pa_pending_add(struct pa_pending *bucket, u64 key, u64 now,
		    u64 window, u64 *evictions)
{
	struct pa_pending *v = NULL;
	unsigned int i;

	for (i = 0; i < PA_WAYS; i++) {
		struct pa_pending *s = &bucket[i];

		if (s->key == key) {	/* a retransmission */
			s->time = now;
			return;
		}
		if (!v || pa_worth_less(pa_rank(s->key != 0, s->time, now,
						window), 0, s->time,
					pa_rank(v->key != 0, v->time, now,
						window), 0, v->time))
			v = s;
	}
	if (v->key && now - v->time < window)
		(*evictions)++;
	v->key = key;
	v->time = now;
}

/**
 * pa_pending_take() - the ACK of a handshake: forget its SYN
 * @bucket: the PA_WAYS entries the connection's hash picks
 * @key: the connection's hash, not 0
 * @now: the caller's clock
 * @window: how long a SYN waits for its ACK
 *
 * Return: true if a SYN of this connection was waiting (and still in
 * time): the ACK completes a handshake.
 */
bool pa_pending_take(struct pa_pending *bucket, u64 key, u64 now,
		     u64 window)
{
	unsigned int i;

	for (i = 0; i < PA_WAYS; i++) {
		if (bucket[i].key != key)
			continue;
		bucket[i].key = 0;
		return now - bucket[i].time < window;
	}
	return false;
}

static struct pa_dst *pa_dst_find(struct pa_dst *bucket,
				  const struct arc_pkt *pkt)
{
	unsigned int i;

	for (i = 0; i < PA_WAYS; i++)
		if (bucket[i].port == pkt->dport &&
		    pa_same_addr(bucket[i].family, bucket[i].addr, pkt,
				 pkt->daddr))
			return &bucket[i];
	return NULL;
}

static u32 pa_half_open(const struct pa_dst *d)
{
	return d->syns > d->done ? d->syns - d->done : 0;
}

/**
 * pa_syn_observe() - count a SYN against its destination
 * @bucket: the PA_WAYS entries the destination's hash picks
 * @pkt: the SYN (SYN set, ACK and RST clear)
 * @now: the caller's clock
 * @cfg: the settings
 * @evictions: incremented when another destination loses its entry
 *
 * Return: the SYNs without a handshake in the window when this one makes
 * the destination flooded (once per window), else 0.
 */
u32 pa_syn_observe(struct pa_dst *bucket, const struct arc_pkt *pkt,
		   u64 now, const struct pa_syn_cfg *cfg, u64 *evictions)
{
	struct pa_dst *e = pa_dst_find(bucket, pkt), *v = NULL;
	unsigned int i;
	u32 half;

	if (!e) {
		for (i = 0; i < PA_WAYS; i++) {
			struct pa_dst *s = &bucket[i];

			if (!v ||
			    pa_worth_less(pa_rank(s->family, s->start, now,
						  cfg->window),
					  pa_half_open(s), s->start,
					  pa_rank(v->family, v->start, now,
						  cfg->window),
					  pa_half_open(v), v->start))
				v = s;
		}
		e = v;
		if (e->family && now - e->start < cfg->window)
			(*evictions)++;
		e->family = pkt->family;
		memcpy(e->addr, pkt->daddr, sizeof(e->addr));
		e->port = pkt->dport;
		e->start = now;
		e->syns = 0;
		e->done = 0;
		e->reported = 0;
	} else if (now - e->start >= cfg->window) {
		e->start = now;
		e->syns = 0;
		e->done = 0;
		e->reported = 0;
	}
	if (e->syns != (u32)~0u)
		e->syns++;
	half = pa_half_open(e);
	if (e->reported || half < cfg->threshold)
		return 0;
	e->reported = 1;
	return half;
}

/**
 * pa_syn_done() - a handshake to a destination completed
 * @bucket: the PA_WAYS entries the destination's hash picks
 * @pkt: the ACK that completed it
 * @now: the caller's clock
 * @window: the window length
 */
void pa_syn_done(struct pa_dst *bucket, const struct arc_pkt *pkt, u64 now,
		 u64 window)
{
	struct pa_dst *e = pa_dst_find(bucket, pkt);

	if (e && now - e->start < window && e->done != (u32)~0u)
		e->done++;
}

static bool pa_talker_is(const struct pa_talker *t, u32 hash,
			 const struct arc_pkt *pkt)
{
	return t->hash == hash &&
	       pa_same_addr(t->family, t->addr, pkt, pkt->saddr);
}

/* Take @slot out of the index, moving later entries of its run back. */
static void pa_top_unindex(struct pa_top *top, u32 slot)
{
	u32 i = slot, j = slot, home;

	top->index[i] = PA_TOP_FREE;
	for (;;) {
		j = (j + 1) & top->mask;
		if (top->index[j] == PA_TOP_FREE)
			return;
		home = top->t[top->index[j]].hash & top->mask;
		/* Leave it if its home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		top->index[i] = top->index[j];
		top->index[j] = PA_TOP_FREE;
		i = j;
	}
}

/**
 * pa_top_reset() - forget every source
 * @top: the top talkers
 */
void pa_top_reset(struct pa_top *top)
{
	u32 i;

	top->n = 0;
	top->floor = 0;
	top->cursor = 0;
	for (i = 0; i <= top->mask; i++)
		top->index[i] = PA_TOP_FREE;
}

/*
 * An entry with the fewest packets, all k being in use. Counts only grow
 * and a replaced entry gets more than the floor, so the floor stays at or
 * below the smallest count, and an entry at the floor is a smallest one:
 * look for one from where the last search stopped. A whole round without
 * one finds the smallest count, the new floor. Under a flood of new
 * sources, where every packet replaces an entry and most entries sit at
 * the floor, that costs a step or two per packet instead of k.
 */
static u32 pa_top_min(struct pa_top *top)
{
	u32 i = top->cursor, best = i, n;

	for (n = 0; n < top->k; n++) {
		if (top->t[i].packets == top->floor)
			break;
		if (top->t[i].packets < top->t[best].packets)
			best = i;
		i = i + 1 == top->k ? 0 : i + 1;
	}
	if (n == top->k) {
		i = best;
		top->floor = top->t[i].packets;
	}
	top->cursor = i + 1 == top->k ? 0 : i + 1;
	return i;
}

/**
 * pa_top_add() - count a packet against its source
 * @top: the top talkers
 * @hash: the caller's hash of the source's family and address
 * @pkt: the packet
 * @bytes: its length
 *
 * A source without an entry, when all @top->k are taken, takes the entry
 * with the fewest packets and inherits its count as its error (the
 * Space-Saving algorithm).
 */
void pa_top_add(struct pa_top *top, u32 hash, const struct arc_pkt *pkt,
		u32 bytes)
{
	struct pa_talker *t;
	u32 slot = hash & top->mask, i, min;

	for (; top->index[slot] != PA_TOP_FREE; slot = (slot + 1) & top->mask) {
		t = &top->t[top->index[slot]];
		if (pa_talker_is(t, hash, pkt)) {
			t->packets++;
			t->bytes += bytes;
			return;
		}
	}
	if (top->n < top->k) {
		i = top->n++;
		t = &top->t[i];
		t->packets = 0;
		t->err = 0;
	} else {
		i = pa_top_min(top);
		t = &top->t[i];
		/* Its slot may be anywhere in its run: find it. */
		for (min = t->hash & top->mask; top->index[min] != i;
		     min = (min + 1) & top->mask)
			;
		pa_top_unindex(top, min);
		t->err = t->packets;
		/* The free slot found above may have moved: look again. */
		for (slot = hash & top->mask; top->index[slot] != PA_TOP_FREE;
		     slot = (slot + 1) & top->mask)
			;
	}
	t->family = pkt->family;
	memcpy(t->addr, pkt->saddr, sizeof(t->addr));
	t->hash = hash;
	t->packets++;
	t->bytes = bytes;
	top->index[slot] = (u16)i;
}
