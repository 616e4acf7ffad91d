// SPDX-License-Identifier: GPL-2.0
/*
 * A model-based fuzzer of the arcfw generic netlink family.
 *
 * Every input is one datagram of one or more netlink messages: well
 * formed requests of every command (built with libmnl), requests with
 * missing, duplicate, oversized, wrong-type and wrongly nested
 * attributes, random attribute trees, random flags and header bytes,
 * truncated headers, and any of these mutated byte by byte.
 *
 * The model reads each datagram the way the kernel does (netlink_rcv_skb,
 * genetlink's header and permission checks, nla validation with the
 * family's policies in strict mode, then what modules/firewall/netlink.c
 * does with each attribute) and predicts, for every message, whether it
 * is processed, its errno, its ack and its reply, and what it does to the
 * namespace's state: the blocklist, the port rule, and the replacement in
 * progress and the socket owning it. The state moves only by what the
 * kernel accepted. A message whose outcome differs from the prediction
 * (beyond a resource error, which is counted and resynchronises the
 * model) is a disagreement: it is printed with its bytes, and the run
 * fails. Every CHECK_EVERY inputs and at the end the real state (LIST,
 * GET_SSH, GET_STATS) must equal the model's.
 *
 *   fw_fuzz           root of the socket's network namespace: every
 *                     command is allowed
 *   fw_fuzz --unpriv  no CAP_NET_ADMIN over the namespace (e.g. root of a
 *                     user namespace, in the initial network namespace):
 *                     everything but GET_STATS must fail with EPERM and
 *                     the state must not move
 *
 * Scale and seed come from the environment (selftests/fuzz/fuzz.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <arc/firewall.h>

#include "../fuzz/fuzz.h"
#include "fw_mnl.h"

#define FULL_COUNT	100000
#define CHECK_EVERY	250
#define MAX_DGRAM	(80 * 1024)	/* below the default socket buffers */
#define MAX_MSG		(66 * 1024)
#define MAX_MSGS	16		/* messages the model follows in a datagram */
#define MAX_REPORTS	20		/* disagreements printed before giving up */
#define NR_SOCKS	2		/* fuzzing sockets: replacements race */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ONE_OF(a)	((a)[fuzz_below(&F, ARRAY_SIZE(a))])
#define POOL		48		/* prefixes that requests come back to */

/* One prefix as the kernel keeps it: host bits zero, canonical. */
struct pfx {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t plen;
	uint8_t addr[16];	/* IPv4: the first 4 bytes, the rest zero */
};

struct pset {
	struct pfx *e;
	unsigned int n, cap;
};

struct ssh {
	bool enabled;
	unsigned int nr_ports, nr_local;
	uint16_t ports[ARCFW_SSH_MAX_PORTS];
	struct pfx local[ARCFW_SSH_MAX_LOCAL];
};

struct model {
	struct pset live;
	struct pset staging;
	int owner;		/* socket with a replacement open, or -1 */
	struct ssh ssh;
	uint32_t max_entries;
	uint32_t entries;	/* unprivileged: what GET_STATS said at the start */
	bool dumping[NR_SOCKS];	/* a dump not yet read to its end */
	/* What the kernel is */
	bool priv;		/* CAP_NET_ADMIN over the namespace */
	bool hdr_check;		/* 6.1: genlmsghdr.reserved and flags checked */
	bool split_ops;		/* 6.2: no do/dump op is EOPNOTSUPP before EPERM */
};

/* The prediction for one message, and what came back for it. */
struct expect {
	size_t off, len;
	int cmd;		/* the genl command, -1: not given to the family */
	int err;		/* 0 or a negative errno */
	bool ack;		/* an NLMSG_ERROR is due */
	int reply;		/* GET_STATS, GET_SSH, LIST (a dump) or 0 */
	bool changes;		/* accepted, and the live set changed */
	uint32_t entries;	/* GET_STATS */
	struct ssh ssh;		/* GET_SSH */
	struct pset dump;	/* LIST */
	bool dump_check;	/* nothing later in the datagram changed the set */
	unsigned int set_n, req_n, fresh, fresh_rep;	/* ADD, REPLACE_ADD */
	/* Came back */
	int acks, got_err, replies, dones;
	bool intr, bad_reply;
	const char *bad_why;
	uint32_t got_entries, got_max;
	struct ssh got_ssh;
	struct pset got;
	char extack[160];
};

static struct fuzz F;
static struct model M;
static uint16_t fam;
static struct mnl_socket *socks[NR_SOCKS], *checker;
static struct pfx pool[POOL];
static struct expect exp_[MAX_MSGS];
static unsigned int nexp;
static unsigned char dgram[MAX_DGRAM], msgbuf[MAX_MSG + 4096];
static unsigned char rbuf[65536];
static uint32_t seq_base = 1;
static int disagreements, mismatches, resource_errors, resyncs;
static const char * const cmd_name[] = {
	"UNSPEC", "ADD", "DEL", "FLUSH", "LIST", "GET_STATS", "SET_SSH",
	"GET_SSH", "REPLACE_BEGIN", "REPLACE_ADD", "REPLACE_COMMIT",
	"REPLACE_ABORT",
};

#define K_UNKNOWN	(ARCFW_CMD_MAX + 1)	/* command numbers without an op */
#define K_SHORT		(ARCFW_CMD_MAX + 2)	/* no room for the genl header */
#define K_SKIPPED	(ARCFW_CMD_MAX + 3)	/* not a request, or a control type */
#define NR_KINDS	(ARCFW_CMD_MAX + 4)
static unsigned long sent[NR_KINDS], accepted[NR_KINDS], mutated[NR_KINDS];
static unsigned long by_errno[256];
static unsigned long nr_msgs, nr_noack, nr_multi, nr_dumps_checked, nr_dumps_unchecked;

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- prefixes and sets ---- */

static unsigned int alen_of(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static unsigned int pmax_of(uint8_t family)
{
	return family == AF_INET ? 32 : 128;
}

static bool pfx_eq(const struct pfx *a, const struct pfx *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static void pfx_mask(struct pfx *p)
{
	unsigned int i;

	for (i = 0; i < 128; i++)
		if (i >= p->plen || i >= alen_of(p->family) * 8)
			p->addr[i / 8] &= ~(0x80 >> (i % 8));
}

static void pfx_str(const struct pfx *p, char *s, size_t n)
{
	unsigned int i, k = 0;

	if (p->family == AF_INET) {
		snprintf(s, n, "%u.%u.%u.%u/%u", p->addr[0], p->addr[1],
			 p->addr[2], p->addr[3], p->plen);
		return;
	}
	for (i = 0; i < 16 && k + 6 < n; i += 2)
		k += snprintf(s + k, n - k, "%s%x", i ? ":" : "",
			      p->addr[i] << 8 | p->addr[i + 1]);
	snprintf(s + k, n - k, "/%u", p->plen);
}

static int pset_find(const struct pset *s, const struct pfx *p)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (pfx_eq(&s->e[i], p))
			return i;
	return -1;
}

static void pset_add(struct pset *s, const struct pfx *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		if (!s->e)
			die("realloc");
	}
	s->e[s->n++] = *p;
}

static void pset_del(struct pset *s, unsigned int i)
{
	s->e[i] = s->e[--s->n];
}

static void pset_copy(struct pset *d, const struct pset *s)
{
	unsigned int i;

	d->n = 0;
	for (i = 0; i < s->n; i++)
		pset_add(d, &s->e[i]);
}

/* Same prefixes, order aside; @a must have no duplicates. */
static bool pset_eq(const struct pset *a, const struct pset *b)
{
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < b->n; i++)
		if (pset_find(a, &b->e[i]) < 0)
			return false;
	return true;
}

static void pset_print(const char *what, const struct pset *s)
{
	char buf[64];
	unsigned int i;

	printf("#   %s (%u):", what, s->n);
	for (i = 0; i < s->n && i < 40; i++) {
		pfx_str(&s->e[i], buf, sizeof(buf));
		printf(" %s", buf);
	}
	printf("%s\n", i < s->n ? " ..." : "");
}

static bool ssh_eq(const struct ssh *a, const struct ssh *b)
{
	unsigned int i;

	if (a->enabled != b->enabled || a->nr_ports != b->nr_ports ||
	    a->nr_local != b->nr_local)
		return false;
	for (i = 0; i < a->nr_ports; i++)
		if (a->ports[i] != b->ports[i])
			return false;
	for (i = 0; i < a->nr_local; i++)
		if (!pfx_eq(&a->local[i], &b->local[i]))
			return false;
	return true;
}

static void ssh_print(const char *what, const struct ssh *s)
{
	char buf[64];
	unsigned int i;

	printf("#   %s: %s, ports", what, s->enabled ? "on" : "off");
	for (i = 0; i < s->nr_ports; i++)
		printf(" %u", s->ports[i]);
	printf(", local");
	for (i = 0; i < s->nr_local; i++) {
		pfx_str(&s->local[i], buf, sizeof(buf));
		printf(" %s", buf);
	}
	printf("\n");
}

/* ---- the kernel's reading of attributes ---- */

static uint16_t a_len(const unsigned char *a)
{
	uint16_t v;

	memcpy(&v, a, 2);
	return v;
}

static uint16_t a_raw(const unsigned char *a)
{
	uint16_t v;

	memcpy(&v, a + 2, 2);
	return v;
}

static int a_type(const unsigned char *a)
{
	return a_raw(a) & NLA_TYPE_MASK;
}

static int a_dlen(const unsigned char *a)
{
	return a_len(a) - NLA_HDRLEN;
}

/* nla_ok(): the kernel never reads past @rem. */
static bool a_ok(const unsigned char *a, int rem)
{
	return rem >= NLA_HDRLEN && a_len(a) >= NLA_HDRLEN && a_len(a) <= rem;
}

#define for_each_a(a, head, len, rem)					\
	for ((a) = (head), (rem) = (len); a_ok((a), (rem));		\
	     (rem) -= NLA_ALIGN(a_len(a)), (a) += NLA_ALIGN(a_len(a)))

enum { P_UNSPEC, P_U8, P_BINARY, P_NESTED, P_NESTED_ARRAY, P_REJECT };

struct pol {
	int type;
	const struct pol *nested;
	int maxtype;
};

/* modules/firewall/netlink.c's policies, as read from it. */
static const struct pol entry_pol[ARCFW_E_MAX + 1] = {
	[ARCFW_E_FAMILY] = { P_U8 },
	[ARCFW_E_ADDR] = { P_BINARY },
	[ARCFW_E_PREFIXLEN] = { P_U8 },
	[ARCFW_E_PACKETS] = { P_REJECT },
	[ARCFW_E_BYTES] = { P_REJECT },
	[ARCFW_E_PAD] = { P_REJECT },
};

static const struct pol ssh_pol[ARCFW_SSH_MAX + 1] = {
	[ARCFW_SSH_ENABLED] = { P_U8 },
	[ARCFW_SSH_PORTS] = { P_NESTED },
	[ARCFW_SSH_LOCAL] = { P_NESTED_ARRAY, entry_pol, ARCFW_E_MAX },
	[ARCFW_SSH_PORT] = { P_REJECT },
};

static const struct pol top_pol[ARCFW_A_MAX + 1] = {
	[ARCFW_A_ENTRY] = { P_NESTED, entry_pol, ARCFW_E_MAX },
	[ARCFW_A_STATS] = { P_REJECT },
	[ARCFW_A_SSH] = { P_NESTED, ssh_pol, ARCFW_SSH_MAX },
};

static int v_parse(const unsigned char *head, int len, int maxtype,
		   const struct pol *pol, unsigned int depth,
		   const unsigned char **tb);

/* validate_nla() in strict mode (NL_VALIDATE_STRICT) */
static int v_attr(const unsigned char *a, const struct pol *pol,
		  unsigned int depth)
{
	const struct pol *pt = &pol[a_type(a)];
	bool flag = a_raw(a) & NLA_F_NESTED;
	bool nest = pt->type == P_NESTED || pt->type == P_NESTED_ARRAY;
	const unsigned char *e;
	int len = a_dlen(a), rem, err;

	if (pt->type == P_U8 && len != 1)
		return -EINVAL;
	if (nest && !flag)
		return -EINVAL;
	if (!nest && pt->type != P_UNSPEC && flag)
		return -EINVAL;
	switch (pt->type) {
	case P_U8:
	case P_BINARY:
		return 0;
	case P_NESTED:
		if (!len)
			return 0;
		if (len < NLA_HDRLEN)
			return -ERANGE;
		if (!pt->nested)
			return 0;
		return v_parse(a + NLA_HDRLEN, len, pt->maxtype, pt->nested,
			       depth + 1, NULL);
	case P_NESTED_ARRAY:
		if (!len)
			return 0;
		if (len < NLA_HDRLEN)
			return -ERANGE;
		/* nla_validate_array(): elements of any type, no trailing check */
		for_each_a(e, a + NLA_HDRLEN, len, rem) {
			if (!a_dlen(e))
				continue;
			if (a_dlen(e) < NLA_HDRLEN)
				return -ERANGE;
			err = v_parse(e + NLA_HDRLEN, a_dlen(e), pt->maxtype,
				      pt->nested, depth + 1, NULL);
			if (err)
				return err;
		}
		return 0;
	default:	/* NLA_REJECT, and NLA_UNSPEC when strict */
		return -EINVAL;
	}
}

/* __nla_validate_parse() in strict mode; the last duplicate wins in @tb. */
static int v_parse(const unsigned char *head, int len, int maxtype,
		   const struct pol *pol, unsigned int depth,
		   const unsigned char **tb)
{
	const unsigned char *a;
	int rem, err;

	if (depth >= 10)
		return -EINVAL;
	if (tb)
		memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	for_each_a(a, head, len, rem) {
		if (!a_type(a) || a_type(a) > maxtype)
			return -EINVAL;
		err = v_attr(a, pol, depth);
		if (err)
			return err;
		if (tb)
			tb[a_type(a)] = a;
	}
	return rem > 0 ? -EINVAL : 0;
}

/* nla_parse_nested(): the flag is required, then strict parsing. */
static int parse_nested(const unsigned char *a, int maxtype,
			const struct pol *pol, const unsigned char **tb)
{
	if (!(a_raw(a) & NLA_F_NESTED))
		return -EINVAL;
	return v_parse(a + NLA_HDRLEN, a_dlen(a), maxtype, pol, 0, tb);
}

/* fw_nl_prefix() */
static int m_prefix(const unsigned char *a, struct pfx *p)
{
	const unsigned char *tb[ARCFW_E_MAX + 1];
	unsigned int i;
	int err;

	err = parse_nested(a, ARCFW_E_MAX, entry_pol, tb);
	if (err)
		return err;
	if (!tb[ARCFW_E_FAMILY] || !tb[ARCFW_E_ADDR] || !tb[ARCFW_E_PREFIXLEN])
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->family = tb[ARCFW_E_FAMILY][NLA_HDRLEN];
	if (p->family != AF_INET && p->family != AF_INET6)
		return -EINVAL;
	if (a_dlen(tb[ARCFW_E_ADDR]) != (int)alen_of(p->family))
		return -EINVAL;
	memcpy(p->addr, tb[ARCFW_E_ADDR] + NLA_HDRLEN, alen_of(p->family));
	p->plen = tb[ARCFW_E_PREFIXLEN][NLA_HDRLEN];
	if (p->plen > pmax_of(p->family))
		return -EINVAL;
	for (i = p->plen; i < 128; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	return 0;
}

/* ---- what netlink.c does with an accepted request ---- */

static struct pfx req[MAX_MSG / 4];

/* fw_nl_prefixes(), then ADD, DEL or REPLACE_ADD. */
static int m_prefixes(int s, int cmd, const unsigned char *head, int len,
		      struct expect *x)
{
	const unsigned char *a;
	struct pset *set = &M.live;
	unsigned int n = 0, i, j, fresh = 0;
	int rem, err;

	for_each_a(a, head, len, rem) {
		if (a_type(a) != ARCFW_A_ENTRY)
			continue;
		err = m_prefix(a, &req[n]);
		if (err)
			return err;
		n++;
	}
	if (!n)
		return -EINVAL;
	if (cmd == ARCFW_CMD_DEL) {
		for (i = 0; i < n; i++)
			if (pset_find(set, &req[i]) < 0)
				return -ENOENT;
		for (i = 0; i < n; i++)
			if (pset_find(set, &req[i]) >= 0)
				pset_del(set, pset_find(set, &req[i]));
		x->changes = true;
		return 0;
	}
	if (cmd == ARCFW_CMD_REPLACE_ADD) {
		if (M.owner != s)
			return -ENOENT;
		set = &M.staging;
	}
	/* The UAPI: ENOSPC if the set would exceed max_entries. */
	for (i = 0; i < n; i++) {
		if (pset_find(set, &req[i]) >= 0)
			continue;
		for (j = 0; j < i; j++)
			if (pfx_eq(&req[j], &req[i]))
				break;
		fresh += j == i;
	}
	x->set_n = set->n;
	x->req_n = n;
	x->fresh = fresh;
	x->fresh_rep = 0;
	for (i = 0; i < n; i++)
		x->fresh_rep += pset_find(set, &req[i]) < 0;
	if (set->n + fresh > M.max_entries)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		if (pset_find(set, &req[i]) < 0)
			pset_add(set, &req[i]);
	x->changes = cmd == ARCFW_CMD_ADD;
	return 0;
}

/* fw_nl_set_ssh() */
static int m_set_ssh(const unsigned char *attr)
{
	const unsigned char *tb[ARCFW_SSH_MAX + 1], *a;
	struct ssh n = M.ssh;
	int rem, err;

	if (!attr)
		return -EINVAL;
	err = parse_nested(attr, ARCFW_SSH_MAX, ssh_pol, tb);
	if (err)
		return err;
	if (tb[ARCFW_SSH_ENABLED]) {
		n.enabled = tb[ARCFW_SSH_ENABLED][NLA_HDRLEN];
		if (tb[ARCFW_SSH_ENABLED][NLA_HDRLEN] > 1)
			return -EINVAL;
	}
	if (tb[ARCFW_SSH_PORTS]) {
		n.nr_ports = 0;
		for_each_a(a, tb[ARCFW_SSH_PORTS] + NLA_HDRLEN,
			   a_dlen(tb[ARCFW_SSH_PORTS]), rem) {
			uint16_t port;

			if (a_type(a) != ARCFW_SSH_PORT || a_dlen(a) != 2)
				return -EINVAL;
			memcpy(&port, a + NLA_HDRLEN, 2);
			if (!port || n.nr_ports == ARCFW_SSH_MAX_PORTS)
				return -EINVAL;
			n.ports[n.nr_ports++] = port;
		}
		if (!n.nr_ports)
			return -EINVAL;
	}
	if (tb[ARCFW_SSH_LOCAL]) {
		n.nr_local = 0;
		for_each_a(a, tb[ARCFW_SSH_LOCAL] + NLA_HDRLEN,
			   a_dlen(tb[ARCFW_SSH_LOCAL]), rem) {
			if (n.nr_local == ARCFW_SSH_MAX_LOCAL)
				return -EINVAL;
			err = m_prefix(a, &n.local[n.nr_local]);
			if (err)
				return err;
			n.nr_local++;
		}
	}
	M.ssh = n;
	return 0;
}

/* fw_nl_replace() */
static int m_replace(int s, int cmd, struct expect *x)
{
	if (M.owner >= 0 && M.owner != s)
		return -EBUSY;
	if (cmd == ARCFW_CMD_REPLACE_BEGIN) {
		M.staging.n = 0;
		M.owner = s;
		return 0;
	}
	if (M.owner < 0)
		return -ENOENT;
	if (cmd == ARCFW_CMD_REPLACE_COMMIT) {
		pset_copy(&M.live, &M.staging);
		x->changes = true;
	}
	M.staging.n = 0;
	M.owner = -1;
	return 0;
}

/*
 * genl_family_rcv_msg() and what follows: the errno, or -EINTR for a
 * dump that started (no ack then).
 */
static int m_genl(int s, const unsigned char *msg, uint32_t len,
		  struct expect *x)
{
	const struct nlmsghdr *nlh = (const void *)msg;
	const struct genlmsghdr *g = (const void *)(msg + NLMSG_HDRLEN);
	const unsigned char *tb[ARCFW_A_MAX + 1];
	const unsigned char *attrs = msg + NLMSG_HDRLEN + GENL_HDRLEN;
	int alen = len - NLMSG_HDRLEN - GENL_HDRLEN;
	uint16_t flags = nlh->nlmsg_flags;
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP, is_list;
	int cmd, err;

	x->cmd = -2;
	if (len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	cmd = g->cmd;
	x->cmd = cmd;
	is_list = cmd == ARCFW_CMD_LIST;
	/* genl_header_check(): arc families validate from command 1 on */
	if (M.hdr_check && cmd >= 1) {
		if (g->reserved)
			return -EINVAL;
		if (dump)
			flags &= ~NLM_F_DUMP;
		if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
			return -EINVAL;
	}
	if (cmd < 1 || cmd > ARCFW_CMD_MAX)
		return -EOPNOTSUPP;
	if (M.split_ops && dump != is_list)
		return -EOPNOTSUPP;
	/* GENL_UNS_ADMIN_PERM on everything but GET_STATS */
	if (cmd != ARCFW_CMD_GET_STATS && !M.priv)
		return -EPERM;
	if (dump != is_list)
		return -EOPNOTSUPP;
	if (dump && M.dumping[s])
		return -EBUSY;
	err = v_parse(attrs, alen, ARCFW_A_MAX, top_pol, 0, tb);
	if (err)
		return err;
	switch (cmd) {
	case ARCFW_CMD_LIST:
		x->reply = cmd;
		pset_copy(&x->dump, &M.live);
		x->dump_check = true;
		/* The first part went out; a non-empty one keeps it running. */
		M.dumping[s] = M.live.n > 0;
		return -EINTR;
	case ARCFW_CMD_GET_STATS:
		x->reply = cmd;
		x->entries = M.priv ? M.live.n : M.entries;
		return 0;
	case ARCFW_CMD_GET_SSH:
		x->reply = cmd;
		x->ssh = M.ssh;
		return 0;
	case ARCFW_CMD_FLUSH:
		M.live.n = 0;
		x->changes = true;
		return 0;
	case ARCFW_CMD_ADD:
	case ARCFW_CMD_DEL:
	case ARCFW_CMD_REPLACE_ADD:
		return m_prefixes(s, cmd, attrs, alen, x);
	case ARCFW_CMD_SET_SSH:
		return m_set_ssh(tb[ARCFW_A_SSH]);
	default:
		return m_replace(s, cmd, x);
	}
}

static int kind_of(int cmd)
{
	if (cmd < 0)
		return cmd == -1 ? K_SKIPPED : K_SHORT;
	return cmd >= 1 && cmd <= ARCFW_CMD_MAX ? cmd : K_UNKNOWN;
}

/*
 * netlink_rcv_skb(): walk the datagram as the kernel will, give each
 * message its own sequence number (so that replies can be told apart)
 * and predict what each does. Returns the bytes the kernel will look at
 * (the datagram is cut after MAX_MSGS messages).
 */
static size_t predict(int s, size_t len)
{
	struct nlmsghdr *nlh;
	struct expect *x;
	size_t off = 0;
	unsigned int i;

	nexp = 0;
	while (len - off >= NLMSG_HDRLEN) {
		nlh = (void *)(dgram + off);
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len - off)
			break;
		if (nexp == MAX_MSGS)
			return off;
		nlh->nlmsg_seq = seq_base + nexp;
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
			nlh->nlmsg_type = fam;
		x = &exp_[nexp++];
		x->off = off;
		x->len = nlh->nlmsg_len;
		x->cmd = -1;
		x->err = 0;
		x->reply = 0;
		x->changes = false;
		x->dump_check = false;
		x->acks = 0;
		x->replies = 0;
		x->dones = 0;
		x->got_err = 0;
		x->intr = false;
		x->bad_reply = false;
		x->bad_why = NULL;
		x->got.n = 0;
		x->extack[0] = 0;
		x->req_n = 0;
		if ((nlh->nlmsg_flags & NLM_F_REQUEST) &&
		    nlh->nlmsg_type >= NLMSG_MIN_TYPE)
			x->err = m_genl(s, dgram + off, nlh->nlmsg_len, x);
		x->ack = x->err != -EINTR &&
			 (x->err || (nlh->nlmsg_flags & NLM_F_ACK));
		if (x->changes)
			for (i = 0; i + 1 < nexp; i++)
				exp_[i].dump_check = false;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (off > len)
			off = len;
	}
	return len;
}

/* ---- sockets ---- */

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			fam = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* Send one well-formed request and run @cb on its answers. */
static int request(struct mnl_socket *nl, uint16_t type, uint8_t cmd,
		   uint16_t flags, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq_base;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ARCFW_GENL_VERSION;
	if (type == GENL_ID_CTRL)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ARCFW_GENL_NAME);
	return fw_mnl_run(nl, nlh, cb, data, rbuf, sizeof(rbuf));
}

static struct mnl_socket *open_sock(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	int one = 1, size = 1 << 20;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket");
	/* Acks carry the header only; extack says why. */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &size,
		   sizeof(size));
	return nl;
}

/* ---- reading replies ---- */

static int put_pfx_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= ARCFW_E_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/*
 * A prefix in a reply: all three attributes, the right lengths, canonical;
 * the counters, if @zero, both zero (no packet ever enters the namespace).
 */
static bool reply_pfx(const struct nlattr *nest, struct pfx *p, bool zero)
{
	const struct nlattr *tb[ARCFW_E_MAX + 1] = {};
	struct pfx c;

	if (mnl_attr_parse_nested(nest, put_pfx_attr, tb) < 0 ||
	    !tb[ARCFW_E_FAMILY] || !tb[ARCFW_E_ADDR] || !tb[ARCFW_E_PREFIXLEN])
		return false;
	memset(p, 0, sizeof(*p));
	p->family = mnl_attr_get_u8(tb[ARCFW_E_FAMILY]);
	if ((p->family != AF_INET && p->family != AF_INET6) ||
	    mnl_attr_get_payload_len(tb[ARCFW_E_ADDR]) != alen_of(p->family))
		return false;
	memcpy(p->addr, mnl_attr_get_payload(tb[ARCFW_E_ADDR]),
	       alen_of(p->family));
	p->plen = mnl_attr_get_u8(tb[ARCFW_E_PREFIXLEN]);
	c = *p;
	pfx_mask(&c);
	if (p->plen > pmax_of(p->family) || !pfx_eq(&c, p))
		return false;
	if (zero && (!tb[ARCFW_E_PACKETS] || !tb[ARCFW_E_BYTES] ||
		     mnl_attr_get_u64(tb[ARCFW_E_PACKETS]) ||
		     mnl_attr_get_u64(tb[ARCFW_E_BYTES])))
		return false;
	return true;
}

static bool reply_ssh(const struct nlmsghdr *nlh, struct ssh *s)
{
	const struct nlattr *a, *b, *c;

	memset(s, 0, sizeof(*s));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != ARCFW_A_SSH)
			return false;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case ARCFW_SSH_ENABLED:
				s->enabled = mnl_attr_get_u8(b);
				break;
			case ARCFW_SSH_PORTS:
				mnl_attr_for_each_nested(c, b) {
					if (s->nr_ports == ARCFW_SSH_MAX_PORTS)
						return false;
					s->ports[s->nr_ports++] =
						mnl_attr_get_u16(c);
				}
				break;
			case ARCFW_SSH_LOCAL:
				mnl_attr_for_each_nested(c, b) {
					if (s->nr_local == ARCFW_SSH_MAX_LOCAL ||
					    !reply_pfx(c, &s->local[s->nr_local],
						       false))
						return false;
					s->nr_local++;
				}
				break;
			default:
				return false;
			}
		}
	}
	return true;
}

static bool reply_stats(const struct nlmsghdr *nlh, uint32_t *entries,
			uint32_t *max)
{
	const struct nlattr *a, *b;
	bool e = false, m = false;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != ARCFW_A_STATS)
			return false;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case ARCFW_S_ENTRIES:
				*entries = mnl_attr_get_u32(b);
				e = true;
				break;
			case ARCFW_S_MAX_ENTRIES:
				*max = mnl_attr_get_u32(b);
				m = true;
				break;
			case ARCFW_S_PACKETS:
			case ARCFW_S_BYTES:
			case ARCFW_S_SSH_PACKETS:
			case ARCFW_S_SSH_BYTES:
				/* No packet ever enters the namespace. */
				if (M.priv && mnl_attr_get_u64(b))
					return false;
				break;
			}
		}
	}
	return e && m;
}

/* One reply message of the family: a dump entry or a doit's answer. */
static void got_reply(struct expect *x, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct pfx p;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    g->cmd != x->reply) {
		x->bad_reply = true;
		x->bad_why = "a reply too short or for another command";
		return;
	}
	if (g->cmd == ARCFW_CMD_LIST) {
		mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
			if (mnl_attr_get_type(a) != ARCFW_A_ENTRY ||
			    !reply_pfx(a, &p, M.priv)) {
				x->bad_reply = true;
				x->bad_why = "a dump entry that is not a well-formed prefix";
			} else if (pset_find(&x->got, &p) >= 0) {
				/*
				 * A table rebuilt under the dump restarts its
				 * walk (fw_walk_peek()): entries may come twice,
				 * and the part that restarts is marked
				 * NLM_F_DUMP_INTR. Unmarked, it is a bug.
				 */
				if (!x->intr) {
					x->bad_reply = true;
					x->bad_why = "a prefix twice in a dump not marked interrupted";
				}
			} else {
				pset_add(&x->got, &p);
			}
		}
		return;
	}
	x->replies++;
	if (g->cmd == ARCFW_CMD_GET_STATS &&
	    !reply_stats(nlh, &x->got_entries, &x->got_max)) {
		x->bad_reply = true;
		x->bad_why = "a malformed GET_STATS reply";
	}
	if (g->cmd == ARCFW_CMD_GET_SSH && !reply_ssh(nlh, &x->got_ssh)) {
		x->bad_reply = true;
		x->bad_why = "a malformed GET_SSH reply";
	}
}

static void got_ack(struct expect *x, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	x->acks++;
	x->got_err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(a, nlh, sizeof(*e))
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(x->extack, sizeof(x->extack), "%s",
				 mnl_attr_get_str(a));
}

/*
 * Read everything the datagram brought back: the kernel answered while
 * it was being sent, and a dump goes on as its parts are read.
 */
static int drain(struct mnl_socket *nl)
{
	const struct nlmsghdr *nlh;
	struct expect *x;
	int n;

	for (;;) {
		n = recv(mnl_socket_get_fd(nl), rbuf, sizeof(rbuf),
			 MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		for (nlh = (void *)rbuf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq - seq_base >= nexp) {
				printf("# a reply with sequence %u, type %u, to no request\n",
				       nlh->nlmsg_seq, nlh->nlmsg_type);
				disagreements++;
				continue;
			}
			x = &exp_[nlh->nlmsg_seq - seq_base];
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				got_ack(x, nlh);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				x->dones++;
				x->intr |= nlh->nlmsg_flags & NLM_F_DUMP_INTR;
			} else if (nlh->nlmsg_type == fam) {
				x->intr |= nlh->nlmsg_flags & NLM_F_DUMP_INTR;
				got_reply(x, nlh);
			} else {
				x->bad_reply = true;
				x->bad_why = "a message of another type";
			}
		}
	}
}

/* ---- comparing ---- */

static void hexdump(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 4096; i++)
		printf("%s%02x%s", i % 32 ? "" : "#     ", p[i],
		       i % 32 == 31 || i + 1 == len ? "\n" : "");
	if (i < len)
		printf("#     ... (%zu bytes in all)\n", len);
}

static const char *errname(int err)
{
	const char *s;

	if (!err)
		return "0";
	s = strerrorname_np(-err);
	return s ? s : "E?";
}

static void report(int s, unsigned int i, const char *why)
{
	struct expect *x = &exp_[i];

	if (++disagreements > MAX_REPORTS)
		return;
	printf("# DISAGREEMENT at input %lu, message %u of %u (socket %d), %s %s:\n",
	       F.done, i + 1, nexp, s,
	       x->cmd < 0 ? "not for the family" :
	       x->cmd <= ARCFW_CMD_MAX ? cmd_name[x->cmd] : "unknown command",
	       why);
	printf("#   model: %s%s; kernel: %d ack(s), last %s%s%s\n",
	       x->err == -EINTR ? "dump" : errname(x->err),
	       x->ack ? " with ack" : ", no ack", x->acks,
	       errname(x->got_err), x->extack[0] ? ": " : "", x->extack);
	if (x->req_n)
		printf("#   %u prefixes in the request, %u of them not in the set of %u\n"
		       "#   (%u counting repeats), max_entries %u\n", x->req_n,
		       x->fresh, x->set_n, x->fresh_rep, M.max_entries);
	hexdump(dgram + x->off, x->len);
}

static bool resource(int err)
{
	return err == -ENOMEM || err == -ENOBUFS || err == -EAGAIN;
}

/* Compare what came back with the prediction; false: resynchronise. */
static bool compare(int s)
{
	unsigned int i;
	bool ok = true;
	struct expect *x;

	for (i = 0; i < nexp; i++) {
		x = &exp_[i];
		nr_msgs++;
		sent[kind_of(x->cmd)]++;
		if (x->acks)
			by_errno[-x->got_err & 255]++;
		else
			nr_noack++;
		if (x->acks == 1 && x->got_err && resource(x->got_err) &&
		    x->got_err != x->err) {
			resource_errors++;
			printf("# input %lu message %u: %s (%s), not predicted: resynchronising\n",
			       F.done, i + 1, errname(x->got_err), x->extack);
			return false;
		}
		if (x->acks != x->ack || (x->ack && x->got_err != x->err)) {
			report(s, i, "answered otherwise");
			ok = false;
			continue;
		}
		if (!x->err || x->err == -EINTR)
			accepted[kind_of(x->cmd)]++;
		if (x->bad_reply) {
			report(s, i, x->bad_why);
			ok = false;
			continue;
		}
		if (x->err && x->err != -EINTR) {
			if (x->replies || x->dones || x->got.n) {
				report(s, i, "got a reply to a refused request");
				ok = false;
			}
			continue;
		}
		switch (x->reply) {
		case 0:
			if (x->replies || x->dones || x->got.n) {
				report(s, i, "got a reply to a request that has none");
				ok = false;
			}
			break;
		case ARCFW_CMD_LIST:
			if (x->dones != 1) {
				report(s, i, "dump did not end with one NLMSG_DONE");
				ok = false;
			} else if (!x->dump_check) {
				nr_dumps_unchecked++;
			} else if (x->intr || !pset_eq(&x->got, &x->dump)) {
				report(s, i, "dump differs from the model");
				pset_print("model", &x->dump);
				pset_print("kernel", &x->got);
				ok = false;
			} else {
				nr_dumps_checked++;
			}
			break;
		case ARCFW_CMD_GET_STATS:
			if (x->replies != 1 || x->got_entries != x->entries ||
			    x->got_max != M.max_entries) {
				report(s, i, "stats differ from the model");
				printf("#   entries %u, max %u; model %u, %u\n",
				       x->got_entries, x->got_max, x->entries,
				       M.max_entries);
				ok = false;
			}
			break;
		case ARCFW_CMD_GET_SSH:
			if (x->replies != 1 || !ssh_eq(&x->ssh, &x->got_ssh)) {
				report(s, i, "port rule differs from the model");
				ssh_print("model", &x->ssh);
				ssh_print("kernel", &x->got_ssh);
				ok = false;
			}
			break;
		}
	}
	return ok;
}

/* ---- the real state, read on the checker socket ---- */

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	struct pfx p;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != ARCFW_A_ENTRY ||
		    !reply_pfx(a, &p, true) || pset_find(data, &p) >= 0) {
			printf("# LIST: a malformed, duplicate or counting entry\n");
			return MNL_CB_ERROR;
		}
		pset_add(data, &p);
	}
	return MNL_CB_OK;
}

static int ssh_cb(const struct nlmsghdr *nlh, void *data)
{
	return reply_ssh(nlh, data) ? MNL_CB_OK : MNL_CB_ERROR;
}

struct stats {
	uint32_t entries, max;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats *st = data;

	return reply_stats(nlh, &st->entries, &st->max) ? MNL_CB_OK :
							   MNL_CB_ERROR;
}

static void read_state(struct pset *live, struct ssh *ssh, struct stats *st)
{
	int err;

	live->n = 0;
	err = request(checker, fam, ARCFW_CMD_LIST, NLM_F_DUMP, list_cb, live);
	if (err)
		printf("FAIL: LIST on the checker socket: %s\n", errname(err));
	if (err)
		exit(1);
	err = request(checker, fam, ARCFW_CMD_GET_SSH, 0, ssh_cb, ssh);
	if (err) {
		printf("FAIL: GET_SSH on the checker socket: %s\n", errname(err));
		exit(1);
	}
	err = request(checker, fam, ARCFW_CMD_GET_STATS, 0, stats_cb, st);
	if (err) {
		printf("FAIL: GET_STATS on the checker socket: %s\n", errname(err));
		exit(1);
	}
}

/* Unprivileged: the counters are readable, nothing else is. */
static void check_unpriv(const struct stats *want)
{
	struct stats st = {};
	int err;

	err = request(checker, fam, ARCFW_CMD_GET_STATS, 0, stats_cb, &st);
	if (err || st.entries != want->entries || st.max != want->max) {
		printf("# STATE MISMATCH at input %lu: GET_STATS %s, entries %u (was %u)\n",
		       F.done, errname(err), st.entries, want->entries);
		mismatches++;
	}
	if (request(checker, fam, ARCFW_CMD_LIST, NLM_F_DUMP, NULL, NULL) != -EPERM ||
	    request(checker, fam, ARCFW_CMD_GET_SSH, 0, NULL, NULL) != -EPERM) {
		printf("# STATE MISMATCH at input %lu: LIST or GET_SSH without EPERM\n",
		       F.done);
		mismatches++;
	}
}

static struct pset real;

static void check_state(const char *when)
{
	struct stats st = {};
	struct ssh ssh;

	read_state(&real, &ssh, &st);
	if (pset_eq(&real, &M.live) && ssh_eq(&ssh, &M.ssh) &&
	    st.entries == M.live.n && st.max == M.max_entries)
		return;
	mismatches++;
	printf("# STATE MISMATCH %s (input %lu):\n", when, F.done);
	pset_print("model", &M.live);
	pset_print("kernel", &real);
	ssh_print("model", &M.ssh);
	ssh_print("kernel", &ssh);
	printf("#   GET_STATS entries %u max %u; model %u, %u\n", st.entries,
	       st.max, M.live.n, M.max_entries);
	pset_copy(&M.live, &real);
	M.ssh = ssh;
}

/*
 * After a resource error the kernel did less than the model: take its
 * state and end any replacement.
 */
static void resync(void)
{
	struct stats st;
	int i;

	resyncs++;
	for (i = 0; i < NR_SOCKS; i++)
		request(socks[i], fam, ARCFW_CMD_REPLACE_ABORT, 0, NULL, NULL);
	M.owner = -1;
	M.staging.n = 0;
	read_state(&M.live, &M.ssh, &st);
}

/* ---- building requests ---- */

/* A buffer of random bytes for payloads (refilled now and then). */
static unsigned char noise[MAX_MSG];

static void put_raw(struct nlmsghdr *nlh, const void *p, size_t n)
{
	memcpy((char *)nlh + nlh->nlmsg_len, p, n);
	nlh->nlmsg_len += n;
}

/* Pad to the next attribute with zeros, as the kernel's senders do. */
static void pad(struct nlmsghdr *nlh)
{
	size_t n = MNL_ALIGN(nlh->nlmsg_len) - nlh->nlmsg_len;

	memset((char *)nlh + nlh->nlmsg_len, 0, n);
	nlh->nlmsg_len += n;
}

static struct nlattr *nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	return mnl_attr_nest_start(nlh, type);
}

/* Close a nest over exactly what is in it, trailing bytes included. */
static void nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	nest->nla_len = (char *)nlh + nlh->nlmsg_len - (char *)nest;
	pad(nlh);
}

static bool room(struct nlmsghdr *nlh, size_t n)
{
	return nlh->nlmsg_len + n + 64 < MAX_MSG;
}

/*
 * What can be wrong with a request. A message gets either each of them
 * one time in its odds, or one of them only (the likeliest way to find
 * a check that is off by one).
 */
enum {
	D_NONE, D_TYPE, D_BYTEORDER, D_U8_LEN, D_EMPTY_NEST, D_NO_NESTED_FLAG,
	D_FAMILY, D_PLEN, D_HOSTBIT, D_ALEN, D_OMIT, D_DUP, D_REJECT, D_TREE,
	D_TRAILING, D_ENABLED, D_PORT_COUNT, D_PORT_ZERO, D_PORT_LEN,
	D_LOCAL_COUNT, D_EXTRA, NR_DEFECTS,
};

static int defect;	/* this message's one defect, or D_NONE */

static bool bad(int site, unsigned int odds)
{
	if (site == defect && fuzz_chance(&F, 2))
		return true;
	return fuzz_chance(&F, odds);
}

/* An attribute type: mostly @type, sometimes another, flag bits thrown in. */
static uint16_t some_type(uint16_t type, unsigned int odds)
{
	if (bad(D_TYPE, odds))
		type = fuzz_chance(&F, 2) ? fuzz_below(&F, 10) :
					    fuzz_edgy(&F, 14);
	if (bad(D_BYTEORDER, odds))
		type |= NLA_F_NET_BYTEORDER;
	return type;
}

static void put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v,
		   unsigned int odds)
{
	static const unsigned int u8_wrong_lens[] = { 0, 2, 4, 8 };
	static const unsigned char zero[8];

	type = some_type(type, odds);
	if (!bad(D_U8_LEN, odds)) {
		mnl_attr_put_u8(nlh, type, v);
		return;
	}
	/* Wrong length or a nested flag: a u8 as 0, 2, 4 or 8 bytes. */
	switch (fuzz_below(&F, 3)) {
	case 0:
		mnl_attr_put(nlh, type, ONE_OF(u8_wrong_lens), zero);
		break;
	case 1:
		mnl_attr_put_u8(nlh, type | NLA_F_NESTED, v);
		break;
	default:
		mnl_attr_put_u32(nlh, type, v);
		break;
	}
}

static void gen_pfx(struct pfx *p)
{
	if (!fuzz_chance(&F, 4)) {
		*p = pool[fuzz_below(&F, POOL)];
		return;
	}
	memset(p, 0, sizeof(*p));
	p->family = fuzz_chance(&F, 2) ? AF_INET : AF_INET6;
	p->plen = fuzz_below(&F, pmax_of(p->family) + 1);
	if (fuzz_chance(&F, 3))
		p->plen = pmax_of(p->family);
	fuzz_bytes(&F, p->addr, alen_of(p->family));
	pfx_mask(p);
}

static void put_random_tree(struct nlmsghdr *nlh, unsigned int depth);

/*
 * One prefix as an attribute of @type (ARCFW_A_ENTRY, or an element of
 * ARCFW_SSH_LOCAL). One time in @odds each thing about it goes wrong.
 */
static void put_entry(struct nlmsghdr *nlh, uint16_t type, const struct pfx *p,
		      unsigned int odds)
{
	static const unsigned int families[] = { 0, 1, 3, 255, AF_INET, AF_INET6 };
	static const unsigned int addr_lens[] = { 0, 3, 5, 15, 17, 4, 16, 4000 };
	unsigned int alen = alen_of(p->family), order = fuzz_below(&F, 6), i;
	struct nlattr *nest;
	uint8_t fam_v = p->family, plen = p->plen, addr[16];

	memcpy(addr, p->addr, 16);
	if (bad(D_EMPTY_NEST, odds * 3))	/* empty nest */
		goto out_empty;
	nest = nest_start(nlh, some_type(type, odds * 2));
	if (bad(D_NO_NESTED_FLAG, odds * 2))
		nest->nla_type &= ~NLA_F_NESTED;
	if (bad(D_FAMILY, odds))
		fam_v = ONE_OF(families);
	if (bad(D_PLEN, odds))
		plen = fuzz_chance(&F, 2) ? pmax_of(p->family) + 1 +
					    fuzz_below(&F, 2) : fuzz_edgy(&F, 8);
	if (bad(D_HOSTBIT, odds) && p->plen < pmax_of(p->family))
		addr[(alen * 8 - 1) / 8] |= 1;	/* a host bit */
	if (bad(D_ALEN, odds))
		alen = ONE_OF(addr_lens);
	for (i = 0; i < 3; i++) {
		switch ((i + order) % 3) {
		case 0:
			if (!bad(D_OMIT, odds * 2))
				put_u8(nlh, ARCFW_E_FAMILY, fam_v, odds * 2);
			break;
		case 1:
			if (bad(D_OMIT, odds * 2))
				break;
			if (alen > 16)
				mnl_attr_put(nlh, some_type(ARCFW_E_ADDR, odds * 2),
					     alen, noise);
			else
				mnl_attr_put(nlh, some_type(ARCFW_E_ADDR, odds * 2),
					     alen, addr);
			break;
		default:
			if (!bad(D_OMIT, odds * 2))
				put_u8(nlh, ARCFW_E_PREFIXLEN, plen, odds * 2);
			break;
		}
	}
	if (bad(D_DUP, odds * 2))	/* a duplicate: the last one counts */
		put_u8(nlh, fuzz_chance(&F, 2) ? ARCFW_E_FAMILY : ARCFW_E_PREFIXLEN,
		       fuzz_chance(&F, 2) ? fam_v : fuzz_edgy(&F, 8), odds);
	if (bad(D_REJECT, odds * 3))	/* counters are replies only */
		mnl_attr_put_u64(nlh, ARCFW_E_PACKETS + fuzz_below(&F, 3), 0);
	if (bad(D_TREE, odds * 4))
		put_random_tree(nlh, 3);
	if (bad(D_TRAILING, odds * 4))	/* trailing bytes inside the nest */
		put_raw(nlh, noise, 1 + fuzz_below(&F, 3));
	nest_end(nlh, nest);
	return;
out_empty:
	/* Empty, or too short to hold an attribute (ERANGE). */
	mnl_attr_put(nlh, some_type(type, odds) | NLA_F_NESTED,
		     fuzz_below(&F, NLA_HDRLEN), noise);
}

/* Random attributes: any type, any flags, payloads or nests, deep. */
static void put_random_tree(struct nlmsghdr *nlh, unsigned int depth)
{
	unsigned int n = 1 + fuzz_below(&F, 4);
	struct nlattr *nest;
	uint16_t type;
	size_t len;

	while (n-- && room(nlh, 64)) {
		type = fuzz_chance(&F, 2) ? fuzz_below(&F, 8) :
					    fuzz_rand(&F) & 0xffff;
		if (depth < 16 && fuzz_chance(&F, 3)) {
			nest = nest_start(nlh, type);
			if (fuzz_chance(&F, 3))
				nest->nla_type = type;
			put_random_tree(nlh, depth + 1);
			nest_end(nlh, nest);
			continue;
		}
		len = fuzz_chance(&F, 4) ? fuzz_edgy(&F, 8) : fuzz_below(&F, 20);
		if (fuzz_chance(&F, 50))
			len = fuzz_below(&F, 65536);
		if (!room(nlh, len))
			len = 0;
		fuzz_bytes(&F, noise, len < 256 ? len : 256);
		mnl_attr_put(nlh, type, len, noise);
	}
}

static void put_ssh(struct nlmsghdr *nlh, unsigned int odds)
{
	static const unsigned int ports[] = { 22, 2222, 8080, 65535 };
	static const unsigned int bad_enabled[] = { 2, 3, 128, 255 };
	static const unsigned int edge_ports[] = {
		0, 1, ARCFW_SSH_MAX_PORTS, ARCFW_SSH_MAX_PORTS + 1, 19,
	};
	static const unsigned int edge_local[] = {
		0, 1, ARCFW_SSH_MAX_LOCAL, ARCFW_SSH_MAX_LOCAL + 1, 40,
	};
	struct nlattr *nest, *list;
	unsigned int i, n;
	struct pfx p;

	nest = nest_start(nlh, some_type(ARCFW_A_SSH, odds * 3));
	if (bad(D_NO_NESTED_FLAG, odds * 3))
		nest->nla_type &= ~NLA_F_NESTED;
	if (fuzz_chance(&F, 2))
		put_u8(nlh, ARCFW_SSH_ENABLED,
		       bad(D_ENABLED, odds) ? ONE_OF(bad_enabled) :
					       fuzz_below(&F, 2), odds);
	if (fuzz_chance(&F, 2)) {
		list = nest_start(nlh, some_type(ARCFW_SSH_PORTS, odds * 3));
		if (bad(D_NO_NESTED_FLAG, odds * 3))
			list->nla_type &= ~NLA_F_NESTED;
		n = bad(D_PORT_COUNT, odds) ? ONE_OF(edge_ports) :
					    1 + fuzz_below(&F, ARCFW_SSH_MAX_PORTS);
		for (i = 0; i < n; i++) {
			uint16_t port = bad(D_PORT_ZERO, odds * 4) ? 0 :
					1 + fuzz_below(&F, 65535);

			if (fuzz_chance(&F, 3))
				port = ONE_OF(ports);
			if (bad(D_PORT_LEN, odds * 4))
				mnl_attr_put_u32(nlh, ARCFW_SSH_PORT, port);
			else
				mnl_attr_put_u16(nlh, some_type(ARCFW_SSH_PORT, odds * 4),
						 port);
		}
		if (bad(D_TRAILING, odds * 4))
			put_raw(nlh, noise, 1 + fuzz_below(&F, 3));
		nest_end(nlh, list);
	}
	if (fuzz_chance(&F, 2)) {
		list = nest_start(nlh, some_type(ARCFW_SSH_LOCAL, odds * 3));
		if (bad(D_NO_NESTED_FLAG, odds * 3))
			list->nla_type &= ~NLA_F_NESTED;
		n = bad(D_LOCAL_COUNT, odds) ? ONE_OF(edge_local) :
					    fuzz_below(&F, 6);
		for (i = 0; i < n; i++) {
			gen_pfx(&p);
			/* Elements may have any type: the kernel ignores it. */
			put_entry(nlh, fuzz_chance(&F, 4) ? fuzz_below(&F, 9) :
					ARCFW_A_ENTRY, &p, odds * 2);
		}
		if (bad(D_TRAILING, odds * 4))
			put_raw(nlh, noise, 1 + fuzz_below(&F, 3));
		nest_end(nlh, list);
	}
	if (bad(D_REJECT, odds * 4))
		mnl_attr_put_u16(nlh, ARCFW_SSH_PORT, 22);
	if (bad(D_TREE, odds * 4))
		put_random_tree(nlh, 2);
	nest_end(nlh, nest);
}

/* The flags of a request: mostly right, sometimes anything. */
static uint16_t gen_flags(int cmd)
{
	uint16_t flags = NLM_F_REQUEST;

	if (fuzz_chance(&F, 20))
		return fuzz_chance(&F, 2) ? fuzz_edgy(&F, 16) :
					    NLM_F_REQUEST | 1 << fuzz_below(&F, 16);
	if (!fuzz_chance(&F, 5))
		flags |= NLM_F_ACK;
	if (cmd == ARCFW_CMD_LIST ? !fuzz_chance(&F, 15) : fuzz_chance(&F, 30))
		flags |= NLM_F_DUMP;
	if (fuzz_chance(&F, 20))
		flags |= NLM_F_ECHO;
	if (fuzz_chance(&F, 40))
		flags &= ~NLM_F_REQUEST;
	return flags;
}

static int gen_cmd(void)
{
	/* ADD, DEL and the replacement often; everything regularly. */
	static const uint8_t pick[] = {
		ARCFW_CMD_ADD, ARCFW_CMD_ADD, ARCFW_CMD_ADD, ARCFW_CMD_DEL,
		ARCFW_CMD_DEL, ARCFW_CMD_FLUSH, ARCFW_CMD_LIST, ARCFW_CMD_LIST,
		ARCFW_CMD_GET_STATS, ARCFW_CMD_SET_SSH, ARCFW_CMD_SET_SSH,
		ARCFW_CMD_GET_SSH, ARCFW_CMD_REPLACE_BEGIN,
		ARCFW_CMD_REPLACE_ADD, ARCFW_CMD_REPLACE_ADD,
		ARCFW_CMD_REPLACE_COMMIT, ARCFW_CMD_REPLACE_ABORT,
		ARCFW_CMD_UNSPEC,
	};
	int cmd = pick[fuzz_below(&F, sizeof(pick))];

	if (cmd == ARCFW_CMD_UNSPEC && !fuzz_chance(&F, 3))
		cmd = ARCFW_CMD_MAX + 1 + fuzz_below(&F, 255 - ARCFW_CMD_MAX);
	return cmd;
}

/*
 * One message for @cmd into msgbuf. @odds: one time in @odds each part
 * of it goes wrong (small: mostly garbage; large: mostly valid).
 */
static size_t gen_msg(int s, int cmd, unsigned int odds)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	unsigned int i, n;
	struct pfx p;

	memset(msgbuf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = fuzz_chance(&F, 100) ? fuzz_below(&F, NLMSG_MIN_TYPE) : fam;
	nlh->nlmsg_flags = gen_flags(cmd);
	nlh->nlmsg_pid = fuzz_chance(&F, 20) ? fuzz_rand(&F) : 0;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = fuzz_chance(&F, 10) ? fuzz_edgy(&F, 8) : ARCFW_GENL_VERSION;
	g->reserved = fuzz_chance(&F, 40) ? fuzz_edgy(&F, 16) : 0;

	switch (cmd) {
	case ARCFW_CMD_ADD:
	case ARCFW_CMD_DEL:
	case ARCFW_CMD_REPLACE_ADD:
		n = fuzz_chance(&F, 8) ? fuzz_below(&F, 64) : 1 + fuzz_below(&F, 8);
		if (fuzz_chance(&F, 300))
			n = 1000 + fuzz_below(&F, 2000);	/* oversized */
		for (i = 0; i < n && room(nlh, 64); i++) {
			if (cmd == ARCFW_CMD_DEL && M.live.n && !fuzz_chance(&F, 4))
				p = M.live.e[fuzz_below(&F, M.live.n)];
			else if (cmd == ARCFW_CMD_REPLACE_ADD && M.staging.n &&
				 fuzz_chance(&F, 4))
				p = M.staging.e[fuzz_below(&F, M.staging.n)];
			else if (!i || !fuzz_chance(&F, 6))
				gen_pfx(&p);
			/* else the same prefix again */
			put_entry(nlh, ARCFW_A_ENTRY, &p, odds);
		}
		break;
	case ARCFW_CMD_SET_SSH:
		if (!bad(D_OMIT, odds * 2))
			put_ssh(nlh, odds);
		if (bad(D_DUP, odds * 2))	/* a second one wins */
			put_ssh(nlh, odds);
		break;
	}
	/* Attributes where none belong, or more than belong. */
	if (bad(D_EXTRA, odds * 2)) {
		gen_pfx(&p);
		put_entry(nlh, ARCFW_A_ENTRY, &p, odds);
	}
	if (bad(D_EXTRA, odds * 3))
		put_ssh(nlh, odds);
	if (bad(D_REJECT, odds * 3))
		mnl_attr_put(nlh, some_type(ARCFW_A_STATS, odds), 8, noise);
	if (bad(D_TREE, odds * 2))
		put_random_tree(nlh, 0);
	if (bad(D_TRAILING, odds * 4))
		put_raw(nlh, noise, 1 + fuzz_below(&F, 3));	/* trailing */
	return nlh->nlmsg_len;
}

/*
 * One input: a datagram of one message mostly, several sometimes, each
 * valid-looking or not, some mutated, some with a lying length.
 */
static size_t gen_dgram(int s)
{
	/*
	 * Three in seven valid, or with one defect (two in three of those);
	 * the rest more and more broken.
	 */
	static const unsigned int odds_of[] = {
		1000000, 1000000, 1000000, 40, 12, 4, 2,
	};
	unsigned int n = 1, i, odds;
	size_t len = 0, mlen, body;
	struct nlmsghdr *nlh;
	int cmd;

	if (fuzz_chance(&F, 7)) {
		n = 2 + fuzz_below(&F, 5);
		nr_multi++;
	}
	for (i = 0; i < n; i++) {
		cmd = gen_cmd();
		odds = ONE_OF(odds_of);
		defect = D_NONE;
		if (odds == 1000000 && !fuzz_chance(&F, 3))
			defect = 1 + fuzz_below(&F, NR_DEFECTS - 1);
		mlen = gen_msg(s, cmd, odds);
		nlh = (void *)msgbuf;
		if (fuzz_chance(&F, 5)) {
			/* Mutate what follows the netlink header. */
			mutated[kind_of(cmd)]++;
			body = fuzz_mutate(&F, msgbuf + NLMSG_HDRLEN,
					   mlen - NLMSG_HDRLEN,
					   MAX_MSG - NLMSG_HDRLEN);
			mlen = NLMSG_HDRLEN + body;
			nlh->nlmsg_len = mlen;
			if (fuzz_chance(&F, 10))
				mlen = fuzz_mutate(&F, msgbuf, mlen, MAX_MSG);
		}
		if (fuzz_chance(&F, 60))	/* a length that lies */
			nlh->nlmsg_len = fuzz_chance(&F, 2) ?
					 fuzz_below(&F, NLMSG_HDRLEN + GENL_HDRLEN + 1) :
					 nlh->nlmsg_len + fuzz_edgy(&F, 16);
		if (len + mlen > MAX_DGRAM)
			break;
		memcpy(dgram + len, msgbuf, mlen);
		len += mlen;
		/* Usually aligned for the next one, as the kernel expects. */
		if (!fuzz_chance(&F, 20))
			while (len % NLMSG_ALIGNTO && len < MAX_DGRAM)
				dgram[len++] = 0;
	}
	if (fuzz_chance(&F, 50) && len)
		len = fuzz_below(&F, len);	/* cut short */
	return len;
}

/* ---- the run ---- */

static void init_pool(void)
{
	unsigned int i;

	/* A few edges first: the whole space, host routes, short prefixes. */
	for (i = 0; i < POOL; i++) {
		struct pfx *p = &pool[i];

		memset(p, 0, sizeof(*p));
		p->family = i % 2 ? AF_INET6 : AF_INET;
		p->plen = i < 4 ? (i < 2 ? 0 : pmax_of(p->family)) :
			  fuzz_below(&F, pmax_of(p->family) + 1);
		fuzz_bytes(&F, p->addr, alen_of(p->family));
		p->addr[0] = p->family == AF_INET ? 203 : 0x20;
		pfx_mask(p);
	}
}

static void detect_kernel(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	uname(&u);
	if (sscanf(u.release, "%u.%u", &major, &minor) != 2)
		printf("# kernel release %s: not MAJOR.MINOR\n", u.release);
	/*
	 * What the generic netlink core does differs by version, not by
	 * anything a request can probe: 6.1 checks the genl header's
	 * reserved bytes and the flags (from resv_start_op, which the shim
	 * sets to 1); 6.2 looks ops up by do or dump before the permission
	 * check.
	 */
	M.hdr_check = major > 6 || (major == 6 && minor >= 1);
	M.split_ops = major > 6 || (major == 6 && minor >= 2);
	printf("# kernel %s: header check %s, split ops %s, %s\n", u.release,
	       M.hdr_check ? "yes" : "no", M.split_ops ? "yes" : "no",
	       M.priv ? "privileged (CAP_NET_ADMIN over the namespace)" :
			"unprivileged");
}

static void summary(void)
{
	unsigned int k;
	int e;

	printf("# messages %lu in %lu inputs (%lu with several messages)\n",
	       nr_msgs, F.done, nr_multi);
	for (k = 1; k < NR_KINDS; k++)
		printf("#   %-15s sent %6lu  accepted %6lu  mutated %5lu\n",
		       k == K_UNKNOWN ? "unknown cmd" : k == K_SHORT ? "short header" :
		       k == K_SKIPPED ? "not processed" : cmd_name[k],
		       sent[k], accepted[k], mutated[k]);
	printf("# answers: no ack %lu", nr_noack);
	for (e = 0; e < 256; e++)
		if (by_errno[e])
			printf(", %s %lu", e ? strerrorname_np(e) : "ack 0",
			       by_errno[e]);
	printf("\n# dumps compared %lu, changed under them %lu; resource errors %d, resyncs %d\n",
	       nr_dumps_checked, nr_dumps_unchecked, resource_errors, resyncs);
}

int main(int argc, char **argv)
{
	struct stats st0 = {};
	unsigned int i;
	int s, rc;
	size_t len;
	bool ok;

	M.priv = !(argc > 1 && !strcmp(argv[1], "--unpriv"));
	M.owner = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	detect_kernel();
	fuzz_init(&F, "arcfw-genl", FULL_COUNT);
	fuzz_bytes(&F, noise, sizeof(noise));
	init_pool();

	checker = open_sock();
	if (request(checker, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, family_cb,
		    NULL) || !fam) {
		printf("FAIL: no generic netlink family %s\n", ARCFW_GENL_NAME);
		return 1;
	}
	for (i = 0; i < NR_SOCKS; i++)
		socks[i] = open_sock();
	rc = request(checker, fam, ARCFW_CMD_GET_STATS, 0, stats_cb, &st0);
	if (rc) {
		printf("FAIL: GET_STATS: %s\n", errname(rc));
		return 1;
	}
	M.max_entries = st0.max;
	M.entries = st0.entries;
	if (M.priv) {
		read_state(&M.live, &M.ssh, &st0);
		printf("# start: %u entries (max_entries %u)\n", M.live.n,
		       M.max_entries);
		ssh_print("port rule", &M.ssh);
	} else {
		printf("# start: %u entries (max_entries %u), read through GET_STATS only\n",
		       st0.entries, st0.max);
		check_unpriv(&st0);
	}

	while (fuzz_next(&F)) {
		if (!(F.done & 1023))
			fuzz_bytes(&F, noise, sizeof(noise));
		s = fuzz_chance(&F, 4);
		/* A socket closes: a replacement it began goes with it. */
		if (s == 1 && fuzz_chance(&F, 300)) {
			mnl_socket_close(socks[1]);
			socks[1] = open_sock();
			if (M.owner == 1) {
				M.owner = -1;
				M.staging.n = 0;
			}
		}
		len = gen_dgram(s);
		seq_base += MAX_MSGS + 1;
		len = predict(s, len);
		/* Nothing to send: netlink refuses an empty datagram (ENODATA). */
		if (!len) {
			fuzz_tally(&F, "empty");
			continue;
		}
		if (mnl_socket_sendto(socks[s], dgram, len) < 0)
			die("send");
		rc = drain(socks[s]);
		for (i = 0; i < NR_SOCKS; i++)
			M.dumping[i] = false;
		if (rc) {
			printf("# input %lu: receive: %s: resynchronising\n",
			       F.done, errname(rc));
			resource_errors++;
			resync();
			continue;
		}
		ok = compare(s);
		fuzz_tally(&F, !nexp ? "ignored" : ok ? "as predicted" :
						  "NOT as predicted");
		if (!ok)
			resync();
		if (disagreements > MAX_REPORTS || mismatches > MAX_REPORTS)
			break;
		if (F.done % CHECK_EVERY == 0) {
			if (M.priv)
				check_state("during the run");
			else
				check_unpriv(&st0);
		}
	}
	if (M.priv)
		check_state("at the end");
	else
		check_unpriv(&st0);
	summary();
	rc = fuzz_end(&F);
	if (disagreements || mismatches) {
		printf("FAIL: %d disagreement(s) with the model, %d state mismatch(es)\n",
		       disagreements, mismatches);
		printf("FAIL: repeat with ARC_FUZZ_SEED=%llu\n",
		       (unsigned long long)F.seed);
		return 1;
	}
	for (i = 0; i < NR_SOCKS; i++)
		mnl_socket_close(socks[i]);
	mnl_socket_close(checker);
	return rc;
}
