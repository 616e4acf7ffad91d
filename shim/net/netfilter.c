// SPDX-License-Identifier: GPL-2.0
/*
 * ARC_NET: netfilter hooks and state in every network namespace
 * (include/arc/net.h).
 */
#include <linux/skbuff.h>
#include <linux/slab.h>

#include <arc/net.h>
#include <compat/net.h>

/* Where @an keeps @net's copy of its hooks: the state's last bytes. */
static struct nf_hook_ops **arc_net_hooks(const struct arc_net *an,
					  const struct net *net)
{
	return (struct nf_hook_ops **)((u8 *)arc_net_priv(an, net) +
				       an->pernet.size - sizeof(void *));
}

/*
 * Each namespace registers its own copy of the hooks, whose .priv is the
 * namespace's state: netfilter passes it to the hook with every packet.
 * The copy is the namespace creator's to pay for, like the state itself.
 */
int arc_net_init_net(struct arc_net *an, struct net *net)
{
	const struct arc_net_ops *ops = an->ops;
	void *priv = arc_net_priv(an, net);
	struct nf_hook_ops *hooks = NULL;
	unsigned int i;
	int err;

	if (ops->nr_hooks) {
		hooks = kmemdup(ops->hooks, ops->nr_hooks * sizeof(*hooks),
				GFP_KERNEL_ACCOUNT);
		if (!hooks)
			return -ENOMEM;
		for (i = 0; i < ops->nr_hooks; i++)
			hooks[i].priv = priv;
	}
	if (ops->init) {
		err = ops->init(net, priv);
		if (err)
			goto free;
	}
	err = nf_register_net_hooks(net, hooks, ops->nr_hooks);
	if (err) {
		arc_err("cannot register %u netfilter hook(s): %d\n",
			ops->nr_hooks, err);
		if (ops->exit)
			ops->exit(net, priv);
		goto free;
	}
	*arc_net_hooks(an, net) = hooks;
	return 0;
free:
	kfree(hooks);
	return err;
}
EXPORT_SYMBOL_ARC(arc_net_init_net, ARC_NET);

void arc_net_pre_exit_net(struct arc_net *an, struct net *net)
{
	nf_unregister_net_hooks(net, *arc_net_hooks(an, net),
				an->ops->nr_hooks);
}
EXPORT_SYMBOL_ARC(arc_net_pre_exit_net, ARC_NET);

/*
 * Unregistering a hook does not wait for packets already inside it; the
 * pernet core's grace period between .pre_exit and .exit does. Netfilter
 * holds no pointer to the hook copies once they are unregistered.
 */
void arc_net_exit_net(struct arc_net *an, struct net *net)
{
	const struct arc_net_ops *ops = an->ops;

	if (ops->exit)
		ops->exit(net, arc_net_priv(an, net));
	kfree(*arc_net_hooks(an, net));
}
EXPORT_SYMBOL_ARC(arc_net_exit_net, ARC_NET);

int arc_net_register(struct arc_net *an)
{
	if (!an->ops || !an->pernet.init || !an->pernet.pre_exit ||
	    !an->pernet.exit ||
	    an->pernet.id != &an->id ||
	    an->pernet.size < sizeof(void *) ||
	    !IS_ALIGNED(an->pernet.size, sizeof(void *)) ||
	    (an->ops->nr_hooks && !an->ops->hooks)) {
		arc_err("%s: incomplete arc_net\n", __func__);
		return -EINVAL;
	}
	return register_pernet_subsys(&an->pernet);
}
EXPORT_SYMBOL_ARC(arc_net_register, ARC_NET);

void arc_net_unregister(struct arc_net *an)
{
	unregister_pernet_subsys(&an->pernet);
}
EXPORT_SYMBOL_ARC(arc_net_unregister, ARC_NET);

int arc_pkt_from_skb(struct arc_pkt *pkt, const struct sk_buff *skb)
{
	return __arc_pkt_from_skb(pkt, skb, true);
}
EXPORT_SYMBOL_ARC(arc_pkt_from_skb, ARC_NET);

int arc_pkt_addrs_from_skb(struct arc_pkt *pkt, const struct sk_buff *skb)
{
	return __arc_pkt_from_skb(pkt, skb, false);
}
EXPORT_SYMBOL_ARC(arc_pkt_addrs_from_skb, ARC_NET);

int arc_genl_register_family(struct genl_family *family)
{
	arc_compat_genl_family_prepare(family);
	return genl_register_family(family);
}
EXPORT_SYMBOL_ARC(arc_genl_register_family, ARC_NET);
