/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_NET: netfilter hooks in every network namespace, packet views of
 * sk_buffs, and generic netlink family registration.
 *
 * The trap this avoids: nf_register_net_hook(&init_net, ...) only ever
 * sees the initial namespace. An arc_net registers its hooks (and keeps
 * per-namespace private state) in every namespace, present and future,
 * through pernet operations. Import with ARC_IMPORT_NS(ARC_NET).
 */
#ifndef _ARC_NET_H
#define _ARC_NET_H

#include <arc/arc.h>
#include <arc/pkt.h>
#include <arc/pkt_parse.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

/**
 * struct arc_net_ops - what a netfilter module runs in each namespace
 * @hooks: netfilter hooks registered in every namespace; arc registers a
 *	copy in each, whose &nf_hook_ops.priv is that namespace's state
 *	(what arc_net_priv() returns), so that a hook finds its state in
 *	its first argument without a net_generic() lookup per packet.
 *	Their own .priv is not used.
 * @nr_hooks: entries in @hooks
 * @init: set up that state in a new namespace, before the hooks are
 *	registered there; may be NULL
 * @exit: tear it down, after the hooks are gone; may be NULL
 */
struct arc_net_ops {
	const struct nf_hook_ops *hooks;
	unsigned int nr_hooks;
	int (*init)(struct net *net, void *priv);
	void (*exit)(struct net *net, void *priv);
};

/**
 * struct arc_net - one module's presence in every network namespace
 * @pernet: the pernet operations arc registers, filled in statically
 *	(newer kernels make .id and .size const), as DEFINE_ARC_NET() does:
 *	.init, .pre_exit and .exit are the module's own trampolines calling
 *	arc_net_init_net(), arc_net_pre_exit_net() and arc_net_exit_net()
 *	(pernet callbacks carry no context pointer), .id is &this.id and
 *	.size ARC_NET_SIZE() of the module's per-namespace state
 * @ops: what to run per namespace
 * @id: net_generic() slot of the per-namespace state
 */
struct arc_net {
	struct pernet_operations pernet;
	const struct arc_net_ops *ops;
	unsigned int id;
};

/**
 * ARC_NET_SIZE() - bytes of per-namespace state arc allocates
 * @state_size: the module's own state (arc_net_priv()), zeroed
 *
 * The module's state, then a pointer to the namespace's hook copies, in
 * the last bytes.
 */
#define ARC_NET_SIZE(state_size)					\
	(ALIGN((state_size), sizeof(void *)) + sizeof(void *))

/**
 * arc_net_register() - run @an in every current and future namespace
 * @an: static storage filled in as DEFINE_ARC_NET() does
 *
 * Return: 0, -EINVAL if @an is incomplete, or another negative errno; on
 * failure no namespace has the hooks.
 */
int arc_net_register(struct arc_net *an);

/**
 * arc_net_unregister() - remove @an's hooks and state from every namespace
 * @an: registered with arc_net_register()
 *
 * Waits for packets in flight through the hooks.
 */
void arc_net_unregister(struct arc_net *an);

/**
 * arc_net_init_net() - pernet .init body: state, then hooks, in @net
 * @an: the arc_net whose trampoline this is
 * @net: the new namespace
 *
 * Return: 0 or a negative errno (nothing stays set up in @net).
 */
int arc_net_init_net(struct arc_net *an, struct net *net);

/**
 * arc_net_pre_exit_net() - pernet .pre_exit body: unhook @net
 * @an: the arc_net whose trampoline this is
 * @net: the namespace going away, or every namespace at unregister
 *
 * Packets may still be inside a hook when this returns: the namespace
 * core waits for an RCU grace period between every .pre_exit and the
 * .exit calls, and only then may the state the hooks read be freed.
 */
void arc_net_pre_exit_net(struct arc_net *an, struct net *net);

/**
 * arc_net_exit_net() - pernet .exit body: free @an's state in @net
 * @an: the arc_net whose trampoline this is
 * @net: the namespace going away; its hooks were removed a grace period
 *	ago by arc_net_pre_exit_net(), so no packet can still see the state
 */
void arc_net_exit_net(struct arc_net *an, struct net *net);

/**
 * DEFINE_ARC_NET() - define a module's &struct arc_net, trampolines included
 * @prefix: the module's prefix: the arc_net is @prefix##_arc_net, with
 *	external linkage
 * @net_ops: a pointer to the module's &struct arc_net_ops
 * @state_size: bytes of zeroed per-namespace state (arc_net_priv())
 *
 * Pernet callbacks carry no context pointer: each module needs its own
 * three, calling arc_net_init_net(), arc_net_pre_exit_net() and
 * arc_net_exit_net() on its arc_net. This writes them, as
 * @prefix##_arc_net_init(), @prefix##_arc_net_pre_exit() and
 * @prefix##_arc_net_exit(), and the arc_net that names them, ready for
 * arc_net_register().
 */
#define DEFINE_ARC_NET(prefix, net_ops, state_size)			\
extern struct arc_net prefix##_arc_net;					\
static int __net_init prefix##_arc_net_init(struct net *net)		\
{									\
	return arc_net_init_net(&prefix##_arc_net, net);		\
}									\
static void __net_exit prefix##_arc_net_pre_exit(struct net *net)	\
{									\
	arc_net_pre_exit_net(&prefix##_arc_net, net);			\
}									\
static void __net_exit prefix##_arc_net_exit(struct net *net)		\
{									\
	arc_net_exit_net(&prefix##_arc_net, net);			\
}									\
struct arc_net prefix##_arc_net = {					\
	.pernet = {							\
		.init = prefix##_arc_net_init,				\
		.pre_exit = prefix##_arc_net_pre_exit,			\
		.exit = prefix##_arc_net_exit,				\
		.id = &prefix##_arc_net.id,				\
		.size = ARC_NET_SIZE(state_size),			\
	},								\
	.ops = (net_ops),						\
}

/**
 * arc_net_priv() - @an's per-namespace state in @net
 * @an: a registered arc_net
 * @net: a namespace
 *
 * A hook has it already, as its priv argument.
 *
 * Return: the per-namespace state of @net (the state_size bytes given to
 * DEFINE_ARC_NET()).
 */
static inline void *arc_net_priv(const struct arc_net *an,
				 const struct net *net)
{
	return net_generic(net, an->id);
}

/**
 * arc_pkt_skb_read() - the &arc_pkt_read_t of a netfilter hook's packet
 * @ctx: the sk_buff (const struct sk_buff *), its network header set
 * @offset: where to read, from the network header
 * @len: how many bytes
 * @buf: room for @len bytes, used when they are not linear in the skb
 *
 * What arc_pkt_from_skb() reads with, for a module that reads on past the
 * headers arc parsed (a payload, TCP options): skb_header_pointer(), safe
 * on non-linear and truncated skbs.
 *
 * Return: a pointer to the @len bytes, or NULL if the packet is shorter.
 */
static __always_inline void *arc_pkt_skb_read(const void *ctx, u32 offset,
					      u32 len, void *buf)
{
	const struct sk_buff *skb = ctx;

	if (offset > skb->len || len > skb->len)
		return NULL;
	return skb_header_pointer(skb, skb_network_offset(skb) + offset, len,
				  buf);
}

/**
 * struct arc_pkt_skb - a hook's packet as __arc_pkt_from_skb() reads it
 * @skb: the packet
 * @head: its network header
 * @linear: bytes from @head on that are in @skb's linear data
 */
struct arc_pkt_skb {
	const struct sk_buff *skb;
	const u8 *head;
	u32 linear;
};

/*
 * The &arc_pkt_read_t of struct arc_pkt_skb: bytes in the linear data
 * (the common case: the headers usually are) straight from there, the
 * rest through arc_pkt_skb_read().
 */
static __always_inline void *arc_pkt_skb_view_read(const void *ctx,
						   u32 offset, u32 len,
						   void *buf)
{
	const struct arc_pkt_skb *v = ctx;

	if (likely(len <= v->linear && offset <= v->linear - len))
		return (void *)(v->head + offset);
	return arc_pkt_skb_read(v->skb, offset, len, buf);
}

/**
 * __arc_pkt_from_skb() - arc_pkt_from_skb(), compiled into the caller
 * @pkt: filled in
 * @skb: a packet whose network header is set (any netfilter IP hook)
 * @l4: true: as arc_pkt_from_skb(); false: as arc_pkt_addrs_from_skb()
 *
 * For a hook that parses every packet it sees: inlined, with the linear
 * part of @skb located once, the parse costs neither a call nor a
 * skb_header_pointer() per header. Elsewhere, call the functions.
 *
 * Return: ARC_PKT_OK or an &enum arc_pkt_error.
 */
static __always_inline int __arc_pkt_from_skb(struct arc_pkt *pkt,
					      const struct sk_buff *skb,
					      bool l4)
{
	int noff = skb_network_offset(skb);
	struct arc_pkt_skb v = {
		.skb = skb,
		.head = skb_network_header(skb),
	};

	if (noff < 0 || noff > skb->len)
		return ARC_PKT_ESHORT;
	if (noff < skb_headlen(skb))
		v.linear = skb_headlen(skb) - noff;
	return __arc_pkt_parse(pkt, arc_pkt_skb_view_read, &v,
			       skb->len - noff, l4);
}

/**
 * arc_pkt_from_skb() - parse the packet of a netfilter hook
 * @pkt: filled in
 * @skb: a packet whose network header is set (any netfilter IP hook)
 *
 * Reads the linear data in place and the rest through
 * skb_header_pointer(): safe on non-linear and truncated skbs.
 *
 * Return: ARC_PKT_OK or an &enum arc_pkt_error.
 */
int arc_pkt_from_skb(struct arc_pkt *pkt, const struct sk_buff *skb);

/**
 * arc_pkt_addrs_from_skb() - parse only the fixed IP header of a hook's packet
 * @pkt: filled in, as arc_pkt_parse_addrs() says
 * @skb: a packet whose network header is set (any netfilter IP hook)
 *
 * The cheap first step for a hook that decides on addresses first: one
 * read of the IP header, no walk to the transport header. Call
 * arc_pkt_from_skb() afterwards when the ports are needed after all.
 *
 * Return: ARC_PKT_OK or an &enum arc_pkt_error.
 */
int arc_pkt_addrs_from_skb(struct arc_pkt *pkt, const struct sk_buff *skb);

/**
 * arc_genl_register_family() - genl_register_family() on any kernel
 * @family: the family; arc fills in fields that newer kernels require
 *	(e.g. the first command number that gets strict validation)
 *
 * Return: 0 or a negative errno.
 */
int arc_genl_register_family(struct genl_family *family);

/**
 * arc_net_api_version() - the ARC_NET API version of the loaded arc_net.ko
 *
 * Return: ARC_API(ARC_NET) as arc_net.ko was built.
 */
u32 arc_net_api_version(void);

/**
 * arc_net_api_check() - check the loaded arc_net.ko against this module
 *
 * Call it from the init function of a module that imports ARC_NET.
 *
 * Return: 0 if this module may use ARC_NET, -EPROTO otherwise.
 */
static inline int arc_net_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_NET",
			     arc_net_api_version(), ARC_API(ARC_NET));
}

#endif /* _ARC_NET_H */
