// SPDX-License-Identifier: GPL-2.0
/*
 * A model-based fuzzer of the arcpkt generic netlink family.
 *
 * Every input is one datagram: one to three requests of any command
 * (unknown ones too), as do or dump, with random top-level attributes
 * (the configuration nest with every setting at in-range, boundary and
 * out-of-range values, wrong lengths, unknown and duplicate attributes, a
 * missing or stray NLA_F_NESTED; the attributes only replies carry), or
 * such a datagram mutated byte by byte.
 *
 * For a request built whole the model predicts what genetlink and
 * modules/pktan/netlink.c do: EOPNOTSUPP for unknown commands and for a
 * do/dump the command lacks, EPERM for a change without CAP_NET_ADMIN
 * over the namespace, EINVAL for anything strict validation or the range
 * checks refuse, and otherwise success and the new settings. A mutated
 * datagram is not predicted: the settings are read back after it (and
 * must not have moved without CAP_NET_ADMIN). Every CHECK_EVERY inputs
 * and at the end the namespace's settings must equal the model's, and
 * GET_STATS and the GET_TOP dump must answer.
 *
 *   pa_fuzz           with CAP_NET_ADMIN over the socket's namespace
 *   pa_fuzz --unpriv  without: RESET and SET_CONFIG must fail with EPERM
 *                     (a mutated one may also fail otherwise) and the
 *                     settings must never move
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
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <arc/pktan.h>

#include "../fuzz/fuzz.h"

#define FULL_COUNT	100000
#define CHECK_EVERY	250
#define MAX_DGRAM	4096
#define MAX_REQS	3
#define MAX_REPORTS	20
/* A request unanswered this long is a failure, not a hang. */
#define ANSWER_SECONDS	60

struct cfg {
	uint32_t v[ARCPKT_CFG_MAX + 1];
};

static struct mnl_socket *nl;
static uint16_t family;
static uint32_t seq;
static bool unpriv;
static unsigned int reports;
static char rbuf[256 * 1024];

/* Each setting's range, as the module checks it. */
static const struct { uint32_t min, max; bool u8; } range[ARCPKT_CFG_MAX + 1] = {
	[ARCPKT_CFG_SYN_THRESHOLD] = { 1, ARCPKT_SYN_THRESHOLD_MAX },
	[ARCPKT_CFG_SYN_WINDOW_MS] = { ARCPKT_WINDOW_MS_MIN, ARCPKT_WINDOW_MS_MAX },
	[ARCPKT_CFG_SCAN_THRESHOLD] = { 2, ARCPKT_SCAN_THRESHOLD_MAX },
	[ARCPKT_CFG_SCAN_WINDOW_MS] = { ARCPKT_WINDOW_MS_MIN, ARCPKT_WINDOW_MS_MAX },
	[ARCPKT_CFG_DNS] = { 0, 1, true },
	[ARCPKT_CFG_EVENT_RATE] = { 1, ARCPKT_EVENT_RATE_MAX },
	[ARCPKT_CFG_DETECT] = { 0, 1, true },
};

static void report(const char *what, const void *buf, size_t len)
{
	printf("# DISAGREEMENT: %s; the datagram (%zu bytes):", what, len);
	fuzz_hex(buf, len);
	if (++reports >= MAX_REPORTS) {
		printf("FAIL: too many disagreements\n");
		exit(1);
	}
}

/* Throw away whatever an earlier request left unread. */
static void drain(void)
{
	while (recv(mnl_socket_get_fd(nl), rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
		;
}

/*
 * Read until the answers to the @n requests @want[] have all ended (an
 * error or ack, or the end of a dump), each one's errno (0 for success)
 * in @got[] and, if @order is given, when it ended (0 first) in
 * @order[]; @cb sees their data messages. Requests sent in one datagram
 * may be answered interleaved: a dump's later parts come after the acks
 * of the requests that followed it, so none is thrown away here.
 */
static void answers(const uint32_t *want, int *got, unsigned int *order,
		    unsigned int n, mnl_cb_t cb, void *data)
{
	double until = fuzz_now() + ANSWER_SECONDS;
	unsigned long others = 0;
	bool ended[MAX_REQS] = { false };
	unsigned int left = n, i;

	while (left) {
		int len = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		struct nlmsghdr *h;

		if (len < 0 && errno == EAGAIN)
			len = 0;
		if (len < 0) {
			printf("FAIL: receive: %s\n", strerror(errno));
			exit(1);
		}
		/* The socket's receive timeout wakes this up now and then. */
		if (fuzz_now() > until) {
			for (i = 0; i < n; i++)
				if (!ended[i])
					printf("FAIL: no answer to request %u in %d s (%lu messages of no request meanwhile)\n",
					       want[i], ANSWER_SECONDS, others);
			exit(1);
		}
		for (h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			for (i = 0; i < n && (ended[i] || h->nlmsg_seq != want[i]); i++)
				;
			if (i == n) {
				others++;
				continue;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				got[i] = -((struct nlmsgerr *)mnl_nlmsg_get_payload(h))->error;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				got[i] = 0;
			} else {
				if (cb)
					cb(h, data);
				continue;
			}
			ended[i] = true;
			if (order)
				order[i] = n - left;
			left--;
		}
	}
}

/* answers() for one request: its errno. */
static int answer(uint32_t want, mnl_cb_t cb, void *data)
{
	int got;

	answers(&want, &got, NULL, 1, cb, data);
	return got;
}

static struct nlmsghdr *put_req(char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ARCPKT_GENL_VERSION;
	return nlh;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cfg *c = data;
	struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == ARCPKT_A_CONFIG)
			mnl_attr_for_each_nested(b, a) {
				unsigned int t = mnl_attr_get_type(b);

				if (t && t <= ARCPKT_CFG_MAX)
					c->v[t] = range[t].u8 ? mnl_attr_get_u8(b) :
						  mnl_attr_get_u32(b);
			}
	return MNL_CB_OK;
}

static void get_config(struct cfg *c)
{
	char buf[256];
	struct nlmsghdr *nlh = put_req(buf, ARCPKT_CMD_GET_CONFIG, 0);
	int err;

	drain();
	memset(c, 0, sizeof(*c));
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    (err = answer(nlh->nlmsg_seq, config_cb, c))) {
		printf("FAIL: GET_CONFIG: %s\n", strerror(errno));
		exit(1);
	}
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

/* GET_STATS and the GET_TOP dump still answer. */
static void check_reads(void)
{
	char buf[256];
	struct nlmsghdr *nlh;
	unsigned int n = 0;
	int err;

	drain();
	nlh = put_req(buf, ARCPKT_CMD_GET_STATS, 0);
	mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	err = answer(nlh->nlmsg_seq, count_cb, &n);
	if (err || n != 1) {
		printf("FAIL: GET_STATS: %s, %u replies\n", strerror(err), n);
		exit(1);
	}
	nlh = put_req(buf, ARCPKT_CMD_GET_TOP, NLM_F_DUMP);
	mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	err = answer(nlh->nlmsg_seq, NULL, NULL);
	if (err) {
		printf("FAIL: GET_TOP: %s\n", strerror(err));
		exit(1);
	}
}

static bool same(const struct cfg *a, const struct cfg *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static uint32_t value(struct fuzz *f, unsigned int t)
{
	switch (fuzz_below(f, 6)) {
	case 0:
		return range[t].min;
	case 1:
		return range[t].max;
	case 2:
		return range[t].min - 1;
	case 3:
		return range[t].max + 1;
	case 4:
		return (uint32_t)fuzz_edgy(f, 32);
	default:
		return range[t].min +
		       (uint32_t)fuzz_below(f, range[t].max - range[t].min + 1);
	}
}

/*
 * One request, built whole, with its prediction: the errno, and in
 * *@next the settings if it succeeds.
 */
static int build(struct fuzz *f, char *buf, const struct cfg *now,
		 struct cfg *next)
{
	static const uint8_t cmds[] = {
		ARCPKT_CMD_GET_STATS, ARCPKT_CMD_RESET, ARCPKT_CMD_GET_CONFIG,
		ARCPKT_CMD_SET_CONFIG, ARCPKT_CMD_SET_CONFIG,
		ARCPKT_CMD_SET_CONFIG, ARCPKT_CMD_GET_TOP,
	};
	uint8_t cmd = fuzz_chance(f, 12) ? (uint8_t)fuzz_below(f, 12) :
		      cmds[fuzz_below(f, sizeof(cmds))];
	bool dump = fuzz_chance(f, 6), admin, bad = false, have = false;
	struct nlmsghdr *nlh = put_req(buf, cmd, dump ? NLM_F_DUMP : 0);
	unsigned int i, n = (unsigned int)fuzz_below(f, 4);
	struct cfg c = *now;

	for (i = 0; i < n; i++) {
		unsigned int t;

		switch (fuzz_below(f, 8)) {
		case 0:		/* what only replies carry, or nothing known */
			t = (unsigned int)fuzz_below(f, ARCPKT_A_MAX + 3);
			if (t == ARCPKT_A_CONFIG)
				t = ARCPKT_A_STATS;
			mnl_attr_put_u32(nlh, t, (uint32_t)fuzz_rand(f));
			bad = true;
			break;
		case 1:		/* the nest without NLA_F_NESTED */
			mnl_attr_put_u32(nlh, ARCPKT_A_CONFIG, 0);
			bad = true;
			break;
		default: {
			struct nlattr *nest = mnl_attr_nest_start(nlh, ARCPKT_A_CONFIG);
			unsigned int k, m = (unsigned int)fuzz_below(f, 6);

			/* Duplicates: the last nest is the one parsed. */
			c = *now;
			have = true;
			for (k = 0; k < m; k++) {
				uint32_t v;

				t = (unsigned int)fuzz_below(f, ARCPKT_CFG_MAX + 3);
				if (!t || t > ARCPKT_CFG_MAX) {
					mnl_attr_put_u32(nlh, t, 1);
					bad = true;
					continue;
				}
				v = value(f, t);
				if (fuzz_chance(f, 12)) {	/* a wrong length */
					if (range[t].u8)
						mnl_attr_put_u32(nlh, t, v);
					else
						mnl_attr_put_u16(nlh, t, (uint16_t)v);
					bad = true;
					continue;
				}
				if (range[t].u8) {
					v &= 0xff;
					mnl_attr_put_u8(nlh, t, (uint8_t)v);
				} else {
					mnl_attr_put_u32(nlh, t, v);
				}
				/* Later duplicates win; the module checks them all. */
				c.v[t] = v;
			}
			mnl_attr_nest_end(nlh, nest);
			if (fuzz_chance(f, 16)) {	/* NLA_F_NESTED missing */
				nest->nla_type &= ~NLA_F_NESTED;
				bad = true;
			}
		}
		}
	}
	admin = cmd == ARCPKT_CMD_RESET || cmd == ARCPKT_CMD_SET_CONFIG;
	*next = *now;
	switch (cmd) {
	case ARCPKT_CMD_GET_STATS:
	case ARCPKT_CMD_RESET:
	case ARCPKT_CMD_GET_CONFIG:
	case ARCPKT_CMD_SET_CONFIG:
		if (dump)
			/* Kernels before 6.2 check permissions first. */
			return admin && unpriv ? -1 : EOPNOTSUPP;
		break;
	case ARCPKT_CMD_GET_TOP:
		if (!dump)
			return EOPNOTSUPP;
		break;
	default:
		return EOPNOTSUPP;
	}
	if (admin && unpriv)
		return EPERM;
	if (bad)
		return EINVAL;
	if (cmd != ARCPKT_CMD_SET_CONFIG)
		return 0;
	if (!have)
		return EINVAL;
	for (i = 1; i <= ARCPKT_CFG_MAX; i++)
		if (c.v[i] < range[i].min || c.v[i] > range[i].max)
			return EINVAL;
	*next = c;
	return 0;
}

/*
 * Whether dump request @i of a datagram met an earlier dump of the same
 * datagram still running: one that ended after @i was answered. A
 * netlink socket runs one dump at a time, and a dump that does not fit
 * its first message goes on only as the socket is read, so the second
 * dump is refused with EBUSY before the family sees it (seen on the
 * debug kernel, with the top talkers' table full of the traffic loop's
 * sources).
 */
static bool busy_dump(const bool *dumps, const unsigned int *order,
		      size_t i)
{
	size_t j;

	if (!dumps[i])
		return false;
	for (j = 0; j < i; j++)
		if (dumps[j] && order[j] > order[i])
			return true;
	return false;
}

static const char *errname(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EBUSY:
		return "EBUSY";
	default:
		return "other";
	}
}

int main(int argc, char **argv)
{
	static char dgram[MAX_DGRAM], one[MAX_DGRAM];
	struct cfg model, real, before;
	struct fuzz f;
	uint32_t seqs[MAX_REQS];
	int want[MAX_REQS], gots[MAX_REQS];
	unsigned int order[MAX_REQS];
	bool dumps[MAX_REQS];

	unpriv = argc > 1 && !strcmp(argv[1], "--unpriv");
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		printf("FAIL: netlink socket: %s\n", strerror(errno));
		return 1;
	}
	{
		struct timeval tv = { .tv_sec = 1 };

		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	{
		char buf[256];
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct genlmsghdr *g;
		struct nlattr *a;
		int n;

		nlh->nlmsg_type = GENL_ID_CTRL;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		nlh->nlmsg_seq = ++seq;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = CTRL_CMD_GETFAMILY;
		g->version = 1;
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ARCPKT_GENL_NAME);
		mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
		n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		nlh = (struct nlmsghdr *)rbuf;
		if (n <= 0 || nlh->nlmsg_type == NLMSG_ERROR) {
			printf("FAIL: no generic netlink family %s\n", ARCPKT_GENL_NAME);
			return 1;
		}
		mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
				family = mnl_attr_get_u16(a);
	}
	get_config(&model);
	before = model;
	fuzz_init(&f, unpriv ? "arcpkt-genl-unpriv" : "arcpkt-genl", FULL_COUNT);
	while (fuzz_next(&f)) {
		unsigned int nreq = 1 + (fuzz_chance(&f, 5) ?
					 (unsigned int)fuzz_below(&f, MAX_REQS) : 0);
		size_t len = 0, i;
		struct cfg next = model;

		drain();
		for (i = 0; i < nreq; i++) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)one;
			struct cfg after;

			want[i] = build(&f, one, &next, &after);
			seqs[i] = nlh->nlmsg_seq;
			dumps[i] = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
			memcpy(dgram + len, one, nlh->nlmsg_len);
			len += NLMSG_ALIGN(nlh->nlmsg_len);
			if (!want[i])
				next = after;
		}
		if (fuzz_chance(&f, 4)) {
			/* Mutated: not predicted; the settings are read back. */
			len = fuzz_mutate(&f, (unsigned char *)dgram, len, sizeof(dgram));
			fuzz_trace(&f, "mutated", dgram, len);
			/* The kernel may refuse it whole: that is an outcome too. */
			send(mnl_socket_get_fd(nl), dgram, len, 0);
			/* Away from any sequence number the mutation made. */
			seq += 1U << 20;
			get_config(&real);
			if (unpriv && !same(&real, &model))
				report("a mutated datagram changed the settings without CAP_NET_ADMIN",
				       dgram, len);
			model = real;
			fuzz_tally(&f, "mutated");
			continue;
		}
		fuzz_trace(&f, "requests", dgram, len);
		if (send(mnl_socket_get_fd(nl), dgram, len, 0) < 0) {
			printf("FAIL: send: %s\n", strerror(errno));
			return 1;
		}
		answers(seqs, gots, order, nreq, NULL, NULL);
		for (i = 0; i < nreq; i++) {
			int got = gots[i];

			if (got == EBUSY && busy_dump(dumps, order, i) &&
			    (want[i] == 0 || want[i] == EINVAL)) {
				fuzz_tally(&f, "EBUSY (a dump still running)");
				continue;
			}
			if (want[i] == -1 ? got != EPERM && got != EOPNOTSUPP :
			    got != want[i]) {
				char what[128];

				snprintf(what, sizeof(what), "request %zu of %u: got %s (%d), want %s",
					 i + 1, nreq, errname(got), got,
					 want[i] == -1 ? "EPERM or EOPNOTSUPP" :
					 errname(want[i]));
				report(what, dgram, len);
			}
			fuzz_tally(&f, want[i] == -1 ? "EPERM" : errname(want[i]));
		}
		model = next;
		if (f.done % CHECK_EVERY == 0) {
			get_config(&real);
			if (!same(&real, &model)) {
				report("the settings differ from the model's", dgram, len);
				model = real;
			}
			check_reads();
		}
	}
	get_config(&real);
	if (!same(&real, &model))
		report("the settings differ from the model's at the end", "", 0);
	if (unpriv && !same(&real, &before))
		report("the settings moved without CAP_NET_ADMIN", "", 0);
	check_reads();
	if (reports) {
		printf("FAIL: %u disagreements\n", reports);
		return 1;
	}
	return fuzz_end(&f);
}
