/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agenl: the generic netlink client the arc tools share, on libmnl:
 * resolve a family (and a multicast group), build requests, send one and
 * read its answer, turning the kernel's error and extack message into the
 * tool's exit status and message.
 */
#ifndef _ARC_AGENL_H
#define _ARC_AGENL_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* Room for one request. */
#define AGENL_MSG_BUF	(64 * 1024)

/**
 * struct agenl_errno - an errno the kernel may answer with, as a tool's
 *	exit status
 * @err: the errno (positive); 0 ends a table
 * @code: the exit status
 * @hint: said after the message when the kernel gave none, or NULL
 */
struct agenl_errno {
	int err;
	int code;
	const char *hint;
};

/**
 * struct agenl - a tool's generic netlink connection
 * @family: the family's name
 * @module: the module that registers it (named when it is missing)
 * @version: the family's version, sent in every request
 * @nomodule_code: exit status when the family does not exist
 * @fail_code: exit status when the socket or a reply fails
 * @errors: the exit status of an error reply by its errno, a table ended
 *	by a zero &agenl_errno.err; @fail_code for any other errno
 * @nl: the socket (agenl_open())
 * @id: the family's id (agenl_open())
 * @group: the multicast group's id, if agenl_open() was asked for one
 * @seq: sequence number of the last request
 */
struct agenl {
	const char *family;
	const char *module;
	uint8_t version;
	int nomodule_code;
	int fail_code;
	const struct agenl_errno *errors;
	struct mnl_socket *nl;
	uint16_t id;
	uint32_t group;
	uint32_t seq;
};

/* The tool's name, for messages. */
extern const char *agenl_prog;

void agenl_die(int code, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void agenl_open(struct agenl *g, const char *group);
struct nlmsghdr *agenl_msg(struct agenl *g, uint8_t cmd, uint16_t flags);
bool agenl_transact(struct agenl *g, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, const char *what);

#endif /* _ARC_AGENL_H */
