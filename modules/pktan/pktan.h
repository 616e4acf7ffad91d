/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc_pktan: what the packet path, the control plane and the module's
 * setup share.
 */
#ifndef _ARC_PKTAN_H
#define _ARC_PKTAN_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>

#include <arc/arc.h>
#include <arc/net.h>
#include <uapi/arc/pktan.h>

#include "detect.h"

/* Buckets of a table share PA_STRIPES locks: bucket i takes lock i % 32. */
#define PA_STRIPES	32

/**
 * struct pa_stats - one CPU's counters of a namespace
 * @packets: by hook, family (0 IPv4, 1 IPv6) and &enum arcpkt_proto
 * @bytes: likewise
 * @malformed: by &enum arcpkt_malformed
 * @detections: by &enum arcpkt_detect
 * @suppressed: detections the event rate limit kept from listeners
 * @evictions: entries the detectors' tables gave to newer keys
 */
struct pa_stats {
	u64 packets[ARCPKT_NR_HOOKS][2][ARCPKT_NR_PROTOS];
	u64 bytes[ARCPKT_NR_HOOKS][2][ARCPKT_NR_PROTOS];
	u64 malformed[ARCPKT_NR_MALFORMED];
	u64 detections[ARCPKT_NR_DETECT];
	u64 suppressed;
	u64 evictions;
};

/**
 * struct pa_cpu - one CPU's top talkers of a namespace
 * @lock: taken by that CPU's packets and by readers
 * @top: the Space-Saving summary
 */
struct pa_cpu {
	spinlock_t lock;	/* the CPU's packets vs readers */
	struct pa_top top;
};

/**
 * struct pa_config - a namespace's detector settings (&enum
 *	arcpkt_config_attr); the packet path reads them with READ_ONCE()
 * @syn_threshold: see ARCPKT_CFG_SYN_THRESHOLD
 * @syn_window_ms: see ARCPKT_CFG_SYN_WINDOW_MS
 * @scan_threshold: see ARCPKT_CFG_SCAN_THRESHOLD
 * @scan_window_ms: see ARCPKT_CFG_SCAN_WINDOW_MS
 * @event_rate: see ARCPKT_CFG_EVENT_RATE
 * @dns: see ARCPKT_CFG_DNS
 * @detect: see ARCPKT_CFG_DETECT
 */
struct pa_config {
	u32 syn_threshold;
	u32 syn_window_ms;
	u32 scan_threshold;
	u32 scan_window_ms;
	u32 event_rate;
	bool dns;
	bool detect;
};

/**
 * struct pa_net - arc_pktan in one network namespace
 * @lock: serialises changes (SET_CONFIG, RESET)
 * @cfg: the settings
 * @stats: per-CPU counters, only ever added to
 * @base: what @stats summed to at the last RESET (reads subtract it)
 * @cpu: per-CPU top talkers
 * @src: the port-scan detector's sources, PA_WAYS per bucket
 * @dst: the SYN-flood detector's destinations
 * @pending: SYNs waiting for their handshake's ACK
 * @src_lock: bucket locks of @src
 * @dst_lock: bucket locks of @dst
 * @pending_lock: bucket locks of @pending
 * @key: hash key: a sender cannot aim its keys at one bucket
 * @ev_stamp: jiffies when the current second of events began
 * @ev_sent: events sent in that second
 * @memory: bytes of the tables and the top talkers
 */
struct pa_net {
	struct mutex lock;	/* SET_CONFIG and RESET */
	struct pa_config cfg;
	struct pa_stats __percpu *stats;
	struct pa_stats base;
	struct pa_cpu __percpu *cpu;
	struct pa_src *src;
	struct pa_dst *dst;
	struct pa_pending *pending;
	spinlock_t src_lock[PA_STRIPES];	/* bucket b: src_lock[b % 32] */
	spinlock_t dst_lock[PA_STRIPES];	/* likewise */
	spinlock_t pending_lock[PA_STRIPES];	/* likewise */
	siphash_key_t key;
	unsigned long ev_stamp;
	atomic_t ev_sent;
	u64 memory;
};

/**
 * struct pa_event - one detection, for the tracepoint and the listeners
 * @type: &enum arcpkt_detect
 * @family: ARC_PKT_IPV4 or ARC_PKT_IPV6
 * @probes: ARCPKT_PROBE_* bits (port scan)
 * @proto: IPPROTO_UDP or IPPROTO_TCP (DNS query)
 * @saddr: source address
 * @daddr: destination address
 * @dport: destination port
 * @qtype: query type (DNS query)
 * @count: see ARCPKT_EV_COUNT
 * @qname: the queried name (DNS query), else NULL
 */
struct pa_event {
	u8 type;
	u8 family;
	u8 probes;
	u8 proto;
	u8 saddr[16];
	u8 daddr[16];
	u16 dport;
	u16 qtype;
	u32 count;
	const char *qname;
};

/* Table sizes, in buckets (powers of two), fixed at load. */
extern unsigned int pa_src_buckets, pa_dst_buckets, pa_pending_buckets;
extern unsigned int pa_top_k;
extern bool pa_local_out;
extern struct pa_config pa_default_cfg;

extern struct arc_net pa_arc_net;
extern const struct nf_hook_ops pa_hooks[4];

static inline struct pa_net *pa_net(const struct net *net)
{
	return arc_net_priv(&pa_arc_net, net);
}

void pa_stats_read(struct pa_net *pn, struct pa_stats *sum);
void pa_reset(struct pa_net *pn);
void pa_notify(struct net *net, const struct pa_event *ev);
int pa_netlink_init(void);
void pa_netlink_exit(void);

#endif /* _ARC_PKTAN_H */
