// SPDX-License-Identifier: GPL-2.0
/*
 * arc_nfbench: time the netfilter PRE_ROUTING hooks of one network
 * namespace over prebuilt packets. Used only by `make bench BENCH=fw`
 * (scripts/bench/fw.py), loaded in the benchmark guest, never installed.
 *
 * pps through the stack measures mostly the packet generator: here each
 * filter's cost is about 1% of a packet's CPU time. This module leaves
 * only netfilter: it builds a few UDP packets once, then calls nf_hook()
 * over them again and again, giving each call a new random source (a
 * xorshift step: the same cost for every filter), and reads the clock
 * once per run. Every filter (nftables, iptables, arc_firewall) runs
 * under the same nf_hook_slow() as for a real packet.
 *
 * A process in the namespace to measure writes "FAMILY SPAN CALLS" to
 * /sys/kernel/debug/arc_nfbench/run (FAMILY 4 or 6; sources are
 * 10.0.0.0 + [0, SPAN) or 2001:db8:: + [0, SPAN), as in fw.py) and reads
 * back "NS_PER_CALL DROPPED CALLS".
 *
 * Writing 1 to /sys/kernel/debug/arc_nfbench/noop registers, in the
 * writer's namespace, a PRE_ROUTING hook for IPv4 and IPv6 that accepts
 * at once (0 removes it): the least any netfilter hook can cost, the
 * floor under a module's hook in the benchmarks.
 */
#include <linux/debugfs.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/net_namespace.h>

#define NFB_PKTS	64
#define NFB_PAYLOAD	18	/* UDP payload: 64-byte frames, as pktgen's */
#define NFB_BATCH	256
#define NFB_MAX_CALLS	100000000U

static DEFINE_MUTEX(nfb_lock);
static char nfb_result[64];
static struct dentry *nfb_dir;

static int nfb_okfn(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	return 0;
}

static struct sk_buff *nfb_packet(struct net_device *dev, int family)
{
	unsigned int nlen = family == 4 ? sizeof(struct iphdr) :
					  sizeof(struct ipv6hdr);
	unsigned int ulen = sizeof(struct udphdr) + NFB_PAYLOAD;
	struct sk_buff *skb;
	struct udphdr *uh;

	skb = alloc_skb(LL_MAX_HEADER + nlen + ulen, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	if (family == 4) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = IPPROTO_UDP;
		iph->tot_len = htons(nlen + ulen);
		iph->daddr = htonl(0xcb007101);	/* 203.0.113.1 */
		/* No checksum: every call rewrites the source, and no hook checks it. */
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->hop_limit = 64;
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->payload_len = htons(ulen);
		ip6h->saddr.s6_addr32[0] = htonl(0x20010db8);
		ip6h->daddr.s6_addr32[0] = htonl(0x20010db8);
		ip6h->daddr.s6_addr32[1] = htonl(0x00fe0000);
		ip6h->daddr.s6_addr32[3] = htonl(1);
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, nlen);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(9);
	uh->dest = htons(9);
	uh->len = htons(ulen);
	skb_put_zero(skb, NFB_PAYLOAD);
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	return skb;
}

/* Source 10.0.0.0 + @index or 2001:db8:: + @index. */
static void nfb_set_source(struct sk_buff *skb, int family, u32 index)
{
	if (family == 4)
		ip_hdr(skb)->saddr = htonl(0x0a000000 + index);
	else
		ipv6_hdr(skb)->saddr.s6_addr32[3] = htonl(index);
}

/* Run @calls hooks over the packets; return ns per call, count drops. */
static u64 nfb_run(struct net *net, struct net_device *dev, int family,
		   struct sk_buff **skbs, u32 span, u32 calls, u32 *drops)
{
	u8 pf = family == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	u32 done = 0, i, x = get_random_u32() | 1;
	u64 start = ktime_get_ns();

	*drops = 0;
	while (done < calls) {
		u32 batch = min(calls - done, (u32)NFB_BATCH);

		local_bh_disable();
		for (i = 0; i < batch; i++) {
			struct sk_buff *skb = skbs[(done + i) % NFB_PKTS];

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			nfb_set_source(skb, family, x % span);
			/* A drop frees one reference: ours stays. */
			skb_get(skb);
			if (nf_hook(pf, NF_INET_PRE_ROUTING, net, NULL, skb, dev,
				    NULL, nfb_okfn) == 1)
				consume_skb(skb);
			else
				(*drops)++;
		}
		local_bh_enable();
		done += batch;
		cond_resched();
	}
	return div_u64(ktime_get_ns() - start, calls);
}

static ssize_t nfb_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	struct net *net = current->nsproxy->net_ns;
	struct net_device *dev;
	struct sk_buff **skbs;
	unsigned int family, span, calls, i;
	char buf[64];
	u32 drops;
	u64 ns;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%u %u %u", &family, &span, &calls) != 3 ||
	    (family != 4 && family != 6) || !span || !calls ||
	    calls > NFB_MAX_CALLS)
		return -EINVAL;

	dev = dev_get_by_name(net, "lo");
	if (!dev)
		return -ENODEV;
	skbs = kcalloc(NFB_PKTS, sizeof(*skbs), GFP_KERNEL);
	if (!skbs) {
		dev_put(dev);
		return -ENOMEM;
	}
	for (i = 0; i < NFB_PKTS; i++) {
		skbs[i] = nfb_packet(dev, family);
		if (!skbs[i]) {
			err = -ENOMEM;
			goto out;
		}
	}
	ns = nfb_run(net, dev, family, skbs, span, calls, &drops);
	mutex_lock(&nfb_lock);
	snprintf(nfb_result, sizeof(nfb_result), "%llu %u %u\n", ns, drops,
		 calls);
	mutex_unlock(&nfb_lock);
	err = len;
out:
	for (i = 0; i < NFB_PKTS && skbs[i]; i++)
		kfree_skb(skbs[i]);
	kfree(skbs);
	dev_put(dev);
	return err;
}

static ssize_t nfb_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	char buf[sizeof(nfb_result)];

	mutex_lock(&nfb_lock);
	memcpy(buf, nfb_result, sizeof(buf));
	mutex_unlock(&nfb_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static const struct file_operations nfb_fops = {
	.owner = THIS_MODULE,
	.write = nfb_write,
	.read = nfb_read,
};

static unsigned int nfb_noop_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops nfb_noop_ops[] = {
	{
		.hook = nfb_noop_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = INT_MIN,
	},
	{
		.hook = nfb_noop_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = INT_MIN,
	},
};

/* The namespace whose no-op hooks are registered, or NULL. */
static struct net *nfb_noop_net;

static void nfb_noop_off(void)
{
	if (!nfb_noop_net)
		return;
	nf_unregister_net_hooks(nfb_noop_net, nfb_noop_ops,
				ARRAY_SIZE(nfb_noop_ops));
	put_net(nfb_noop_net);
	nfb_noop_net = NULL;
}

static ssize_t nfb_noop_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct net *net = current->nsproxy->net_ns;
	bool on;
	int err;

	err = kstrtobool_from_user(ubuf, len, &on);
	if (err)
		return err;
	mutex_lock(&nfb_lock);
	nfb_noop_off();
	if (on) {
		err = nf_register_net_hooks(net, nfb_noop_ops,
					    ARRAY_SIZE(nfb_noop_ops));
		if (!err)
			nfb_noop_net = get_net(net);
	}
	mutex_unlock(&nfb_lock);
	return err ?: len;
}

static const struct file_operations nfb_noop_fops = {
	.owner = THIS_MODULE,
	.write = nfb_noop_write,
};

static int __init nfb_init(void)
{
	nfb_dir = debugfs_create_dir("arc_nfbench", NULL);
	debugfs_create_file("run", 0600, nfb_dir, NULL, &nfb_fops);
	debugfs_create_file("noop", 0200, nfb_dir, NULL, &nfb_noop_fops);
	return 0;
}

static void __exit nfb_exit(void)
{
	debugfs_remove(nfb_dir);
	mutex_lock(&nfb_lock);
	nfb_noop_off();
	mutex_unlock(&nfb_lock);
}

module_init(nfb_init);
module_exit(nfb_exit);
MODULE_DESCRIPTION("arc benchmark helper: times the PRE_ROUTING hooks of a namespace");
MODULE_LICENSE("GPL");
