// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane: generic netlink family "arcfw" (documented in
 * include/uapi/arc/firewall.h). Every command acts on the sender's
 * network namespace; changes hold that namespace's mutex, so the packet
 * path never waits for them.
 */
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "firewall.h"

static struct genl_family fw_family;

static const struct nla_policy fw_entry_policy[ARCFW_E_MAX + 1] = {
	/* Values are checked in fw_nl_prefix(): bad ones get EINVAL, not ERANGE. */
	[ARCFW_E_FAMILY] = { .type = NLA_U8 },
	[ARCFW_E_ADDR] = { .type = NLA_BINARY },
	[ARCFW_E_PREFIXLEN] = { .type = NLA_U8 },
	[ARCFW_E_PACKETS] = { .type = NLA_REJECT },
	[ARCFW_E_BYTES] = { .type = NLA_REJECT },
	[ARCFW_E_PAD] = { .type = NLA_REJECT },
};

static const struct nla_policy fw_ssh_policy[ARCFW_SSH_MAX + 1] = {
	[ARCFW_SSH_ENABLED] = { .type = NLA_U8 },
	[ARCFW_SSH_PORTS] = { .type = NLA_NESTED },
	[ARCFW_SSH_LOCAL] = NLA_POLICY_NESTED_ARRAY(fw_entry_policy),
	[ARCFW_SSH_PORT] = { .type = NLA_REJECT },
};

static const struct nla_policy fw_policy[ARCFW_A_MAX + 1] = {
	[ARCFW_A_ENTRY] = NLA_POLICY_NESTED(fw_entry_policy),
	[ARCFW_A_STATS] = { .type = NLA_REJECT },
	[ARCFW_A_SSH] = NLA_POLICY_NESTED(fw_ssh_policy),
};

/* Parse one nested prefix; the nest was validated against the policy. */
static int fw_nl_prefix(const struct nlattr *nest, struct fw_prefix *p,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ARCFW_E_MAX + 1];
	unsigned int alen;
	int err;

	err = nla_parse_nested(tb, ARCFW_E_MAX, nest, fw_entry_policy, extack);
	if (err)
		return err;
	if (!tb[ARCFW_E_FAMILY] || !tb[ARCFW_E_ADDR] || !tb[ARCFW_E_PREFIXLEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "entry needs family, address and prefix length");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	switch (nla_get_u8(tb[ARCFW_E_FAMILY])) {
	case AF_INET:
		p->family = ARC_PKT_IPV4;
		break;
	case AF_INET6:
		p->family = ARC_PKT_IPV6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[ARCFW_E_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	alen = arc_pkt_addr_len(p->family);
	if (nla_len(tb[ARCFW_E_ADDR]) != alen) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ARCFW_E_ADDR],
				    "address length does not match the family");
		return -EINVAL;
	}
	memcpy(p->addr, nla_data(tb[ARCFW_E_ADDR]), alen);
	p->plen = nla_get_u8(tb[ARCFW_E_PREFIXLEN]);
	if (p->plen > fw_prefix_max(p->family)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ARCFW_E_PREFIXLEN],
				    "prefix length too long for the family");
		return -EINVAL;
	}
	if (!fw_prefix_valid(p)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ARCFW_E_ADDR],
				    "address has bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

/* Every ARCFW_A_ENTRY of a request, parsed; at least one is required. */
static struct fw_prefix *fw_nl_prefixes(struct genl_info *info,
					unsigned int *n)
{
	const struct nlattr *a;
	struct fw_prefix *p;
	unsigned int i = 0;
	int rem, err;

	*n = 0;
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(a) == ARCFW_A_ENTRY)
			(*n)++;
	if (!*n) {
		GENL_SET_ERR_MSG(info, "no ARCFW_A_ENTRY given");
		return ERR_PTR(-EINVAL);
	}
	p = kvmalloc_array(*n, sizeof(*p), FW_GFP);
	if (!p)
		return ERR_PTR(-ENOMEM);
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != ARCFW_A_ENTRY)
			continue;
		err = fw_nl_prefix(a, &p[i++], info->extack);
		if (err) {
			kvfree(p);
			return ERR_PTR(err);
		}
	}
	return p;
}

static int fw_prefix_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fw_prefix));
}

/*
 * @fresh: in, how many of @p are not in @set; out, the same with each
 * prefix repeated in @p counted once.
 */
static int fw_fresh_distinct(struct fw_set *set, const struct fw_prefix *p,
			     unsigned int n, unsigned int *fresh)
{
	struct fw_prefix *q;
	unsigned int i, k = 0;

	q = kvmalloc_array(*fresh, sizeof(*q), FW_GFP);
	if (!q)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!fw_set_find(set, &p[i]))
			q[k++] = p[i];
	sort(q, k, sizeof(*q), fw_prefix_cmp, NULL);
	*fresh = 0;
	for (i = 0; i < k; i++)
		if (!i || fw_prefix_cmp(&q[i - 1], &q[i]))
			(*fresh)++;
	kvfree(q);
	return 0;
}

/**
 * fw_add_prefixes() - add prefixes to a set, all or nothing
 * @fn: the namespace (its mutex held)
 * @set: the live set or the staging set
 * @p: valid prefixes; ones already in @set, or repeated in @p, are skipped
 * @n: how many
 *
 * Return: 0, -ENOSPC past max_entries, -ENOMEM (nothing added then).
 */
int fw_add_prefixes(struct fw_net *fn, struct fw_set *set,
		    const struct fw_prefix *p, unsigned int n)
{
	unsigned int i, fresh = 0;
	unsigned long *added;
	struct fw_entry *e;
	int err = 0;

	lockdep_assert_held(&fn->lock);
	for (i = 0; i < n; i++)
		if (!fw_set_find(set, &p[i]))
			fresh++;
	/*
	 * A prefix repeated in @p takes one slot (counted once per repeat,
	 * a request with room for it got ENOSPC): count exactly when the
	 * quick count says it does not fit. Nothing is inserted before the
	 * answer is known, so a refused request never drops a packet.
	 */
	if (set->count + fresh > fw_max_entries) {
		err = fw_fresh_distinct(set, p, n, &fresh);
		if (err)
			return err;
	}
	if (set->count + fresh > fw_max_entries || set->count + fresh < fresh)
		return -ENOSPC;
	/* Which entries this call inserted: only those are undone. */
	added = bitmap_zalloc(n, FW_GFP);
	if (!added)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		err = fw_set_insert(set, &p[i]);
		if (!err)
			__set_bit(i, added);
		else if (err != -EEXIST)
			break;
		err = 0;
	}
	if (err) {
		for_each_set_bit(i, added, n) {
			e = fw_set_find(set, &p[i]);
			if (e)
				fw_set_remove(set, e);
		}
	}
	bitmap_free(added);
	return err;
}

static struct fw_set *fw_live(struct fw_net *fn)
{
	return rcu_dereference_protected(fn->set, lockdep_is_held(&fn->lock));
}

/**
 * fw_set_swap() - make @set the live set; the old one goes after a grace
 *	period, without waiting for it here
 * @fn: the namespace (mutex not held)
 * @set: the new set; the namespace takes over its reference
 */
static void fw_set_swap(struct fw_net *fn, struct fw_set *set)
{
	struct fw_set *old;

	mutex_lock(&fn->lock);
	set->live = true;
	old = rcu_replace_pointer(fn->set, set, lockdep_is_held(&fn->lock));
	fn->generation++;
	fn->set_id++;
	mutex_unlock(&fn->lock);
	fw_set_put_rcu(old);
}

static int fw_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	bool staged = info->genlhdr->cmd == ARCFW_CMD_REPLACE_ADD;
	struct fw_prefix *p;
	struct fw_set *set;
	unsigned int n;
	int err;

	p = fw_nl_prefixes(info, &n);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&fn->lock);
	if (staged) {
		set = fn->staging;
		if (!set || fn->staging_portid != info->snd_portid) {
			GENL_SET_ERR_MSG(info, "no replacement begun by this socket");
			err = -ENOENT;
			goto out;
		}
	} else {
		set = fw_live(fn);
	}
	err = fw_add_prefixes(fn, set, p, n);
	if (err == -ENOSPC)
		GENL_SET_ERR_MSG(info, "set full (module parameter max_entries)");
	if (!err && !staged)
		fn->generation++;
out:
	mutex_unlock(&fn->lock);
	kvfree(p);
	return err;
}

static int fw_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	struct fw_prefix *p;
	struct fw_entry *e;
	struct fw_set *set;
	unsigned int i, n;
	int err = 0;

	p = fw_nl_prefixes(info, &n);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&fn->lock);
	set = fw_live(fn);
	for (i = 0; i < n; i++) {
		if (!fw_set_find(set, &p[i])) {
			GENL_SET_ERR_MSG(info, "prefix is not in the blocklist");
			err = -ENOENT;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		e = fw_set_find(set, &p[i]);
		if (e)
			fw_set_remove(set, e);
	}
	fn->generation++;
out:
	mutex_unlock(&fn->lock);
	kvfree(p);
	return err;
}

static int fw_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_set *set = fw_set_new();

	if (!set)
		return -ENOMEM;
	fw_set_swap(fw_net(genl_info_net(info)), set);
	return 0;
}

static int fw_nl_put_prefix(struct sk_buff *msg, int type,
			    const struct fw_prefix *p, const struct fw_slot *s)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	u64 packets, bytes;

	if (!nest ||
	    nla_put_u8(msg, ARCFW_E_FAMILY,
		       p->family == ARC_PKT_IPV4 ? AF_INET : AF_INET6) ||
	    nla_put(msg, ARCFW_E_ADDR, arc_pkt_addr_len(p->family), p->addr) ||
	    nla_put_u8(msg, ARCFW_E_PREFIXLEN, p->plen))
		goto cancel;
	if (s) {
		fw_slot_read(s, &packets, &bytes);
		if (nla_put_u64_64bit(msg, ARCFW_E_PACKETS, packets, ARCFW_E_PAD) ||
		    nla_put_u64_64bit(msg, ARCFW_E_BYTES, bytes, ARCFW_E_PAD))
			goto cancel;
	}
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/*
 * Dump state across calls: where the walk is in the live set, and which
 * live set that is. It holds no reference: a dump that is never read to
 * its end pins nothing but this. (The socket it belongs to keeps the
 * namespace alive.)
 */
struct fw_dump {
	struct fw_net *fn;
	unsigned int set_id;
	struct fw_walk walk;
};

static int fw_nl_list_start(struct netlink_callback *cb)
{
	struct fw_net *fn = fw_net(sock_net(cb->skb->sk));
	struct fw_dump *d = kzalloc(sizeof(*d), FW_GFP);

	if (!d)
		return -ENOMEM;
	/* Counts still on their way from replaced tables arrive first. */
	fw_table_sync();
	d->fn = fn;
	mutex_lock(&fn->lock);
	d->set_id = fn->set_id;
	mutex_unlock(&fn->lock);
	cb->args[0] = (long)d;
	return 0;
}

static int fw_nl_list_done(struct netlink_callback *cb)
{
	kfree((struct fw_dump *)cb->args[0]);
	return 0;
}

static int fw_nl_list(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct fw_dump *d = (struct fw_dump *)cb->args[0];
	struct fw_set *set;
	struct fw_slot *s;
	void *hdr;

	/*
	 * The mutex keeps the table and its counters still while this part
	 * is filled. A change of the live set or a table rebuild since the
	 * dump began marks the dump; a set replaced since (flush, commit)
	 * ends it, marked, the next time it is read.
	 */
	mutex_lock(&d->fn->lock);
	set = fw_live(d->fn);
	if (d->set_id != d->fn->set_id) {
		cb->seq = d->fn->generation * 2 + 1;
		/* No entry of the old set can come any more. */
		if (!cb->prev_seq)
			cb->prev_seq = cb->seq - 1;
		mutex_unlock(&d->fn->lock);
		return 0;
	}
	while ((s = fw_walk_peek(set, &d->walk))) {
		cb->seq = d->fn->generation * 2 + d->walk.restarted;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &fw_family, NLM_F_MULTI,
				  ARCFW_CMD_LIST);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fw_nl_put_prefix(skb, ARCFW_A_ENTRY, &s->key, s)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		d->walk.pos++;
	}
	mutex_unlock(&d->fn->lock);
	return skb->len;
}

static int fw_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	u64 packets, bytes, ssh_packets, ssh_bytes;
	struct nlattr *nest;
	struct sk_buff *msg;
	u64 filter_bytes, table_bytes;
	struct fw_set *set;
	u32 entries;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &fw_family, 0, ARCFW_CMD_GET_STATS);
	if (!hdr)
		goto nospace;
	fw_counter_read(fn->blocked, &packets, &bytes);
	fw_counter_read(fn->ssh_blocked, &ssh_packets, &ssh_bytes);
	rcu_read_lock();
	set = rcu_dereference(fn->set);
	entries = READ_ONCE(set->count);
	filter_bytes = fw_set_filter_bytes(set);
	table_bytes = fw_set_table_bytes(set);
	rcu_read_unlock();
	nest = nla_nest_start(msg, ARCFW_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, ARCFW_S_PACKETS, packets, ARCFW_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCFW_S_BYTES, bytes, ARCFW_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCFW_S_SSH_PACKETS, ssh_packets, ARCFW_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCFW_S_SSH_BYTES, ssh_bytes, ARCFW_S_PAD) ||
	    nla_put_u32(msg, ARCFW_S_ENTRIES, entries) ||
	    nla_put_u32(msg, ARCFW_S_MAX_ENTRIES, fw_max_entries) ||
	    nla_put_u64_64bit(msg, ARCFW_S_FILTER_BYTES, filter_bytes,
			      ARCFW_S_PAD) ||
	    nla_put_u64_64bit(msg, ARCFW_S_TABLE_BYTES, table_bytes,
			      ARCFW_S_PAD))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/**
 * fw_ssh_default() - the port rule a namespace starts with
 *
 * Off; port 22; private and link-local networks are local.
 *
 * Return: a new rule or NULL.
 */
struct fw_ssh *fw_ssh_default(void)
{
	static const char *const local[] = {
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
		"fc00::/7", "fe80::/10",
	};
	struct fw_ssh *ssh = kzalloc(sizeof(*ssh), FW_GFP);
	unsigned int i;

	if (!ssh)
		return NULL;
	ssh->nr_ports = 1;
	ssh->ports[0] = 22;
	for (i = 0; i < ARRAY_SIZE(local); i++)
		if (!fw_prefix_parse(local[i], &ssh->local[ssh->nr_local]))
			ssh->nr_local++;
	return ssh;
}

static int fw_nl_ssh_ports(struct fw_ssh *ssh, const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;
	u16 port;

	ssh->nr_ports = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != ARCFW_SSH_PORT || nla_len(a) != sizeof(u16)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "expected ARCFW_SSH_PORT (u16)");
			return -EINVAL;
		}
		port = nla_get_u16(a);
		if (!port || ssh->nr_ports == ARCFW_SSH_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "port must be 1-65535, at most 16 ports");
			return -EINVAL;
		}
		ssh->ports[ssh->nr_ports++] = port;
	}
	if (!ssh->nr_ports) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "empty port list");
		return -EINVAL;
	}
	return 0;
}

static int fw_nl_ssh_local(struct fw_ssh *ssh, const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, err;

	ssh->nr_local = 0;
	nla_for_each_nested(a, nest, rem) {
		if (ssh->nr_local == ARCFW_SSH_MAX_LOCAL) {
			NL_SET_ERR_MSG_ATTR(extack, a, "at most 32 local prefixes");
			return -EINVAL;
		}
		err = fw_nl_prefix(a, &ssh->local[ssh->nr_local], extack);
		if (err)
			return err;
		ssh->nr_local++;
	}
	return 0;
}

static int fw_nl_set_ssh(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	struct nlattr *tb[ARCFW_SSH_MAX + 1];
	struct fw_ssh *ssh, *old;
	int err;

	if (!info->attrs[ARCFW_A_SSH]) {
		GENL_SET_ERR_MSG(info, "ARCFW_A_SSH missing");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ARCFW_SSH_MAX, info->attrs[ARCFW_A_SSH],
			       fw_ssh_policy, info->extack);
	if (err)
		return err;
	ssh = kzalloc(sizeof(*ssh), FW_GFP);
	if (!ssh)
		return -ENOMEM;
	mutex_lock(&fn->lock);
	old = rcu_dereference_protected(fn->ssh, lockdep_is_held(&fn->lock));
	memcpy(ssh, old, offsetof(struct fw_ssh, rcu));
	err = 0;
	if (tb[ARCFW_SSH_ENABLED]) {
		ssh->enabled = nla_get_u8(tb[ARCFW_SSH_ENABLED]);
		if (nla_get_u8(tb[ARCFW_SSH_ENABLED]) > 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ARCFW_SSH_ENABLED],
					    "enabled must be 0 or 1");
			err = -EINVAL;
		}
	}
	if (!err)
		err = tb[ARCFW_SSH_PORTS] ?
	      fw_nl_ssh_ports(ssh, tb[ARCFW_SSH_PORTS], info->extack) : 0;
	if (!err && tb[ARCFW_SSH_LOCAL])
		err = fw_nl_ssh_local(ssh, tb[ARCFW_SSH_LOCAL], info->extack);
	if (err) {
		mutex_unlock(&fn->lock);
		kfree(ssh);
		return err;
	}
	rcu_assign_pointer(fn->ssh, ssh);
	mutex_unlock(&fn->lock);
	kfree_rcu(old, rcu);
	return 0;
}

static int fw_nl_get_ssh(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	struct nlattr *nest, *list;
	struct sk_buff *msg;
	struct fw_ssh *ssh;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &fw_family, 0, ARCFW_CMD_GET_SSH);
	if (!hdr)
		goto nospace;
	mutex_lock(&fn->lock);
	ssh = rcu_dereference_protected(fn->ssh, lockdep_is_held(&fn->lock));
	nest = nla_nest_start(msg, ARCFW_A_SSH);
	if (!nest || nla_put_u8(msg, ARCFW_SSH_ENABLED, ssh->enabled))
		goto unlock;
	list = nla_nest_start(msg, ARCFW_SSH_PORTS);
	if (!list)
		goto unlock;
	for (i = 0; i < ssh->nr_ports; i++)
		if (nla_put_u16(msg, ARCFW_SSH_PORT, ssh->ports[i]))
			goto unlock;
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, ARCFW_SSH_LOCAL);
	if (!list)
		goto unlock;
	for (i = 0; i < ssh->nr_local; i++)
		if (fw_nl_put_prefix(msg, ARCFW_A_ENTRY, &ssh->local[i], NULL))
			goto unlock;
	nla_nest_end(msg, list);
	mutex_unlock(&fn->lock);
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
unlock:
	mutex_unlock(&fn->lock);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int fw_nl_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct fw_net *fn = fw_net(genl_info_net(info));
	u8 cmd = info->genlhdr->cmd;
	struct fw_set *set = NULL, *drop = NULL;
	int err = 0;

	if (cmd == ARCFW_CMD_REPLACE_BEGIN) {
		set = fw_set_new();
		if (!set)
			return -ENOMEM;
	}
	mutex_lock(&fn->lock);
	if (fn->staging && fn->staging_portid != info->snd_portid) {
		GENL_SET_ERR_MSG(info, "another socket is replacing the set");
		err = -EBUSY;
		goto out;
	}
	switch (cmd) {
	case ARCFW_CMD_REPLACE_BEGIN:
		drop = fn->staging;
		fn->staging = set;
		fn->staging_portid = info->snd_portid;
		set = NULL;
		break;
	case ARCFW_CMD_REPLACE_COMMIT:
	case ARCFW_CMD_REPLACE_ABORT:
		if (!fn->staging) {
			GENL_SET_ERR_MSG(info, "no replacement begun by this socket");
			err = -ENOENT;
			break;
		}
		set = fn->staging;
		fn->staging = NULL;
		if (cmd == ARCFW_CMD_REPLACE_ABORT) {
			drop = set;
			set = NULL;
		}
		break;
	}
out:
	mutex_unlock(&fn->lock);
	/* Never live: no packet has seen it. */
	fw_set_put(drop);
	if (cmd == ARCFW_CMD_REPLACE_BEGIN) {
		fw_set_put(set);
		return err;
	}
	if (set)
		fw_set_swap(fn, set);
	return err;
}

static const struct genl_ops fw_ops[] = {
	{
		.cmd = ARCFW_CMD_ADD,
		.doit = fw_nl_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_DEL,
		.doit = fw_nl_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_FLUSH,
		.doit = fw_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		/* Like `nft list`: the rules are the administrator's. */
		.cmd = ARCFW_CMD_LIST,
		.start = fw_nl_list_start,
		.dumpit = fw_nl_list,
		.done = fw_nl_list_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_GET_STATS,
		.doit = fw_nl_get_stats,
	},
	{
		.cmd = ARCFW_CMD_SET_SSH,
		.doit = fw_nl_set_ssh,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_GET_SSH,
		.doit = fw_nl_get_ssh,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_REPLACE_BEGIN,
		.doit = fw_nl_replace,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_REPLACE_ADD,
		.doit = fw_nl_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_REPLACE_COMMIT,
		.doit = fw_nl_replace,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = ARCFW_CMD_REPLACE_ABORT,
		.doit = fw_nl_replace,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family fw_family __ro_after_init = {
	.name = ARCFW_GENL_NAME,
	.version = ARCFW_GENL_VERSION,
	.maxattr = ARCFW_A_MAX,
	.policy = fw_policy,
	.netnsok = true,
	/*
	 * Commands serialise on their namespace's mutex, not on the genl
	 * mutex that every generic netlink family shares.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = fw_ops,
	.n_ops = ARRAY_SIZE(fw_ops),
};

/* A staging set dies with the socket that began it. */
static int fw_nl_notify(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct netlink_notify *n = ptr;
	struct fw_set *drop = NULL;
	struct fw_net *fn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	fn = fw_net(n->net);
	mutex_lock(&fn->lock);
	if (fn->staging && fn->staging_portid == n->portid) {
		drop = fn->staging;
		fn->staging = NULL;
	}
	mutex_unlock(&fn->lock);
	fw_set_put(drop);
	return NOTIFY_DONE;
}

static struct notifier_block fw_nl_notifier = {
	.notifier_call = fw_nl_notify,
};

int fw_netlink_init(void)
{
	int err = netlink_register_notifier(&fw_nl_notifier);

	if (err)
		return err;
	err = arc_genl_register_family(&fw_family);
	if (err) {
		arc_err("cannot register generic netlink family %s: %d\n",
			ARCFW_GENL_NAME, err);
		netlink_unregister_notifier(&fw_nl_notifier);
	}
	return err;
}

void fw_netlink_exit(void)
{
	genl_unregister_family(&fw_family);
	netlink_unregister_notifier(&fw_nl_notifier);
}
