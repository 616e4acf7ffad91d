/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ARC_FIREWALL_H
#define _ARC_FIREWALL_H

#include <linux/mutex.h>
#include <uapi/arc/firewall.h>

#include <arc/net.h>
#include "table.h"

/**
 * struct fw_ssh - the port rule: drop TCP to @ports unless from @local
 * @enabled: the rule applies
 * @nr_ports: entries in @ports
 * @ports: destination ports, host order
 * @nr_local: entries in @local
 * @local: sources the rule lets through
 * @rcu: freed after readers are done
 */
struct fw_ssh {
	bool enabled;
	u8 nr_ports;
	u8 nr_local;
	u16 ports[ARCFW_SSH_MAX_PORTS];
	struct fw_prefix local[ARCFW_SSH_MAX_LOCAL];
	struct rcu_head rcu;
};

/**
 * struct fw_net - the firewall in one network namespace
 * @set: the live blocklist (the packet path reads it under RCU)
 * @ssh: the live port rule
 * @blocked: drops by the blocklist, per CPU
 * @ssh_blocked: drops by the port rule, per CPU
 * @lock: serialises changes to @set, @ssh and @staging; readers of entry
 *	counters hold it too, so that no table rebuild is half done for them
 * @staging: a replacement set being filled, or NULL
 * @staging_portid: netlink port that owns @staging
 * @generation: bumped on every change of the live set (dump consistency)
 * @set_id: bumped each time another set becomes the live set
 */
struct fw_net {
	struct fw_set __rcu *set;
	struct fw_ssh __rcu *ssh;
	struct fw_counter __percpu *blocked;
	struct fw_counter __percpu *ssh_blocked;
	struct mutex lock; /* see above */
	struct fw_set *staging;
	u32 staging_portid;
	unsigned int generation;
	unsigned int set_id;
};

extern struct arc_net fw_arc_net;
extern unsigned int fw_max_entries;
extern bool fw_log_drops;

static inline struct fw_net *fw_net(const struct net *net)
{
	return arc_net_priv(&fw_arc_net, net);
}

/* hook.c */
extern const struct nf_hook_ops fw_hooks[2];

/* netlink.c */
int fw_netlink_init(void);
void fw_netlink_exit(void);
int fw_add_prefixes(struct fw_net *fn, struct fw_set *set,
		    const struct fw_prefix *p, unsigned int n);
struct fw_ssh *fw_ssh_default(void);

#endif /* _ARC_FIREWALL_H */
