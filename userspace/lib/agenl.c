// SPDX-License-Identifier: GPL-2.0
/*
 * agenl: the generic netlink client the arc tools share (see agenl.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "agenl.h"

const char *agenl_prog = "arc";

static char buf[AGENL_MSG_BUF];

void agenl_die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", agenl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static struct nlmsghdr *msg_put(uint32_t *seq, uint16_t type, uint8_t cmd,
				uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++*seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

/**
 * agenl_msg() - start a request to the family
 * @g: an open connection
 * @cmd: the command
 * @flags: NLM_F_* besides NLM_F_REQUEST
 *
 * Return: the request, in a buffer of AGENL_MSG_BUF bytes that the next
 * call reuses.
 */
struct nlmsghdr *agenl_msg(struct agenl *g, uint8_t cmd, uint16_t flags)
{
	return msg_put(&g->seq, g->id, cmd, g->version, flags);
}

struct resolve {
	struct agenl *g;
	const char *group;
};

static int group_cb(const struct nlattr *grp, struct resolve *r)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 !mnl_attr_validate(a, MNL_TYPE_U32))
			id = mnl_attr_get_u32(a);
	}
	if (name && r->group && !strcmp(name, r->group))
		r->g->group = id;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve *r = data;
	const struct nlattr *a, *grp;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    !mnl_attr_validate(a, MNL_TYPE_U16))
			r->g->id = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			mnl_attr_for_each_nested(grp, a)
				group_cb(grp, r);
	}
	return MNL_CB_OK;
}

/**
 * agenl_open() - open a socket and resolve the family
 * @g: the connection, its family, module, version, exit codes and error
 *	callback set
 * @group: a multicast group of the family to resolve into @g->group, or
 *	NULL
 *
 * Exits with @g->nomodule_code if the family (or the group) does not
 * exist, with @g->fail_code on any other failure.
 */
void agenl_open(struct agenl *g, const char *group)
{
	static char rbuf[64 * 1024];
	struct resolve r = { .g = g, .group = group };
	struct nlmsghdr *nlh;
	uint32_t portid;
	int one = 1;
	ssize_t n;

	g->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!g->nl)
		agenl_die(g->fail_code, "netlink socket: %s", strerror(errno));
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		agenl_die(g->fail_code, "netlink bind: %s", strerror(errno));
	/* Ask for the kernel's error messages; keep acks small. */
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	g->seq = time(NULL);
	portid = mnl_socket_get_portid(g->nl);
	nlh = msg_put(&g->seq, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, g->family);
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		agenl_die(g->fail_code, "send: %s", strerror(errno));
	while (!g->id) {
		n = mnl_socket_recvfrom(g->nl, rbuf, sizeof(rbuf));
		if (n < 0)
			agenl_die(g->fail_code, "receive: %s", strerror(errno));
		if (mnl_cb_run(rbuf, n, g->seq, portid, family_cb, &r) >= 0)
			continue;
		if (errno == ENOENT)
			agenl_die(g->nomodule_code,
				  "%s is not loaded (no generic netlink family '%s'): modprobe %s",
				  g->module, g->family, g->module);
		agenl_die(g->fail_code, "resolving '%s': %s", g->family,
			  strerror(errno));
	}
	if (group && !g->group)
		agenl_die(g->nomodule_code,
			  "generic netlink family '%s' has no group '%s': is %s too old?",
			  g->family, group, g->module);
}

static int ext_ack_cb(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* An error reply: @err the errno, @kmsg the kernel's message or NULL. */
static void __attribute__((noreturn))
agenl_fail(const struct agenl *g, int err, const char *what, const char *kmsg)
{
	const struct agenl_errno *e = g->errors;
	int code = g->fail_code;
	const char *hint = NULL;

	for (; e && e->err; e++) {
		if (e->err == err) {
			code = e->code;
			hint = e->hint;
			break;
		}
	}
	if (kmsg && *kmsg)
		agenl_die(code, "%s: %s (%s)", what, kmsg, strerror(err));
	agenl_die(code, "%s: %s%s%s", what, strerror(err), hint ? " " : "",
		  hint ? hint : "");
}

/**
 * agenl_transact() - send a request and read its whole answer
 * @g: an open connection
 * @nlh: the request (agenl_msg())
 * @cb: called for each data message of the answer, or NULL
 * @data: passed to @cb
 * @what: what the request does, for messages
 *
 * An error reply ends the tool: its message is the kernel's (extack) or
 * else the errno's, and its exit status that of @g->errors.
 *
 * Return: whether a message of a dump carried NLM_F_DUMP_INTR.
 */
bool agenl_transact(struct agenl *g, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, const char *what)
{
	static char rbuf[256 * 1024];
	uint32_t portid = mnl_socket_get_portid(g->nl);
	uint32_t want = nlh->nlmsg_seq;
	bool intr = false;
	ssize_t n;

	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0)
		agenl_die(g->fail_code, "%s: send: %s", what, strerror(errno));
	for (;;) {
		struct nlmsghdr *h;
		int len;

		n = mnl_socket_recvfrom(g->nl, rbuf, sizeof(rbuf));
		if (n < 0)
			agenl_die(g->fail_code, "%s: receive: %s", what,
				  strerror(errno));
		len = n;
		for (h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			if (!mnl_nlmsg_portid_ok(h, portid) ||
			    !mnl_nlmsg_seq_ok(h, want))
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				const char *kmsg = NULL;
				unsigned int off = sizeof(*e);

				if (!e->error)
					return intr;	/* the ack */
				if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
					if (!(h->nlmsg_flags & NLM_F_CAPPED))
						off += e->msg.nlmsg_len - sizeof(e->msg);
					mnl_attr_parse(h, off, ext_ack_cb, &kmsg);
				}
				agenl_fail(g, -e->error, what, kmsg);
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return intr;
			if (cb && cb(h, data) < 0)
				agenl_die(g->fail_code, "%s: bad reply", what);
		}
	}
}
