// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: every IPv4 and IPv6 packet entering a namespace, at
 * PRE_ROUTING before anything else but an analyzer (FW_PRIORITY).
 * Lock-free: it reads the live set and port rule under the RCU read lock
 * netfilter already holds.
 */
#include <linux/in.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "firewall.h"

/*
 * One after the first: before defragmentation, conntrack and every table,
 * but after a packet analyzer at the very first priority (arc_pktan),
 * which is there to see what arrives, dropped or not.
 */
#define FW_PRIORITY	(NF_IP_PRI_FIRST + 1)
#define FW6_PRIORITY	(NF_IP6_PRI_FIRST + 1)
#define CREATE_TRACE_POINTS
#include "trace.h"

static void fw_log(const struct arc_pkt *pkt, const char *why)
{
	if (!fw_log_drops || !net_ratelimit())
		return;
	if (pkt->family == ARC_PKT_IPV4)
		arc_info("drop (%s) from %pI4 proto %u\n", why, pkt->saddr,
			 pkt->proto);
	else
		arc_info("drop (%s) from %pI6c proto %u\n", why, pkt->saddr,
			 pkt->proto);
}

static bool fw_guarded_port(const struct fw_ssh *ssh,
			    const struct arc_pkt *pkt)
{
	unsigned int i;

	if (pkt->proto != IPPROTO_TCP || !(pkt->flags & ARC_PKT_L4))
		return false;
	for (i = 0; i < ssh->nr_ports; i++)
		if (ssh->ports[i] == pkt->dport)
			return true;
	return false;
}

/*
 * The port rule: TCP to a guarded port from a source that is not local.
 * It judges a fragmented datagram by its first fragment, so a fragment
 * that could hide or rewrite the TCP header from it (a first fragment cut
 * short of its ports, or of IPv6's header chain; TCP at offset 1) is
 * dropped as if it were to a guarded port. See arc_pkt_frag_hides_l4().
 */
static const char *fw_port_rule(const struct fw_ssh *ssh,
				const struct arc_pkt *pkt)
{
	const char *why;
	unsigned int i;

	if (fw_guarded_port(ssh, pkt))
		why = "port rule";
	else if (arc_pkt_frag_hides_l4(pkt))
		why = "port rule, fragment";
	else
		return NULL;
	for (i = 0; i < ssh->nr_local; i++)
		if (fw_prefix_contains(&ssh->local[i], pkt->family,
				       pkt->saddr))
			return NULL;
	return why;
}

static void fw_count(struct fw_counter __percpu *c, unsigned int len)
{
	this_cpu_inc(c->packets);
	this_cpu_add(c->bytes, len);
}

/* @priv: the namespace's &struct fw_net (ARC_NET's copy of the hooks). */
static unsigned int fw_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct fw_net *fn = priv;
	struct fw_set *set = rcu_dereference(fn->set);
	const struct fw_ssh *ssh = rcu_dereference(fn->ssh);
	bool ports = ssh->enabled;
	struct fw_slot *s;
	/* Either parse writes all of it first: no zeroing here. */
	struct arc_pkt pkt __uninitialized;
	const char *why;
	int err;

	/* A namespace without rules costs no parsing. */
	if (!READ_ONCE(set->count) && !ports)
		return NF_ACCEPT;
	/*
	 * The blocklist needs the source address only: without the port
	 * rule, the IP header is all there is to read. A malformed fixed
	 * header is the IP stack's to count and drop. An IPv6 extension
	 * header chain cut short still has known addresses: the blocklist
	 * applies to it, the port rule cannot (no port).
	 */
	err = __arc_pkt_from_skb(&pkt, skb, ports);
	if (err != ARC_PKT_OK && err != ARC_PKT_EEXTHDR)
		return NF_ACCEPT;

	s = fw_set_lookup(set, pkt.family, pkt.saddr);
	if (s) {
		fw_slot_count(s, skb->len);
		fw_count(fn->blocked, skb->len);
		/* The event and the log name the protocol and port. */
		if (!ports && (trace_arcfw_drop_enabled() || fw_log_drops))
			arc_pkt_from_skb(&pkt, skb);
		trace_arcfw_drop(&pkt, FW_DROP_BLOCKLIST);
		fw_log(&pkt, "blocklist");
		return NF_DROP;
	}
	/* A header chain cut short is judged only if it is a fragment's. */
	why = ports ? fw_port_rule(ssh, &pkt) : NULL;
	if (why) {
		fw_count(fn->ssh_blocked, skb->len);
		trace_arcfw_drop(&pkt, FW_DROP_PORT_RULE);
		fw_log(&pkt, why);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

const struct nf_hook_ops fw_hooks[2] = {
	{
		.hook = fw_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = FW_PRIORITY,
	},
	{
		.hook = fw_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = FW6_PRIORITY,
	},
};
