/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc_firewall generic netlink interface (family "arcfw").
 *
 * State is per network namespace: every command acts on the namespace of
 * the socket that sends it. Every command but GET_STATS needs CAP_NET_ADMIN
 * in the user namespace owning that network namespace (as listing the
 * rules does for nftables); GET_STATS, counters only, is open to everyone.
 * Memory a command makes the module hold is charged to the caller's
 * memory cgroup: past its limit the command fails with ENOMEM. A LIST
 * dump holds nothing between reads; a set replaced (FLUSH, REPLACE_COMMIT)
 * while it runs ends it with NLM_F_DUMP_INTR. Unknown attributes, wrong
 * types and bad lengths are rejected with EINVAL and an extack message;
 * a rejected command changes nothing.
 */
#ifndef _UAPI_ARC_FIREWALL_H
#define _UAPI_ARC_FIREWALL_H

#define ARCFW_GENL_NAME		"arcfw"
#define ARCFW_GENL_VERSION	1

/**
 * enum arcfw_cmd - commands
 * @ARCFW_CMD_UNSPEC: unused
 * @ARCFW_CMD_ADD: block one or more prefixes: ARCFW_A_ENTRY, repeated.
 *	All entries are validated first; entries already present are kept
 *	(with their counters). ENOSPC, and nothing added, if the set would
 *	exceed max_entries.
 * @ARCFW_CMD_DEL: unblock ARCFW_A_ENTRY prefixes (exact prefix match).
 *	ENOENT, and nothing removed, if one of them is not in the set.
 * @ARCFW_CMD_FLUSH: remove every entry.
 * @ARCFW_CMD_LIST: dump request; one ARCFW_A_ENTRY (with counters) per
 *	message. Interrupted dumps (the set changed) carry NLM_F_DUMP_INTR.
 * @ARCFW_CMD_GET_STATS: reply carries ARCFW_A_STATS.
 * @ARCFW_CMD_SET_SSH: configure the port rule: ARCFW_A_SSH.
 * @ARCFW_CMD_GET_SSH: reply carries ARCFW_A_SSH.
 * @ARCFW_CMD_REPLACE_BEGIN: start an atomic replacement of the whole set.
 *	A new, empty staging set belongs to the sending socket (EBUSY if
 *	another socket has one open; one left open is dropped when its
 *	socket closes).
 * @ARCFW_CMD_REPLACE_ADD: like ADD, into the staging set.
 * @ARCFW_CMD_REPLACE_COMMIT: make the staging set the live set in one
 *	pointer swap: every packet is evaluated against the old set or the
 *	new one, never a mix.
 * @ARCFW_CMD_REPLACE_ABORT: drop the staging set.
 * @__ARCFW_CMD_MAX: one past the last value
 */
enum arcfw_cmd {
	ARCFW_CMD_UNSPEC,
	ARCFW_CMD_ADD,
	ARCFW_CMD_DEL,
	ARCFW_CMD_FLUSH,
	ARCFW_CMD_LIST,
	ARCFW_CMD_GET_STATS,
	ARCFW_CMD_SET_SSH,
	ARCFW_CMD_GET_SSH,
	ARCFW_CMD_REPLACE_BEGIN,
	ARCFW_CMD_REPLACE_ADD,
	ARCFW_CMD_REPLACE_COMMIT,
	ARCFW_CMD_REPLACE_ABORT,
	__ARCFW_CMD_MAX,
};

#define ARCFW_CMD_MAX (__ARCFW_CMD_MAX - 1)

/**
 * enum arcfw_attr - top-level attributes
 * @ARCFW_A_UNSPEC: unused
 * @ARCFW_A_ENTRY: nested &enum arcfw_entry_attr: one prefix
 * @ARCFW_A_STATS: nested &enum arcfw_stats_attr
 * @ARCFW_A_SSH: nested &enum arcfw_ssh_attr
 * @__ARCFW_A_MAX: one past the last value
 */
enum arcfw_attr {
	ARCFW_A_UNSPEC,
	ARCFW_A_ENTRY,
	ARCFW_A_STATS,
	ARCFW_A_SSH,
	__ARCFW_A_MAX,
};

#define ARCFW_A_MAX (__ARCFW_A_MAX - 1)

/**
 * enum arcfw_entry_attr - one prefix
 * @ARCFW_E_UNSPEC: unused
 * @ARCFW_E_FAMILY: u8, AF_INET or AF_INET6
 * @ARCFW_E_ADDR: binary, 4 bytes (AF_INET) or 16 (AF_INET6), network
 *	order; bits past the prefix length must be zero
 * @ARCFW_E_PREFIXLEN: u8, 0-32 (AF_INET) or 0-128 (AF_INET6)
 * @ARCFW_E_PACKETS: u64, packets dropped by this entry (replies only)
 * @ARCFW_E_BYTES: u64, bytes dropped by this entry (replies only)
 * @ARCFW_E_PAD: padding for 64-bit attributes
 * @__ARCFW_E_MAX: one past the last value
 */
enum arcfw_entry_attr {
	ARCFW_E_UNSPEC,
	ARCFW_E_FAMILY,
	ARCFW_E_ADDR,
	ARCFW_E_PREFIXLEN,
	ARCFW_E_PACKETS,
	ARCFW_E_BYTES,
	ARCFW_E_PAD,
	__ARCFW_E_MAX,
};

#define ARCFW_E_MAX (__ARCFW_E_MAX - 1)

/**
 * enum arcfw_stats_attr - namespace-wide counters (replies only)
 * @ARCFW_S_UNSPEC: unused
 * @ARCFW_S_PACKETS: u64, packets dropped by the blocklist
 * @ARCFW_S_BYTES: u64, bytes dropped by the blocklist
 * @ARCFW_S_SSH_PACKETS: u64, packets dropped by the port rule
 * @ARCFW_S_SSH_BYTES: u64, bytes dropped by the port rule
 * @ARCFW_S_ENTRIES: u32, entries in the live set
 * @ARCFW_S_MAX_ENTRIES: u32, the cap (module parameter max_entries)
 * @ARCFW_S_PAD: padding for 64-bit attributes
 * @ARCFW_S_FILTER_BYTES: u64, memory of the live set's filter, which
 *	answers most lookups that find no entry (grows with the set, about
 *	one to two bytes an entry)
 * @ARCFW_S_TABLE_BYTES: u64, memory of the live set's hash table: one
 *	64-byte slot per entry and as many again free, give or take a half
 *	(the table doubles or halves as the set grows or shrinks)
 * @__ARCFW_S_MAX: one past the last value
 */
enum arcfw_stats_attr {
	ARCFW_S_UNSPEC,
	ARCFW_S_PACKETS,
	ARCFW_S_BYTES,
	ARCFW_S_SSH_PACKETS,
	ARCFW_S_SSH_BYTES,
	ARCFW_S_ENTRIES,
	ARCFW_S_MAX_ENTRIES,
	ARCFW_S_PAD,
	ARCFW_S_FILTER_BYTES,
	ARCFW_S_TABLE_BYTES,
	__ARCFW_S_MAX,
};

#define ARCFW_S_MAX (__ARCFW_S_MAX - 1)

/* At most this many ports and local prefixes in the port rule. */
#define ARCFW_SSH_MAX_PORTS	16
#define ARCFW_SSH_MAX_LOCAL	32

/**
 * enum arcfw_ssh_attr - the port rule ("SSH guard")
 * @ARCFW_SSH_UNSPEC: unused
 * @ARCFW_SSH_ENABLED: u8, 0 or 1: drop TCP to @ARCFW_SSH_PORTS unless the
 *	source is in @ARCFW_SSH_LOCAL
 * @ARCFW_SSH_PORTS: nested, ARCFW_SSH_PORT (u16, host order, 1-65535)
 *	repeated, at most ARCFW_SSH_MAX_PORTS; absent in SET_SSH: unchanged
 * @ARCFW_SSH_LOCAL: nested, ARCFW_A_ENTRY repeated (family, address,
 *	prefix length), at most ARCFW_SSH_MAX_LOCAL; absent: unchanged
 * @ARCFW_SSH_PORT: one port inside @ARCFW_SSH_PORTS
 * @__ARCFW_SSH_MAX: one past the last value
 */
enum arcfw_ssh_attr {
	ARCFW_SSH_UNSPEC,
	ARCFW_SSH_ENABLED,
	ARCFW_SSH_PORTS,
	ARCFW_SSH_LOCAL,
	ARCFW_SSH_PORT,
	__ARCFW_SSH_MAX,
};

#define ARCFW_SSH_MAX (__ARCFW_SSH_MAX - 1)

#endif /* _UAPI_ARC_FIREWALL_H */
