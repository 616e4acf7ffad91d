/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The request-and-answers loop of the firewall's netlink tests (fw_nl.c,
 * fw_fuzz.c): one place for it.
 */
#ifndef ARC_SELFTESTS_FW_MNL_H
#define ARC_SELFTESTS_FW_MNL_H

#include <errno.h>
#include <libmnl/libmnl.h>

/*
 * fw_mnl_run() - send @nlh on @nl and run @cb on every answer until its
 * ACK or the end of its dump, reading into @rbuf (@rlen bytes).
 * Returns 0, or the negative errno of the send, the receive or the ACK.
 */
static inline int fw_mnl_run(struct mnl_socket *nl, struct nlmsghdr *nlh,
			     mnl_cb_t cb, void *data, void *rbuf, size_t rlen)
{
	int n, ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, rbuf, rlen);
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(rbuf, n, nlh->nlmsg_seq,
				 mnl_socket_get_portid(nl), cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

#endif /* ARC_SELFTESTS_FW_MNL_H */
