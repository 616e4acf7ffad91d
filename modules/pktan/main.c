// SPDX-License-Identifier: GPL-2.0
/*
 * arc_pktan: count every IPv4 and IPv6 packet entering each network
 * namespace by protocol, flag malformed ones, detect SYN floods, port
 * scans and DNS queries in fixed memory, and keep the top talkers.
 * Never changes or drops a packet. Read and configured over generic
 * netlink ("arcpkt", userspace/arcpkt).
 */
#include <linux/init.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "pktan.h"

#define PA_TABLE_MAX	262144U
#define PA_TOP_MAX	4096

bool pa_local_out;
module_param_named(local_out, pa_local_out, bool, 0444);
MODULE_PARM_DESC(local_out, "Also count the packets each namespace sends, at LOCAL_OUT (default off; the detectors look at incoming packets only)");

unsigned int pa_src_buckets, pa_dst_buckets, pa_pending_buckets;
unsigned int pa_top_k = 64;

static unsigned int max_sources = 1024;
static unsigned int max_destinations = 256;
static unsigned int max_handshakes = 4096;

/* A table size: 4 to 2^18 entries (rounded up to a power of two in use). */
static int pa_table_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < PA_WAYS || v > PA_TABLE_MAX) {
		arc_err("%s='%s': must be %u to %u\n", kp->name, val, PA_WAYS,
			PA_TABLE_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops pa_table_ops = {
	.set = pa_table_set,
	.get = param_get_uint,
};

module_param_cb(max_sources, &pa_table_ops, &max_sources, 0444);
MODULE_PARM_DESC(max_sources, "Sources the port-scan detector follows per namespace, 4 to 262144, rounded up to a power of two (default 1024; 160 bytes each)");
module_param_cb(max_destinations, &pa_table_ops, &max_destinations, 0444);
MODULE_PARM_DESC(max_destinations, "Destinations the SYN-flood detector follows per namespace, 4 to 262144, rounded up to a power of two (default 256; 40 bytes each)");
module_param_cb(max_handshakes, &pa_table_ops, &max_handshakes, 0444);
MODULE_PARM_DESC(max_handshakes, "SYNs per namespace that wait for the ACK completing their handshake, 4 to 262144, rounded up to a power of two (default 4096; 16 bytes each)");

static int pa_top_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || !v || v > PA_TOP_MAX) {
		arc_err("top_talkers='%s': must be 1 to %u\n", val, PA_TOP_MAX);
		return -EINVAL;
	}
	pa_top_k = v;
	return 0;
}

static const struct kernel_param_ops pa_top_ops = {
	.set = pa_top_set,
	.get = param_get_uint,
};

module_param_cb(top_talkers, &pa_top_ops, &pa_top_k, 0444);
MODULE_PARM_DESC(top_talkers, "Sources each CPU counts for the top talkers per namespace, 1 to 4096 (default 64; 48 bytes each, plus 4 of index): a source with more than 1/top_talkers of a CPU's packets is always among them");

struct pa_config pa_default_cfg = {
	.syn_threshold = 200,
	.syn_window_ms = 1000,
	.scan_threshold = 16,
	.scan_window_ms = 5000,
	.event_rate = 50,
	.dns = true,
	.detect = true,
};

/* The settings' defaults for every namespace: validated like SET_CONFIG. */
static int pa_cfg_set(const char *val, const struct kernel_param *kp)
{
	u32 *field = kp->arg, min, max, v;

	if (field == &pa_default_cfg.syn_threshold) {
		min = 1;
		max = ARCPKT_SYN_THRESHOLD_MAX;
	} else if (field == &pa_default_cfg.scan_threshold) {
		min = 2;
		max = ARCPKT_SCAN_THRESHOLD_MAX;
	} else if (field == &pa_default_cfg.event_rate) {
		min = 1;
		max = ARCPKT_EVENT_RATE_MAX;
	} else {
		min = ARCPKT_WINDOW_MS_MIN;
		max = ARCPKT_WINDOW_MS_MAX;
	}
	if (kstrtou32(val, 0, &v) || v < min || v > max) {
		arc_err("%s='%s': must be %u to %u\n", kp->name, val, min, max);
		return -EINVAL;
	}
	*field = v;
	return 0;
}

static const struct kernel_param_ops pa_cfg_ops = {
	.set = pa_cfg_set,
	.get = param_get_uint,
};

module_param_cb(syn_threshold, &pa_cfg_ops, &pa_default_cfg.syn_threshold, 0444);
MODULE_PARM_DESC(syn_threshold, "SYNs to one destination without a completed handshake within syn_window_ms that make a SYN flood, 1 to 1000000 (default 200; arcpkt config changes it per namespace)");
module_param_cb(syn_window_ms, &pa_cfg_ops, &pa_default_cfg.syn_window_ms, 0444);
MODULE_PARM_DESC(syn_window_ms, "The SYN-flood detector's window, 100 to 3600000 ms (default 1000)");
module_param_cb(scan_threshold, &pa_cfg_ops, &pa_default_cfg.scan_threshold, 0444);
MODULE_PARM_DESC(scan_threshold, "Distinct destination ports one source probes (TCP SYN, NULL, FIN, Xmas) within scan_window_ms that make a port scan, 2 to 64 (default 16)");
module_param_cb(scan_window_ms, &pa_cfg_ops, &pa_default_cfg.scan_window_ms, 0444);
MODULE_PARM_DESC(scan_window_ms, "The port-scan detector's window, 100 to 3600000 ms (default 5000)");
module_param_cb(event_rate, &pa_cfg_ops, &pa_default_cfg.event_rate, 0444);
MODULE_PARM_DESC(event_rate, "Detection events a namespace sends per second at most, 1 to 10000 (default 50); detections past it are counted only");
module_param_named(dns, pa_default_cfg.dns, bool, 0444);
MODULE_PARM_DESC(dns, "Report DNS queries (UDP and TCP to port 53) as events (default on)");
module_param_named(detect, pa_default_cfg.detect, bool, 0444);
MODULE_PARM_DESC(detect, "Run the detectors and the top talkers (default on); off leaves the counters alone");

static void pa_free_net(struct pa_net *pn)
{
	int cpu;

	if (pn->cpu) {
		for_each_possible_cpu(cpu) {
			struct pa_cpu *pc = per_cpu_ptr(pn->cpu, cpu);

			kvfree(pc->top.t);
			kvfree(pc->top.index);
		}
		free_percpu(pn->cpu);
	}
	kvfree(pn->src);
	kvfree(pn->dst);
	kvfree(pn->pending);
	free_percpu(pn->stats);
}

/*
 * Everything a namespace will ever hold, allocated now and charged to the
 * memory cgroup of the namespace's creator: nothing the packets do later
 * allocates.
 */
static int pa_init_net(struct net *net, void *priv)
{
	struct pa_net *pn = priv;
	u32 slots = roundup_pow_of_two(2 * pa_top_k);
	unsigned int i;
	int cpu;

	mutex_init(&pn->lock);
	pn->cfg = pa_default_cfg;
	for (i = 0; i < PA_STRIPES; i++) {
		spin_lock_init(&pn->src_lock[i]);
		spin_lock_init(&pn->dst_lock[i]);
		spin_lock_init(&pn->pending_lock[i]);
	}
	get_random_bytes(&pn->key, sizeof(pn->key));
	pn->ev_stamp = jiffies;
	pn->stats = alloc_percpu_gfp(struct pa_stats, GFP_KERNEL_ACCOUNT);
	pn->cpu = alloc_percpu_gfp(struct pa_cpu, GFP_KERNEL_ACCOUNT);
	pn->src = kvcalloc(pa_src_buckets * PA_WAYS, sizeof(*pn->src),
			   GFP_KERNEL_ACCOUNT);
	pn->dst = kvcalloc(pa_dst_buckets * PA_WAYS, sizeof(*pn->dst),
			   GFP_KERNEL_ACCOUNT);
	pn->pending = kvcalloc(pa_pending_buckets * PA_WAYS,
			       sizeof(*pn->pending), GFP_KERNEL_ACCOUNT);
	if (!pn->stats || !pn->cpu || !pn->src || !pn->dst || !pn->pending)
		goto nomem;
	for_each_possible_cpu(cpu) {
		struct pa_cpu *pc = per_cpu_ptr(pn->cpu, cpu);

		spin_lock_init(&pc->lock);
		pc->top.k = pa_top_k;
		pc->top.mask = slots - 1;
		pc->top.t = kvcalloc(pa_top_k, sizeof(*pc->top.t),
				     GFP_KERNEL_ACCOUNT);
		pc->top.index = kvcalloc(slots, sizeof(*pc->top.index),
					 GFP_KERNEL_ACCOUNT);
		if (!pc->top.t || !pc->top.index)
			goto nomem;
		pa_top_reset(&pc->top);
	}
	pn->memory = (u64)pa_src_buckets * PA_WAYS * sizeof(*pn->src) +
		     (u64)pa_dst_buckets * PA_WAYS * sizeof(*pn->dst) +
		     (u64)pa_pending_buckets * PA_WAYS * sizeof(*pn->pending) +
		     (u64)num_possible_cpus() *
		     (pa_top_k * sizeof(struct pa_talker) +
		      slots * sizeof(u16));
	return 0;
nomem:
	pa_free_net(pn);
	return -ENOMEM;
}

static void pa_exit_net(struct net *net, void *priv)
{
	pa_free_net(priv);
}

/* .nr_hooks is set at load: two, or four with local_out. */
static struct arc_net_ops pa_net_ops = {
	.hooks = pa_hooks,
	.init = pa_init_net,
	.exit = pa_exit_net,
};

DEFINE_ARC_NET(pa, &pa_net_ops, sizeof(struct pa_net));

static int __init pa_init(void)
{
	int err;

	err = arc_core_api_check() ?: arc_net_api_check();
	if (err)
		return err;
	pa_src_buckets = roundup_pow_of_two(max_sources) / PA_WAYS;
	pa_dst_buckets = roundup_pow_of_two(max_destinations) / PA_WAYS;
	pa_pending_buckets = roundup_pow_of_two(max_handshakes) / PA_WAYS;
	/* PRE_ROUTING for both families, then LOCAL_OUT for both. */
	pa_net_ops.nr_hooks = pa_local_out ? 4 : 2;
	err = arc_net_register(&pa_arc_net);
	if (err)
		return err;
	err = pa_netlink_init();
	if (err) {
		arc_net_unregister(&pa_arc_net);
		return err;
	}
	arc_info("loaded: %u sources, %u destinations, %u handshakes, %u top talkers per CPU per namespace%s\n",
		 pa_src_buckets * PA_WAYS, pa_dst_buckets * PA_WAYS,
		 pa_pending_buckets * PA_WAYS, pa_top_k,
		 pa_local_out ? ", counting LOCAL_OUT too" : "");
	return 0;
}

static void __exit pa_exit(void)
{
	pa_netlink_exit();
	arc_net_unregister(&pa_arc_net);
	arc_info("unloaded\n");
}

module_init(pa_init);
module_exit(pa_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc example: netfilter packet analyzer (generic netlink family arcpkt)");
MODULE_VERSION(ARC_RELEASE);
MODULE_ALIAS_GENL_FAMILY(ARCPKT_GENL_NAME);
ARC_IMPORT_NS(ARC_CORE);
ARC_IMPORT_NS(ARC_NET);
