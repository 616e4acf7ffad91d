// SPDX-License-Identifier: GPL-2.0
/*
 * arcfw generic netlink: malformed requests get EINVAL (or the errno the
 * UAPI documents) and change nothing; the module keeps working; an
 * unprivileged caller can read the counters and nothing else.
 * Run inside a namespace where arc_firewall is loaded (nl.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <arc/firewall.h>

#include "fw_mnl.h"
#include "kselftest_harness.h"

static char buf[16384];
static uint16_t fam;
static unsigned int seq;

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			fam = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static struct nlmsghdr *start(uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* Send and return 0 or the negative errno of the kernel's answer. */
static int run(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
	       void *data)
{
	char rbuf[65536];

	return fw_mnl_run(nl, nlh, cb, data, rbuf, sizeof(rbuf));
}

static struct mnl_socket *open_nl(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return NULL;
	seq = time(NULL);
	nlh = start(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ARCFW_GENL_NAME);
	if (run(nl, nlh, family_cb, NULL) || !fam)
		return NULL;
	return nl;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int entries(struct mnl_socket *nl)
{
	int n = 0;

	if (run(nl, start(fam, ARCFW_CMD_LIST, NLM_F_DUMP), count_cb, &n))
		return -1;
	return n;
}

/* An ARCFW_A_ENTRY nest, left open; a negative value leaves its attribute out. */
static struct nlattr *entry_open(struct nlmsghdr *nlh, int family,
				 const void *addr, int alen, int plen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ARCFW_A_ENTRY);

	if (family >= 0)
		mnl_attr_put_u8(nlh, ARCFW_E_FAMILY, family);
	if (alen >= 0)
		mnl_attr_put(nlh, ARCFW_E_ADDR, alen, addr);
	if (plen >= 0)
		mnl_attr_put_u8(nlh, ARCFW_E_PREFIXLEN, plen);
	return nest;
}

/* The same nest, closed. */
static void entry(struct nlmsghdr *nlh, int family, const void *addr,
		  int alen, int plen)
{
	mnl_attr_nest_end(nlh, entry_open(nlh, family, addr, alen, plen));
}

static const uint8_t v4[16] = { 198, 51, 100, 77 };
static const uint8_t v6[17] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

FIXTURE(nl) {
	struct mnl_socket *nl;
	int before;
};

FIXTURE_SETUP(nl)
{
	struct nlmsghdr *nlh;

	self->nl = open_nl();
	ASSERT_NE(NULL, self->nl) TH_LOG("arcfw family not found: module loaded?");
	ASSERT_EQ(0, run(self->nl, start(fam, ARCFW_CMD_FLUSH, 0), NULL, NULL));
	nlh = start(fam, ARCFW_CMD_ADD, 0);
	entry(nlh, AF_INET, v4, 4, 32);
	ASSERT_EQ(0, run(self->nl, nlh, NULL, NULL));
	self->before = entries(self->nl);
	ASSERT_EQ(1, self->before);
}

FIXTURE_TEARDOWN(nl)
{
	/* Whatever was sent, the module still answers and nothing changed. */
	EXPECT_EQ(self->before, entries(self->nl));
	mnl_socket_close(self->nl);
}

#define EXPECT_ADD_FAILS(err, family, addr, alen, plen)			\
	do {								\
		struct nlmsghdr *m = start(fam, ARCFW_CMD_ADD, 0);	\
		entry(m, family, addr, alen, plen);			\
		EXPECT_EQ(-(err), run(self->nl, m, NULL, NULL));	\
	} while (0)

TEST_F(nl, missing_attributes)
{
	EXPECT_EQ(-EINVAL, run(self->nl, start(fam, ARCFW_CMD_ADD, 0), NULL, NULL));
	EXPECT_ADD_FAILS(EINVAL, -1, v4, 4, 32);
	EXPECT_ADD_FAILS(EINVAL, AF_INET, v4, -1, 32);
	EXPECT_ADD_FAILS(EINVAL, AF_INET, v4, 4, -1);
	EXPECT_EQ(-EINVAL, run(self->nl, start(fam, ARCFW_CMD_SET_SSH, 0), NULL, NULL));
}

TEST_F(nl, bad_lengths_and_values)
{
	EXPECT_ADD_FAILS(EINVAL, AF_INET, v4, 5, 32);		/* v4 with 5 bytes */
	EXPECT_ADD_FAILS(EINVAL, AF_INET6, v6, 4, 64);		/* v6 with 4 bytes */
	EXPECT_ADD_FAILS(EINVAL, AF_INET6, v6, 17, 64);		/* oversized */
	EXPECT_ADD_FAILS(EINVAL, AF_INET, v4, 4, 33);		/* /33 */
	EXPECT_ADD_FAILS(EINVAL, AF_INET6, v6, 16, 129);	/* /129 */
	EXPECT_ADD_FAILS(EINVAL, AF_INET6, v6, 16, 255);
	EXPECT_ADD_FAILS(EINVAL, 7, v4, 4, 32);			/* family 7 */
	EXPECT_ADD_FAILS(EINVAL, AF_INET, v4, 4, 24);		/* host bits */
}

TEST_F(nl, wrong_types_and_unknown_attributes)
{
	struct nlmsghdr *m;
	struct nlattr *nest;

	/* family as u32 instead of u8 */
	m = start(fam, ARCFW_CMD_ADD, 0);
	nest = mnl_attr_nest_start(m, ARCFW_A_ENTRY);
	mnl_attr_put_u32(m, ARCFW_E_FAMILY, AF_INET);
	mnl_attr_put(m, ARCFW_E_ADDR, 4, v4);
	mnl_attr_put_u8(m, ARCFW_E_PREFIXLEN, 32);
	mnl_attr_nest_end(m, nest);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));

	/* entry not nested */
	m = start(fam, ARCFW_CMD_ADD, 0);
	mnl_attr_put(m, ARCFW_A_ENTRY, 4, v4);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));

	/* unknown top-level and nested attributes */
	m = start(fam, ARCFW_CMD_ADD, 0);
	entry(m, AF_INET, v4, 4, 32);
	mnl_attr_put_u32(m, ARCFW_A_MAX + 5, 1);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));
	m = start(fam, ARCFW_CMD_ADD, 0);
	nest = entry_open(m, AF_INET, v4, 4, 32);
	mnl_attr_put_u8(m, ARCFW_E_MAX + 3, 1);
	mnl_attr_nest_end(m, nest);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));

	/* reply-only attributes in a request */
	m = start(fam, ARCFW_CMD_ADD, 0);
	nest = entry_open(m, AF_INET, v4, 4, 32);
	mnl_attr_put_u64(m, ARCFW_E_PACKETS, 5);
	mnl_attr_nest_end(m, nest);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));
	m = start(fam, ARCFW_CMD_ADD, 0);
	mnl_attr_put_u64(m, ARCFW_A_STATS, 5);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));
}

TEST_F(nl, one_bad_entry_rejects_the_batch)
{
	struct nlmsghdr *m = start(fam, ARCFW_CMD_ADD, 0);
	uint8_t a[4] = { 203, 0, 113, 1 };

	entry(m, AF_INET, a, 4, 32);
	entry(m, AF_INET, v4, 4, 31);	/* host bit set */
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));
}

TEST_F(nl, ssh_rule_validation)
{
	struct nlmsghdr *m;
	struct nlattr *n, *l;
	int i;

	m = start(fam, ARCFW_CMD_SET_SSH, 0);
	n = mnl_attr_nest_start(m, ARCFW_A_SSH);
	mnl_attr_put_u8(m, ARCFW_SSH_ENABLED, 2);
	mnl_attr_nest_end(m, n);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));

	m = start(fam, ARCFW_CMD_SET_SSH, 0);
	n = mnl_attr_nest_start(m, ARCFW_A_SSH);
	l = mnl_attr_nest_start(m, ARCFW_SSH_PORTS);
	mnl_attr_put_u16(m, ARCFW_SSH_PORT, 0);
	mnl_attr_nest_end(m, l);
	mnl_attr_nest_end(m, n);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));

	m = start(fam, ARCFW_CMD_SET_SSH, 0);
	n = mnl_attr_nest_start(m, ARCFW_A_SSH);
	l = mnl_attr_nest_start(m, ARCFW_SSH_PORTS);
	for (i = 0; i < ARCFW_SSH_MAX_PORTS + 1; i++)
		mnl_attr_put_u16(m, ARCFW_SSH_PORT, 1000 + i);
	mnl_attr_nest_end(m, l);
	mnl_attr_nest_end(m, n);
	EXPECT_EQ(-EINVAL, run(self->nl, m, NULL, NULL));
}

TEST_F(nl, delete_and_replace_errors)
{
	struct nlmsghdr *m = start(fam, ARCFW_CMD_DEL, 0);
	uint8_t a[4] = { 203, 0, 113, 9 };

	entry(m, AF_INET, a, 4, 32);
	EXPECT_EQ(-ENOENT, run(self->nl, m, NULL, NULL));
	m = start(fam, ARCFW_CMD_DEL, 0);
	entry(m, AF_INET, v4, 4, 32);
	entry(m, AF_INET, a, 4, 32);	/* absent: nothing is deleted */
	EXPECT_EQ(-ENOENT, run(self->nl, m, NULL, NULL));
	m = start(fam, ARCFW_CMD_REPLACE_ADD, 0);
	entry(m, AF_INET, a, 4, 32);
	EXPECT_EQ(-ENOENT, run(self->nl, m, NULL, NULL));
	EXPECT_EQ(-ENOENT, run(self->nl, start(fam, ARCFW_CMD_REPLACE_COMMIT, 0),
			       NULL, NULL));
	/* A replacement left open is dropped when its socket closes. */
	{
		struct mnl_socket *other = open_nl();

		ASSERT_NE(NULL, other);
		EXPECT_EQ(0, run(other, start(fam, ARCFW_CMD_REPLACE_BEGIN, 0),
				 NULL, NULL));
		EXPECT_EQ(-EBUSY, run(self->nl, start(fam, ARCFW_CMD_REPLACE_BEGIN, 0),
				      NULL, NULL));
		mnl_socket_close(other);
		EXPECT_EQ(0, run(self->nl, start(fam, ARCFW_CMD_REPLACE_BEGIN, 0),
				 NULL, NULL));
		EXPECT_EQ(0, run(self->nl, start(fam, ARCFW_CMD_REPLACE_ABORT, 0),
				 NULL, NULL));
	}
}

TEST_F(nl, unprivileged_cannot_change_or_list)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mnl_socket *nl;
		struct nlmsghdr *m;
		uint8_t a[4] = { 203, 0, 113, 7 };
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		nl = open_nl();
		if (!nl)
			_exit(11);
		m = start(fam, ARCFW_CMD_ADD, 0);
		entry(m, AF_INET, a, 4, 32);
		bad |= run(nl, m, NULL, NULL) != -EPERM;
		bad |= run(nl, start(fam, ARCFW_CMD_FLUSH, 0), NULL, NULL) != -EPERM;
		bad |= run(nl, start(fam, ARCFW_CMD_REPLACE_BEGIN, 0), NULL, NULL) != -EPERM;
		m = start(fam, ARCFW_CMD_DEL, 0);
		entry(m, AF_INET, v4, 4, 32);
		bad |= run(nl, m, NULL, NULL) != -EPERM;
		/* The rules are the administrator's, as nft's are; counters not. */
		bad |= entries(nl) != -1;
		bad |= run(nl, start(fam, ARCFW_CMD_LIST, NLM_F_DUMP), NULL,
			   NULL) != -EPERM;
		bad |= run(nl, start(fam, ARCFW_CMD_GET_SSH, 0), NULL, NULL) != -EPERM;
		bad |= run(nl, start(fam, ARCFW_CMD_GET_STATS, 0), NULL, NULL) != 0;
		_exit(bad ? 12 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
