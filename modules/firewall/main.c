// SPDX-License-Identifier: GPL-2.0
/*
 * arc_firewall: drop packets from blocked IPv4/IPv6 prefixes, and TCP to
 * guarded ports from non-local sources, in every network namespace.
 * Controlled over generic netlink ("arcfw", userspace/arcfw).
 */
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "firewall.h"

#define FW_MAX_PARAM_ENTRIES	256
#define FW_ENTRIES_LIMIT	(16U << 20)

static char *blocklist;
module_param(blocklist, charp, 0444);
MODULE_PARM_DESC(blocklist, "Comma-separated addresses or prefixes blocked in the initial namespace at load, e.g. 192.168.1.100,10.0.0.0/8,2001:db8::/32 (at most 256)");

unsigned int fw_max_entries = 1U << 20;
static int fw_max_entries_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || !v || v > FW_ENTRIES_LIMIT) {
		arc_err("max_entries='%s': must be 1 to %u\n", val,
			FW_ENTRIES_LIMIT);
		return -EINVAL;
	}
	fw_max_entries = v;
	return 0;
}

static const struct kernel_param_ops fw_max_entries_ops = {
	.set = fw_max_entries_set,
	.get = param_get_uint,
};
module_param_cb(max_entries, &fw_max_entries_ops, &fw_max_entries, 0444);
MODULE_PARM_DESC(max_entries, "Most blocklist entries per network namespace, the memory cap: 150 to 250 bytes each, plus 16 per CPU for entries that have dropped packets on several CPUs (default 1048576, at most 16777216); beyond it adding fails with ENOSPC");

bool fw_log_drops;
module_param_named(log_drops, fw_log_drops, bool, 0644);
MODULE_PARM_DESC(log_drops, "Log dropped packets, rate-limited (default off; the arc_firewall:arcfw_drop tracepoint sees every drop)");

static struct fw_prefix *fw_initial;
static unsigned int fw_nr_initial;

/* Parse blocklist= before anything is registered: a bad entry stops the load. */
static int fw_parse_blocklist(void)
{
	char *copy, *cur, *tok;
	int err = 0;

	if (!blocklist || !*blocklist)
		return 0;
	fw_initial = kcalloc(FW_MAX_PARAM_ENTRIES, sizeof(*fw_initial),
			     GFP_KERNEL);
	copy = kstrdup(blocklist, GFP_KERNEL);
	if (!fw_initial || !copy) {
		err = -ENOMEM;
		goto out;
	}
	cur = copy;
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (fw_nr_initial == FW_MAX_PARAM_ENTRIES) {
			arc_err("blocklist: more than %u entries\n",
				FW_MAX_PARAM_ENTRIES);
			err = -EINVAL;
			break;
		}
		if (fw_prefix_parse(tok, &fw_initial[fw_nr_initial])) {
			arc_err("blocklist: '%s' is not an IPv4/IPv6 address or prefix with host bits zero\n",
				tok);
			err = -EINVAL;
			break;
		}
		fw_nr_initial++;
	}
out:
	kfree(copy);
	if (err) {
		kfree(fw_initial);
		fw_initial = NULL;
	}
	return err;
}

static void fw_free_net(struct fw_net *fn)
{
	fw_set_put(rcu_dereference_protected(fn->set, true));
	fw_set_put(fn->staging);
	kfree(rcu_dereference_protected(fn->ssh, true));
	free_percpu(fn->blocked);
	free_percpu(fn->ssh_blocked);
}

static int fw_init_net(struct net *net, void *priv)
{
	struct fw_net *fn = priv;
	struct fw_set *set;
	int err = -ENOMEM;

	mutex_init(&fn->lock);
	set = fw_set_new();
	if (set)
		set->live = true;
	RCU_INIT_POINTER(fn->set, set);
	RCU_INIT_POINTER(fn->ssh, fw_ssh_default());
	/* Charged to the memory cgroup of the namespace's creator. */
	fn->blocked = alloc_percpu_gfp(struct fw_counter, GFP_KERNEL_ACCOUNT);
	fn->ssh_blocked = alloc_percpu_gfp(struct fw_counter,
					   GFP_KERNEL_ACCOUNT);
	if (!set || !rcu_access_pointer(fn->ssh) || !fn->blocked ||
	    !fn->ssh_blocked)
		goto err;
	if (net_eq(net, &init_net) && fw_nr_initial) {
		mutex_lock(&fn->lock);
		err = fw_add_prefixes(fn, set, fw_initial, fw_nr_initial);
		mutex_unlock(&fn->lock);
		if (err) {
			arc_err("cannot add the %u blocklist= entries: %d\n",
				fw_nr_initial, err);
			goto err;
		}
	}
	return 0;
err:
	fw_free_net(fn);
	return err;
}

static void fw_exit_net(struct net *net, void *priv)
{
	fw_free_net(priv);
}

static const struct arc_net_ops fw_net_ops = {
	.hooks = fw_hooks,
	.nr_hooks = ARRAY_SIZE(fw_hooks),
	.init = fw_init_net,
	.exit = fw_exit_net,
};

DEFINE_ARC_NET(fw, &fw_net_ops, sizeof(struct fw_net));

static int __init fw_init(void)
{
	int err;

	err = arc_core_api_check() ?: arc_net_api_check();
	if (err)
		return err;
	err = fw_parse_blocklist();
	if (err)
		return err;
	err = fw_table_init();
	if (err)
		goto err_initial;
	err = arc_net_register(&fw_arc_net);
	if (err)
		goto err_table;
	err = fw_netlink_init();
	if (err)
		goto err_net;
	arc_info("loaded: %u initial entr%s, max_entries %u per namespace\n",
		 fw_nr_initial, fw_nr_initial == 1 ? "y" : "ies",
		 fw_max_entries);
	return 0;

err_net:
	arc_net_unregister(&fw_arc_net);
err_table:
	fw_table_exit();
err_initial:
	kfree(fw_initial);
	return err;
}

static void __exit fw_exit(void)
{
	fw_netlink_exit();
	arc_net_unregister(&fw_arc_net);
	fw_table_exit();
	kfree(fw_initial);
	arc_info("unloaded\n");
}

module_init(fw_init);
module_exit(fw_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc example: netfilter blocklist firewall (generic netlink family arcfw)");
MODULE_VERSION(ARC_RELEASE);
MODULE_ALIAS_GENL_FAMILY(ARCFW_GENL_NAME);
ARC_IMPORT_NS(ARC_CORE);
ARC_IMPORT_NS(ARC_NET);
