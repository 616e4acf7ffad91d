// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: every IPv4 and IPv6 packet entering a namespace, at
 * PRE_ROUTING before anything else (defragmentation included, so that
 * fragments are seen as they came), and with local_out=1 every packet
 * it sends. Always NF_ACCEPT; the packet is only read.
 *
 * Counting is per CPU and exact. The detectors and the top talkers work
 * in tables allocated with the namespace; a bucket of a shared table is
 * taken under one of PA_STRIPES spinlocks, never two at once.
 */
#include <linux/jiffies.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/preempt.h>

#include "pktan.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

/* A source's hash: the top talkers' and the port-scan table's key. */
static u64 pa_hash_src(const struct pa_net *pn, const struct arc_pkt *pkt)
{
	struct {
		u8 addr[16];
		u8 family;
		u8 what;
		u8 pad[6];
	} k = { .family = pkt->family, .what = 1 };

	memcpy(k.addr, pkt->saddr, sizeof(k.addr));
	return siphash(&k, sizeof(k), &pn->key);
}

static u64 pa_hash_dst(const struct pa_net *pn, const struct arc_pkt *pkt)
{
	struct {
		u8 addr[16];
		u16 port;
		u8 family;
		u8 what;
		u8 pad[4];
	} k = { .port = pkt->dport, .family = pkt->family, .what = 2 };

	memcpy(k.addr, pkt->daddr, sizeof(k.addr));
	return siphash(&k, sizeof(k), &pn->key);
}

/* A connection's hash, never 0 (a free entry of the pending table). */
static u64 pa_hash_conn(const struct pa_net *pn, const struct arc_pkt *pkt)
{
	struct {
		u8 saddr[16];
		u8 daddr[16];
		u16 sport;
		u16 dport;
		u8 family;
		u8 what;
		u8 pad[2];
	} k = {
		.sport = pkt->sport,
		.dport = pkt->dport,
		.family = pkt->family,
		.what = 3,
	};

	memcpy(k.saddr, pkt->saddr, sizeof(k.saddr));
	memcpy(k.daddr, pkt->daddr, sizeof(k.daddr));
	return siphash(&k, sizeof(k), &pn->key) | 1;
}

/* At most cfg.event_rate events a second per namespace. */
static bool pa_event_allowed(struct pa_net *pn)
{
	unsigned long stamp = READ_ONCE(pn->ev_stamp), now = jiffies;

	if (time_after_eq(now, stamp + HZ) &&
	    cmpxchg(&pn->ev_stamp, stamp, now) == stamp)
		atomic_set(&pn->ev_sent, 0);
	return atomic_inc_return(&pn->ev_sent) <=
	       (int)READ_ONCE(pn->cfg.event_rate);
}

static void pa_report(struct net *net, struct pa_net *pn,
		      const struct pa_event *ev)
{
	this_cpu_inc(pn->stats->detections[ev->type]);
	trace_pktan_detect(ev);
	if (pa_event_allowed(pn))
		pa_notify(net, ev);
	else
		this_cpu_inc(pn->stats->suppressed);
}

static void pa_event_init(struct pa_event *ev, u8 type,
			  const struct arc_pkt *pkt)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->family = pkt->family;
	memcpy(ev->saddr, pkt->saddr, sizeof(ev->saddr));
	memcpy(ev->daddr, pkt->daddr, sizeof(ev->daddr));
	ev->dport = pkt->dport;
}

static void pa_scan(struct net *net, struct pa_net *pn,
		    const struct arc_pkt *pkt, u8 probe, u64 hash, u64 now,
		    u64 *evictions)
{
	struct pa_scan_cfg cfg = {
		.window = msecs_to_jiffies(READ_ONCE(pn->cfg.scan_window_ms)),
		.threshold = READ_ONCE(pn->cfg.scan_threshold),
	};
	u32 b = hash & (pa_src_buckets - 1), count;
	struct pa_event ev;
	u8 probes = 0;

	spin_lock(&pn->src_lock[b % PA_STRIPES]);
	count = pa_scan_observe(&pn->src[b * PA_WAYS], pkt, probe, now, &cfg,
				&probes, evictions);
	spin_unlock(&pn->src_lock[b % PA_STRIPES]);
	if (!count)
		return;
	pa_event_init(&ev, ARCPKT_DETECT_PORT_SCAN, pkt);
	ev.count = count;
	ev.probes = probes;
	pa_report(net, pn, &ev);
}

static void pa_syn(struct net *net, struct pa_net *pn,
		   const struct arc_pkt *pkt, u64 now, u64 *evictions)
{
	struct pa_syn_cfg cfg = {
		.window = msecs_to_jiffies(READ_ONCE(pn->cfg.syn_window_ms)),
		.threshold = READ_ONCE(pn->cfg.syn_threshold),
	};
	u8 f = pkt->tcp_flags & (PA_TCP_SYN | PA_TCP_ACK | PA_TCP_RST);
	u32 b, count;
	struct pa_event ev;
	u64 conn;

	if (f != PA_TCP_SYN && f != PA_TCP_ACK)
		return;
	conn = pa_hash_conn(pn, pkt);
	b = conn & (pa_pending_buckets - 1);
	spin_lock(&pn->pending_lock[b % PA_STRIPES]);
	if (f == PA_TCP_SYN) {
		pa_pending_add(&pn->pending[b * PA_WAYS], conn, now, cfg.window,
			       evictions);
	} else if (!pa_pending_take(&pn->pending[b * PA_WAYS], conn, now,
				    cfg.window)) {
		/* Not a handshake's last packet: most ACKs end here. */
		spin_unlock(&pn->pending_lock[b % PA_STRIPES]);
		return;
	}
	spin_unlock(&pn->pending_lock[b % PA_STRIPES]);

	b = pa_hash_dst(pn, pkt) & (pa_dst_buckets - 1);
	spin_lock(&pn->dst_lock[b % PA_STRIPES]);
	if (f == PA_TCP_ACK) {
		pa_syn_done(&pn->dst[b * PA_WAYS], pkt, now, cfg.window);
		count = 0;
	} else {
		count = pa_syn_observe(&pn->dst[b * PA_WAYS], pkt, now, &cfg,
				       evictions);
	}
	spin_unlock(&pn->dst_lock[b % PA_STRIPES]);
	if (!count)
		return;
	pa_event_init(&ev, ARCPKT_DETECT_SYN_FLOOD, pkt);
	ev.count = count;
	pa_report(net, pn, &ev);
}

/* A DNS message's offset and length in @pkt, if it holds one whole. */
static bool pa_dns_msg(const struct arc_pkt *pkt, const struct sk_buff *skb,
		       u32 *off, u32 *len)
{
	u8 buf[2];
	const u8 *h;
	u32 hlen;

	if (pkt->proto == IPPROTO_UDP) {
		*off = pkt->l4_offset + 8;
		*len = pkt->len - *off;
		return true;
	}
	/* TCP: a segment carrying one whole message after its length. */
	h = arc_pkt_skb_read(skb, pkt->l4_offset + 12, 1, buf);
	if (!h)
		return false;
	hlen = (h[0] >> 4) * 4u;
	*off = pkt->l4_offset + hlen;
	if (pkt->len - *off < 2)
		return false;
	h = arc_pkt_skb_read(skb, *off, 2, buf);
	if (!h || (u32)(h[0] << 8 | h[1]) != pkt->len - *off - 2)
		return false;
	*off += 2;
	*len = pkt->len - *off;
	return true;
}

/* Return: false if the packet is a malformed DNS message. */
static bool pa_dns(struct net *net, struct pa_net *pn,
		   const struct arc_pkt *pkt, const struct sk_buff *skb)
{
	struct pa_dns_query q[PA_DNS_MAX_QUESTIONS];
	struct pa_event ev;
	u32 off, len;
	int n, i;

	if (!pa_dns_msg(pkt, skb, &off, &len))
		return true;
	n = pa_dns_parse(arc_pkt_skb_read, skb, off, len, q);
	if (n == PA_DNS_BAD)
		return false;
	for (i = 0; i < n; i++) {
		pa_event_init(&ev, ARCPKT_DETECT_DNS_QUERY, pkt);
		ev.proto = pkt->proto;
		ev.qname = q[i].name;
		ev.qtype = q[i].qtype;
		pa_report(net, pn, &ev);
	}
	return true;
}

/* The detectors and the top talkers, for a well-formed incoming packet. */
static bool pa_detect(struct net *net, struct pa_net *pn,
		      const struct arc_pkt *pkt, const struct sk_buff *skb)
{
	struct pa_cpu *pc = this_cpu_ptr(pn->cpu);
	u64 now = get_jiffies_64(), evictions = 0, hash;
	bool ok = true;
	u8 probe;

	hash = pa_hash_src(pn, pkt);
	spin_lock(&pc->lock);
	pa_top_add(&pc->top, (u32)hash, pkt, skb->len);
	spin_unlock(&pc->lock);

	if (!(pkt->flags & ARC_PKT_L4))
		return true;
	if (pkt->proto == IPPROTO_TCP) {
		probe = pa_probe_kind(pkt);
		if (probe)
			pa_scan(net, pn, pkt, probe, hash >> 32, now,
				&evictions);
		pa_syn(net, pn, pkt, now, &evictions);
	}
	if ((pkt->proto == IPPROTO_UDP || pkt->proto == IPPROTO_TCP) &&
	    pkt->dport == 53 && READ_ONCE(pn->cfg.dns))
		ok = pa_dns(net, pn, pkt, skb);
	if (evictions)
		this_cpu_add(pn->stats->evictions, evictions);
	return ok;
}

/* @priv: the namespace's &struct pa_net (ARC_NET's copy of the hooks). */
static unsigned int pa_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct pa_net *pn = priv;
	unsigned int hook = state->hook == NF_INET_LOCAL_OUT ?
			    ARCPKT_HOOK_LOCAL_OUT : ARCPKT_HOOK_PRE_ROUTING;
	unsigned int fam = state->pf == NFPROTO_IPV6, cls;
	/* The parse writes all of it first: no zeroing here. */
	struct arc_pkt pkt __uninitialized;
	int err, bad;
	bool bh;

	err = __arc_pkt_from_skb(&pkt, skb, true);
	cls = err == ARC_PKT_OK ? pa_proto_class(pkt.proto) :
				  ARCPKT_PROTO_OTHER;
	bad = pa_classify(&pkt, err, arc_pkt_skb_read, skb);
	/*
	 * The tables' locks are taken in BH. The receive path is there
	 * already; LOCAL_OUT, or a packet a queue reinjects, may not be.
	 */
	bh = !in_softirq();
	if (bh)
		local_bh_disable();
	this_cpu_inc(pn->stats->packets[hook][fam][cls]);
	this_cpu_add(pn->stats->bytes[hook][fam][cls], skb->len);
	/* The arguments are worked out only when someone listens. */
	if (trace_pktan_packet_enabled())
		trace_pktan_packet(hook, fam ? ARC_PKT_IPV6 : ARC_PKT_IPV4,
				   err == ARC_PKT_OK || err == ARC_PKT_EEXTHDR ?
				   pkt.saddr : NULL, cls, skb->len,
				   bad != PA_WELL_FORMED);
	if (bad == PA_WELL_FORMED && hook == ARCPKT_HOOK_PRE_ROUTING &&
	    READ_ONCE(pn->cfg.detect) && !pa_detect(state->net, pn, &pkt, skb))
		bad = ARCPKT_MAL_DNS;
	if (bad != PA_WELL_FORMED)
		this_cpu_inc(pn->stats->malformed[bad]);
	if (bh)
		local_bh_enable();
	return NF_ACCEPT;
}

const struct nf_hook_ops pa_hooks[4] = {
	{
		.hook = pa_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_FIRST,
	},
	{
		.hook = pa_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_FIRST,
	},
	{
		.hook = pa_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FIRST,
	},
	{
		.hook = pa_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_FIRST,
	},
};

/**
 * pa_stats_read() - a namespace's counters since its last reset
 * @pn: the namespace's state
 * @sum: filled in
 *
 * Call with @pn->lock held.
 */
void pa_stats_read(struct pa_net *pn, struct pa_stats *sum)
{
	u64 *s = (u64 *)sum;
	const u64 *b = (const u64 *)&pn->base;
	unsigned int i;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *c = (const u64 *)per_cpu_ptr(pn->stats, cpu);

		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			s[i] += READ_ONCE(c[i]);
	}
	for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
		s[i] -= b[i];
}

/**
 * pa_reset() - counters from zero; the detectors and top talkers forget
 * @pn: the namespace's state
 *
 * Call with @pn->lock held. The per-CPU counters are never written from
 * here (a packet on another CPU could be adding to them): their sum now
 * becomes the base that reads subtract.
 */
void pa_reset(struct pa_net *pn)
{
	struct pa_stats now;
	unsigned int i;
	int cpu;

	memset(&pn->base, 0, sizeof(pn->base));
	pa_stats_read(pn, &now);
	pn->base = now;
	for (i = 0; i < pa_src_buckets; i++) {
		spin_lock_bh(&pn->src_lock[i % PA_STRIPES]);
		memset(&pn->src[i * PA_WAYS], 0, PA_WAYS * sizeof(*pn->src));
		spin_unlock_bh(&pn->src_lock[i % PA_STRIPES]);
	}
	for (i = 0; i < pa_dst_buckets; i++) {
		spin_lock_bh(&pn->dst_lock[i % PA_STRIPES]);
		memset(&pn->dst[i * PA_WAYS], 0, PA_WAYS * sizeof(*pn->dst));
		spin_unlock_bh(&pn->dst_lock[i % PA_STRIPES]);
	}
	for (i = 0; i < pa_pending_buckets; i++) {
		spin_lock_bh(&pn->pending_lock[i % PA_STRIPES]);
		memset(&pn->pending[i * PA_WAYS], 0,
		       PA_WAYS * sizeof(*pn->pending));
		spin_unlock_bh(&pn->pending_lock[i % PA_STRIPES]);
	}
	for_each_possible_cpu(cpu) {
		struct pa_cpu *pc = per_cpu_ptr(pn->cpu, cpu);

		spin_lock_bh(&pc->lock);
		pa_top_reset(&pc->top);
		spin_unlock_bh(&pc->lock);
	}
}
