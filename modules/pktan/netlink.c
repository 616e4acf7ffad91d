// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane: generic netlink family "arcpkt" (documented in
 * include/uapi/arc/pktan.h). Every command acts on the sender's network
 * namespace; detections go to the "events" group of the namespace where
 * the packets came.
 */
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "pktan.h"

static struct genl_family pa_family;

static const struct nla_policy pa_cfg_policy[ARCPKT_CFG_MAX + 1] = {
	/* Ranges are checked in pa_nl_set_config(): EINVAL, not ERANGE. */
	[ARCPKT_CFG_SYN_THRESHOLD] = { .type = NLA_U32 },
	[ARCPKT_CFG_SYN_WINDOW_MS] = { .type = NLA_U32 },
	[ARCPKT_CFG_SCAN_THRESHOLD] = { .type = NLA_U32 },
	[ARCPKT_CFG_SCAN_WINDOW_MS] = { .type = NLA_U32 },
	[ARCPKT_CFG_DNS] = { .type = NLA_U8 },
	[ARCPKT_CFG_EVENT_RATE] = { .type = NLA_U32 },
	[ARCPKT_CFG_DETECT] = { .type = NLA_U8 },
};

static const struct nla_policy pa_policy[ARCPKT_A_MAX + 1] = {
	[ARCPKT_A_STATS] = { .type = NLA_REJECT },
	[ARCPKT_A_CONFIG] = NLA_POLICY_NESTED(pa_cfg_policy),
	[ARCPKT_A_TALKER] = { .type = NLA_REJECT },
	[ARCPKT_A_EVENT] = { .type = NLA_REJECT },
	[ARCPKT_A_PAD] = { .type = NLA_REJECT },
};

static const struct genl_multicast_group pa_mcgrps[] = {
	{ .name = ARCPKT_MCGRP_EVENTS },
};

static u8 pa_af(u8 family)
{
	return family == ARC_PKT_IPV4 ? AF_INET : AF_INET6;
}

static int pa_put_row(struct sk_buff *msg, int type, int hook, int family,
		      u8 kind, u64 packets, const u64 *bytes)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    (hook >= 0 && nla_put_u8(msg, ARCPKT_C_HOOK, hook)) ||
	    (family >= 0 && nla_put_u8(msg, ARCPKT_C_FAMILY, family)) ||
	    nla_put_u8(msg, ARCPKT_C_KIND, kind) ||
	    nla_put_u64_64bit(msg, ARCPKT_C_PACKETS, packets, ARCPKT_C_PAD) ||
	    (bytes && nla_put_u64_64bit(msg, ARCPKT_C_BYTES, *bytes,
					ARCPKT_C_PAD))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int pa_put_stats(struct sk_buff *msg, const struct pa_net *pn,
			const struct pa_stats *s)
{
	struct nlattr *nest = nla_nest_start(msg, ARCPKT_A_STATS);
	unsigned int h, f, k;

	if (!nest)
		return -EMSGSIZE;
	for (h = 0; h < ARCPKT_NR_HOOKS; h++) {
		if (h == ARCPKT_HOOK_LOCAL_OUT && !pa_local_out)
			break;
		for (f = 0; f < 2; f++)
			for (k = 0; k < ARCPKT_NR_PROTOS; k++)
				if (pa_put_row(msg, ARCPKT_S_COUNTER, h,
					       f ? AF_INET6 : AF_INET, k,
					       s->packets[h][f][k],
					       &s->bytes[h][f][k]))
					return -EMSGSIZE;
	}
	for (k = 0; k < ARCPKT_NR_MALFORMED; k++)
		if (pa_put_row(msg, ARCPKT_S_MALFORMED, -1, -1, k,
			       s->malformed[k], NULL))
			return -EMSGSIZE;
	for (k = 0; k < ARCPKT_NR_DETECT; k++)
		if (pa_put_row(msg, ARCPKT_S_DETECTIONS, -1, -1, k,
			       s->detections[k], NULL))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, ARCPKT_S_EVENTS_SUPPRESSED, s->suppressed,
			      ARCPKT_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCPKT_S_EVICTIONS, s->evictions,
			      ARCPKT_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCPKT_S_MEMORY, pn->memory, ARCPKT_S_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int pa_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct pa_net *pn = pa_net(genl_info_net(info));
	struct pa_stats *s;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!s || !msg) {
		err = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &pa_family, 0, ARCPKT_CMD_GET_STATS);
	if (!hdr)
		goto out;
	mutex_lock(&pn->lock);
	pa_stats_read(pn, s);
	mutex_unlock(&pn->lock);
	if (pa_put_stats(msg, pn, s))
		goto out;
	genlmsg_end(msg, hdr);
	kfree(s);
	return genlmsg_reply(msg, info);
out:
	kfree(s);
	nlmsg_free(msg);
	return err;
}

static int pa_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct pa_net *pn = pa_net(genl_info_net(info));

	mutex_lock(&pn->lock);
	pa_reset(pn);
	mutex_unlock(&pn->lock);
	return 0;
}

static int pa_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct pa_net *pn = pa_net(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	struct pa_config c;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pa_family, 0,
				ARCPKT_CMD_GET_CONFIG);
	if (!hdr)
		goto nospace;
	mutex_lock(&pn->lock);
	c = pn->cfg;
	mutex_unlock(&pn->lock);
	nest = nla_nest_start(msg, ARCPKT_A_CONFIG);
	if (!nest ||
	    nla_put_u32(msg, ARCPKT_CFG_SYN_THRESHOLD, c.syn_threshold) ||
	    nla_put_u32(msg, ARCPKT_CFG_SYN_WINDOW_MS, c.syn_window_ms) ||
	    nla_put_u32(msg, ARCPKT_CFG_SCAN_THRESHOLD, c.scan_threshold) ||
	    nla_put_u32(msg, ARCPKT_CFG_SCAN_WINDOW_MS, c.scan_window_ms) ||
	    nla_put_u8(msg, ARCPKT_CFG_DNS, c.dns) ||
	    nla_put_u32(msg, ARCPKT_CFG_EVENT_RATE, c.event_rate) ||
	    nla_put_u8(msg, ARCPKT_CFG_DETECT, c.detect))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * A u32 setting in [min, max] into @v, or EINVAL and an extack message
 * (NL_SET_ERR_MSG_ATTR() takes string literals only: hence a macro).
 */
#define PA_NL_U32(a, min, max, v, msg, info)				\
({									\
	struct nlattr *__a = (a);					\
	int __err = 0;							\
									\
	if (__a && (nla_get_u32(__a) < (min) ||				\
		    nla_get_u32(__a) > (max))) {			\
		NL_SET_ERR_MSG_ATTR((info)->extack, __a, msg);		\
		__err = -EINVAL;					\
	} else if (__a) {						\
		*(v) = nla_get_u32(__a);				\
	}								\
	__err;								\
})

static int pa_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct pa_net *pn = pa_net(genl_info_net(info));
	struct nlattr *tb[ARCPKT_CFG_MAX + 1];
	struct pa_config c;
	int err;

	if (!info->attrs[ARCPKT_A_CONFIG]) {
		GENL_SET_ERR_MSG(info, "ARCPKT_A_CONFIG missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ARCPKT_CFG_MAX, info->attrs[ARCPKT_A_CONFIG],
			       pa_cfg_policy, info->extack);
	if (err)
		return err;
	mutex_lock(&pn->lock);
	c = pn->cfg;
	err = PA_NL_U32(tb[ARCPKT_CFG_SYN_THRESHOLD], 1,
			ARCPKT_SYN_THRESHOLD_MAX, &c.syn_threshold,
			"syn threshold must be 1 to 1000000", info) ?:
	      PA_NL_U32(tb[ARCPKT_CFG_SYN_WINDOW_MS], ARCPKT_WINDOW_MS_MIN,
			ARCPKT_WINDOW_MS_MAX, &c.syn_window_ms,
			"syn window must be 100 to 3600000 ms", info) ?:
	      PA_NL_U32(tb[ARCPKT_CFG_SCAN_THRESHOLD], 2,
			ARCPKT_SCAN_THRESHOLD_MAX, &c.scan_threshold,
			"scan threshold must be 2 to 64 ports", info) ?:
	      PA_NL_U32(tb[ARCPKT_CFG_SCAN_WINDOW_MS], ARCPKT_WINDOW_MS_MIN,
			ARCPKT_WINDOW_MS_MAX, &c.scan_window_ms,
			"scan window must be 100 to 3600000 ms", info) ?:
	      PA_NL_U32(tb[ARCPKT_CFG_EVENT_RATE], 1, ARCPKT_EVENT_RATE_MAX,
			&c.event_rate, "event rate must be 1 to 10000 a second",
			info);
	if (!err && tb[ARCPKT_CFG_DNS]) {
		if (nla_get_u8(tb[ARCPKT_CFG_DNS]) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ARCPKT_CFG_DNS],
					    "dns must be 0 or 1");
			err = -EINVAL;
		} else {
			c.dns = nla_get_u8(tb[ARCPKT_CFG_DNS]);
		}
	}
	if (!err && tb[ARCPKT_CFG_DETECT]) {
		if (nla_get_u8(tb[ARCPKT_CFG_DETECT]) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ARCPKT_CFG_DETECT],
					    "detect must be 0 or 1");
			err = -EINVAL;
		} else {
			c.detect = nla_get_u8(tb[ARCPKT_CFG_DETECT]);
		}
	}
	if (!err) {
		WRITE_ONCE(pn->cfg.syn_threshold, c.syn_threshold);
		WRITE_ONCE(pn->cfg.syn_window_ms, c.syn_window_ms);
		WRITE_ONCE(pn->cfg.scan_threshold, c.scan_threshold);
		WRITE_ONCE(pn->cfg.scan_window_ms, c.scan_window_ms);
		WRITE_ONCE(pn->cfg.event_rate, c.event_rate);
		WRITE_ONCE(pn->cfg.dns, c.dns);
		WRITE_ONCE(pn->cfg.detect, c.detect);
	}
	mutex_unlock(&pn->lock);
	return err;
}

/*
 * GET_TOP: every CPU's summary merged once, at the start of the dump.
 * A source absent from a full CPU's summary may have had up to that CPU's
 * smallest count there: it is added to its count and to its error, so
 * that the count stays an upper bound and count - error a lower one.
 */
struct pa_top_dump {
	unsigned int n;
	unsigned int pos;
	struct pa_talker t[];
};

static int pa_talker_cmp_key(const void *a, const void *b)
{
	const struct pa_talker *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int pa_talker_cmp_packets(const void *a, const void *b)
{
	const struct pa_talker *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return pa_talker_cmp_key(a, b);
}

static int pa_nl_top_start(struct netlink_callback *cb)
{
	struct pa_net *pn = pa_net(sock_net(cb->skb->sk));
	unsigned int n = 0, i, j, ncpu = num_possible_cpus();
	struct pa_top_dump *d;
	u64 *mins, allmin = 0;
	u16 *cpu_of;
	int cpu, c = 0;

	d = kvmalloc(struct_size(d, t, (size_t)ncpu * pa_top_k),
		     GFP_KERNEL_ACCOUNT);
	mins = kcalloc(ncpu, sizeof(*mins), GFP_KERNEL);
	cpu_of = kvcalloc((size_t)ncpu * pa_top_k, sizeof(*cpu_of),
			  GFP_KERNEL);
	if (!d || !mins || !cpu_of) {
		kvfree(d);
		kfree(mins);
		kvfree(cpu_of);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct pa_cpu *pc = per_cpu_ptr(pn->cpu, cpu);

		spin_lock_bh(&pc->lock);
		for (i = 0; i < pc->top.n; i++) {
			d->t[n] = pc->top.t[i];
			cpu_of[n++] = c;
			if (pc->top.n == pc->top.k &&
			    (i == 0 || pc->top.t[i].packets < mins[c]))
				mins[c] = pc->top.t[i].packets;
		}
		spin_unlock_bh(&pc->lock);
		allmin += mins[c++];
	}
	/* The CPU of each entry rides in its hash, unused from here on. */
	for (i = 0; i < n; i++)
		d->t[i].hash = cpu_of[i];
	kvfree(cpu_of);
	sort(d->t, n, sizeof(d->t[0]), pa_talker_cmp_key, NULL);
	for (i = 0, j = 0; i < n; j++) {
		struct pa_talker m = d->t[i];
		u64 absent = allmin - mins[m.hash];

		for (i++; i < n && !pa_talker_cmp_key(&d->t[i], &m); i++) {
			m.packets += d->t[i].packets;
			m.bytes += d->t[i].bytes;
			m.err += d->t[i].err;
			absent -= mins[d->t[i].hash];
		}
		m.packets += absent;
		m.err += absent;
		d->t[j] = m;
	}
	kfree(mins);
	d->n = j;
	d->pos = 0;
	sort(d->t, d->n, sizeof(d->t[0]), pa_talker_cmp_packets, NULL);
	cb->args[0] = (long)d;
	return 0;
}

static int pa_nl_top_done(struct netlink_callback *cb)
{
	kvfree((struct pa_top_dump *)cb->args[0]);
	return 0;
}

static int pa_nl_top(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pa_top_dump *d = (struct pa_top_dump *)cb->args[0];
	struct nlattr *nest;
	void *hdr;

	for (; d->pos < d->n; d->pos++) {
		const struct pa_talker *t = &d->t[d->pos];

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pa_family, NLM_F_MULTI,
				  ARCPKT_CMD_GET_TOP);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, ARCPKT_A_TALKER);
		if (!nest ||
		    nla_put_u8(skb, ARCPKT_T_FAMILY, pa_af(t->family)) ||
		    nla_put(skb, ARCPKT_T_ADDR, arc_pkt_addr_len(t->family),
			    t->addr) ||
		    nla_put_u64_64bit(skb, ARCPKT_T_PACKETS, t->packets,
				      ARCPKT_T_PAD) ||
		    nla_put_u64_64bit(skb, ARCPKT_T_BYTES, t->bytes,
				      ARCPKT_T_PAD) ||
		    nla_put_u64_64bit(skb, ARCPKT_T_ERROR, t->err,
				      ARCPKT_T_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	return skb->len;
}

/**
 * pa_notify() - send a detection to the namespace's "events" listeners
 * @net: the namespace the packet was in
 * @ev: the detection
 *
 * Called from the packet path: nothing is built when nobody listens.
 */
void pa_notify(struct net *net, const struct pa_event *ev)
{
	unsigned int alen = arc_pkt_addr_len(ev->family);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&pa_family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &pa_family, 0, ARCPKT_CMD_EVENT);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, ARCPKT_A_EVENT);
	if (!nest ||
	    nla_put_u8(msg, ARCPKT_EV_TYPE, ev->type) ||
	    nla_put_u8(msg, ARCPKT_EV_FAMILY, pa_af(ev->family)) ||
	    nla_put(msg, ARCPKT_EV_SADDR, alen, ev->saddr) ||
	    nla_put(msg, ARCPKT_EV_DADDR, alen, ev->daddr) ||
	    nla_put_u16(msg, ARCPKT_EV_DPORT, ev->dport))
		goto nospace;
	switch (ev->type) {
	case ARCPKT_DETECT_SYN_FLOOD:
		if (nla_put_u32(msg, ARCPKT_EV_COUNT, ev->count))
			goto nospace;
		break;
	case ARCPKT_DETECT_PORT_SCAN:
		if (nla_put_u32(msg, ARCPKT_EV_COUNT, ev->count) ||
		    nla_put_u8(msg, ARCPKT_EV_PROBES, ev->probes))
			goto nospace;
		break;
	case ARCPKT_DETECT_DNS_QUERY:
		if (nla_put_string(msg, ARCPKT_EV_QNAME, ev->qname) ||
		    nla_put_u16(msg, ARCPKT_EV_QTYPE, ev->qtype) ||
		    nla_put_u8(msg, ARCPKT_EV_PROTO, ev->proto))
			goto nospace;
		break;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&pa_family, net, msg, 0, 0, GFP_ATOMIC);
	return;
nospace:
	nlmsg_free(msg);
}

static const struct genl_ops pa_ops[] = {
	{
		.cmd = ARCPKT_CMD_GET_STATS,
		.doit = pa_nl_get_stats,
	},
	{
		.cmd = ARCPKT_CMD_RESET,
		.doit = pa_nl_reset,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCPKT_CMD_GET_CONFIG,
		.doit = pa_nl_get_config,
	},
	{
		.cmd = ARCPKT_CMD_SET_CONFIG,
		.doit = pa_nl_set_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCPKT_CMD_GET_TOP,
		.start = pa_nl_top_start,
		.dumpit = pa_nl_top,
		.done = pa_nl_top_done,
	},
};

static struct genl_family pa_family __ro_after_init = {
	.name = ARCPKT_GENL_NAME,
	.version = ARCPKT_GENL_VERSION,
	.maxattr = ARCPKT_A_MAX,
	.policy = pa_policy,
	.netnsok = true,
	/* Commands serialise on their namespace's mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = pa_ops,
	.n_ops = ARRAY_SIZE(pa_ops),
	.mcgrps = pa_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pa_mcgrps),
};

int pa_netlink_init(void)
{
	int err = arc_genl_register_family(&pa_family);

	if (err)
		arc_err("cannot register generic netlink family %s: %d\n",
			ARCPKT_GENL_NAME, err);
	return err;
}

void pa_netlink_exit(void)
{
	genl_unregister_family(&pa_family);
}
