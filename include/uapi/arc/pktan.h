/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * arc_pktan generic netlink interface (family "arcpkt").
 *
 * Everything is per network namespace: a command acts on the namespace of
 * the socket that sends it, and detection events go to listeners in the
 * namespace where the packets were seen. Reading (GET_STATS, GET_CONFIG,
 * GET_TOP, the "events" group) is open to every user of the namespace,
 * like /proc/net/tcp; RESET and SET_CONFIG need CAP_NET_ADMIN in the user
 * namespace that owns the network namespace. Unknown attributes, wrong
 * types, bad lengths and values out of range are rejected with EINVAL and
 * an extack message; a rejected command changes nothing.
 */
#ifndef _UAPI_ARC_PKTAN_H
#define _UAPI_ARC_PKTAN_H

#define ARCPKT_GENL_NAME	"arcpkt"
#define ARCPKT_GENL_VERSION	1
#define ARCPKT_MCGRP_EVENTS	"events"

/**
 * enum arcpkt_cmd - commands
 * @ARCPKT_CMD_UNSPEC: unused
 * @ARCPKT_CMD_GET_STATS: reply carries ARCPKT_A_STATS
 * @ARCPKT_CMD_RESET: start every counter of the namespace again from zero
 *	and forget what the detectors and the top talkers have seen
 * @ARCPKT_CMD_GET_CONFIG: reply carries ARCPKT_A_CONFIG
 * @ARCPKT_CMD_SET_CONFIG: ARCPKT_A_CONFIG with the settings to change;
 *	absent ones keep their values
 * @ARCPKT_CMD_GET_TOP: dump request: one ARCPKT_A_TALKER per message,
 *	heaviest first
 * @ARCPKT_CMD_EVENT: a detection, sent to the "events" multicast group:
 *	ARCPKT_A_EVENT
 * @__ARCPKT_CMD_MAX: one past the last value
 */
enum arcpkt_cmd {
	ARCPKT_CMD_UNSPEC,
	ARCPKT_CMD_GET_STATS,
	ARCPKT_CMD_RESET,
	ARCPKT_CMD_GET_CONFIG,
	ARCPKT_CMD_SET_CONFIG,
	ARCPKT_CMD_GET_TOP,
	ARCPKT_CMD_EVENT,
	__ARCPKT_CMD_MAX,
};

#define ARCPKT_CMD_MAX (__ARCPKT_CMD_MAX - 1)

/**
 * enum arcpkt_attr - top-level attributes
 * @ARCPKT_A_UNSPEC: unused
 * @ARCPKT_A_STATS: nested &enum arcpkt_stats_attr (replies only)
 * @ARCPKT_A_CONFIG: nested &enum arcpkt_config_attr
 * @ARCPKT_A_TALKER: nested &enum arcpkt_talker_attr (replies only)
 * @ARCPKT_A_EVENT: nested &enum arcpkt_event_attr (events only)
 * @ARCPKT_A_PAD: padding for 64-bit attributes
 * @__ARCPKT_A_MAX: one past the last value
 */
enum arcpkt_attr {
	ARCPKT_A_UNSPEC,
	ARCPKT_A_STATS,
	ARCPKT_A_CONFIG,
	ARCPKT_A_TALKER,
	ARCPKT_A_EVENT,
	ARCPKT_A_PAD,
	__ARCPKT_A_MAX,
};

#define ARCPKT_A_MAX (__ARCPKT_A_MAX - 1)

/**
 * enum arcpkt_hook - where packets were counted
 * @ARCPKT_HOOK_PRE_ROUTING: every packet entering the namespace
 * @ARCPKT_HOOK_LOCAL_OUT: every packet the namespace sends (only with the
 *	module parameter local_out=1)
 * @ARCPKT_NR_HOOKS: how many
 */
enum arcpkt_hook {
	ARCPKT_HOOK_PRE_ROUTING,
	ARCPKT_HOOK_LOCAL_OUT,
	ARCPKT_NR_HOOKS,
};

/**
 * enum arcpkt_proto - protocol classes of the counters: the transport
 *	protocol after any IPv6 extension headers, as nft's meta l4proto
 * @ARCPKT_PROTO_TCP: TCP
 * @ARCPKT_PROTO_UDP: UDP
 * @ARCPKT_PROTO_ICMP: ICMP
 * @ARCPKT_PROTO_ICMPV6: ICMPv6
 * @ARCPKT_PROTO_OTHER: anything else, and IPv6 packets whose header chain
 *	is cut short
 * @ARCPKT_NR_PROTOS: how many
 */
enum arcpkt_proto {
	ARCPKT_PROTO_TCP,
	ARCPKT_PROTO_UDP,
	ARCPKT_PROTO_ICMP,
	ARCPKT_PROTO_ICMPV6,
	ARCPKT_PROTO_OTHER,
	ARCPKT_NR_PROTOS,
};

/**
 * enum arcpkt_malformed - why a packet counts as malformed (at most one
 *	reason per packet, the first found in this order); a malformed
 *	packet is counted by protocol too, and never feeds a detector
 * @ARCPKT_MAL_HEADER: IP header unreadable (shorter than its fixed
 *	header, unknown version, IPv4 header length out of range)
 * @ARCPKT_MAL_EXTHDR: IPv6 extension header chain runs past the packet
 * @ARCPKT_MAL_TINY_FRAG: first fragment too short to hold its TCP header
 *	or its IPv6 header chain (RFC 1858)
 * @ARCPKT_MAL_FRAG_OVERLAP: TCP fragment at offset 8, which would
 *	overwrite the TCP flags on reassembly (RFC 1858)
 * @ARCPKT_MAL_TRUNCATED: transport header announced but cut short
 * @ARCPKT_MAL_TCP_DOFF: TCP data offset below 5 words or past the packet
 * @ARCPKT_MAL_DNS: a message to port 53 that is not a well-formed DNS
 *	query (label too long, name longer than 255 bytes, a compression
 *	pointer that does not point backwards, cut short)
 * @ARCPKT_NR_MALFORMED: how many
 */
enum arcpkt_malformed {
	ARCPKT_MAL_HEADER,
	ARCPKT_MAL_EXTHDR,
	ARCPKT_MAL_TINY_FRAG,
	ARCPKT_MAL_FRAG_OVERLAP,
	ARCPKT_MAL_TRUNCATED,
	ARCPKT_MAL_TCP_DOFF,
	ARCPKT_MAL_DNS,
	ARCPKT_NR_MALFORMED,
};

/**
 * enum arcpkt_detect - detectors, the type of an event
 * @ARCPKT_DETECT_SYN_FLOOD: SYNs to one destination address and port
 *	that no handshake completed, over a window
 * @ARCPKT_DETECT_PORT_SCAN: distinct destination ports one source probed
 *	with TCP SYN, NULL, FIN or Xmas packets over a window
 * @ARCPKT_DETECT_DNS_QUERY: one DNS query (UDP or TCP to port 53)
 * @ARCPKT_NR_DETECT: how many
 */
enum arcpkt_detect {
	ARCPKT_DETECT_SYN_FLOOD,
	ARCPKT_DETECT_PORT_SCAN,
	ARCPKT_DETECT_DNS_QUERY,
	ARCPKT_NR_DETECT,
};

/* Bits of ARCPKT_EV_PROBES: the kinds of probe a port scan used. */
#define ARCPKT_PROBE_SYN	0x01
#define ARCPKT_PROBE_NULL	0x02
#define ARCPKT_PROBE_FIN	0x04
#define ARCPKT_PROBE_XMAS	0x08

/**
 * enum arcpkt_stats_attr - counters of a namespace (replies only)
 * @ARCPKT_S_UNSPEC: unused
 * @ARCPKT_S_COUNTER: nested &enum arcpkt_counter_attr, one per hook,
 *	family and protocol class, zeros included
 * @ARCPKT_S_MALFORMED: nested &enum arcpkt_counter_attr (KIND, PACKETS),
 *	one per &enum arcpkt_malformed
 * @ARCPKT_S_DETECTIONS: nested &enum arcpkt_counter_attr (KIND, PACKETS:
 *	detections), one per &enum arcpkt_detect
 * @ARCPKT_S_EVENTS_SUPPRESSED: u64, detections not sent as events
 *	because of the rate limit (the counts above include them)
 * @ARCPKT_S_EVICTIONS: u64, tracked sources, destinations and handshakes
 *	pushed out of the detectors' full tables by newer ones
 * @ARCPKT_S_MEMORY: u64, bytes the namespace's detectors and top talkers
 *	hold (fixed at the namespace's creation by the module parameters)
 * @ARCPKT_S_PAD: padding for 64-bit attributes
 * @__ARCPKT_S_MAX: one past the last value
 */
enum arcpkt_stats_attr {
	ARCPKT_S_UNSPEC,
	ARCPKT_S_COUNTER,
	ARCPKT_S_MALFORMED,
	ARCPKT_S_DETECTIONS,
	ARCPKT_S_EVENTS_SUPPRESSED,
	ARCPKT_S_EVICTIONS,
	ARCPKT_S_MEMORY,
	ARCPKT_S_PAD,
	__ARCPKT_S_MAX,
};

#define ARCPKT_S_MAX (__ARCPKT_S_MAX - 1)

/**
 * enum arcpkt_counter_attr - one counter row
 * @ARCPKT_C_UNSPEC: unused
 * @ARCPKT_C_HOOK: u8, &enum arcpkt_hook
 * @ARCPKT_C_FAMILY: u8, AF_INET or AF_INET6
 * @ARCPKT_C_KIND: u8, &enum arcpkt_proto, &enum arcpkt_malformed or
 *	&enum arcpkt_detect, as the enclosing attribute says
 * @ARCPKT_C_PACKETS: u64
 * @ARCPKT_C_BYTES: u64, bytes from the network header on
 * @ARCPKT_C_PAD: padding for 64-bit attributes
 * @__ARCPKT_C_MAX: one past the last value
 */
enum arcpkt_counter_attr {
	ARCPKT_C_UNSPEC,
	ARCPKT_C_HOOK,
	ARCPKT_C_FAMILY,
	ARCPKT_C_KIND,
	ARCPKT_C_PACKETS,
	ARCPKT_C_BYTES,
	ARCPKT_C_PAD,
	__ARCPKT_C_MAX,
};

#define ARCPKT_C_MAX (__ARCPKT_C_MAX - 1)

/* Limits of the settings. */
#define ARCPKT_WINDOW_MS_MIN		100
#define ARCPKT_WINDOW_MS_MAX		3600000
#define ARCPKT_SYN_THRESHOLD_MAX	1000000
#define ARCPKT_SCAN_THRESHOLD_MAX	64
#define ARCPKT_EVENT_RATE_MAX		10000

/**
 * enum arcpkt_config_attr - detector settings of a namespace
 * @ARCPKT_CFG_UNSPEC: unused
 * @ARCPKT_CFG_SYN_THRESHOLD: u32, 1 to ARCPKT_SYN_THRESHOLD_MAX: SYNs
 *	without a completed handshake to one destination within a window
 *	that make a SYN flood
 * @ARCPKT_CFG_SYN_WINDOW_MS: u32, ARCPKT_WINDOW_MS_MIN to _MAX
 * @ARCPKT_CFG_SCAN_THRESHOLD: u32, 2 to ARCPKT_SCAN_THRESHOLD_MAX:
 *	distinct destination ports from one source within a window that
 *	make a port scan
 * @ARCPKT_CFG_SCAN_WINDOW_MS: u32, ARCPKT_WINDOW_MS_MIN to _MAX
 * @ARCPKT_CFG_DNS: u8, 0 or 1: report DNS queries
 * @ARCPKT_CFG_EVENT_RATE: u32, 1 to ARCPKT_EVENT_RATE_MAX: events a
 *	second, at most, that the namespace sends (detections beyond it are
 *	counted, not sent)
 * @ARCPKT_CFG_DETECT: u8, 0 or 1: run the detectors and the top talkers
 *	(0: the counters alone, and the malformation kinds but DNS's)
 * @__ARCPKT_CFG_MAX: one past the last value
 */
enum arcpkt_config_attr {
	ARCPKT_CFG_UNSPEC,
	ARCPKT_CFG_SYN_THRESHOLD,
	ARCPKT_CFG_SYN_WINDOW_MS,
	ARCPKT_CFG_SCAN_THRESHOLD,
	ARCPKT_CFG_SCAN_WINDOW_MS,
	ARCPKT_CFG_DNS,
	ARCPKT_CFG_EVENT_RATE,
	ARCPKT_CFG_DETECT,
	__ARCPKT_CFG_MAX,
};

#define ARCPKT_CFG_MAX (__ARCPKT_CFG_MAX - 1)

/**
 * enum arcpkt_talker_attr - one top talker (replies only)
 * @ARCPKT_T_UNSPEC: unused
 * @ARCPKT_T_FAMILY: u8, AF_INET or AF_INET6
 * @ARCPKT_T_ADDR: binary, 4 or 16 bytes, the source address
 * @ARCPKT_T_PACKETS: u64, packets counted for it: at least its true
 *	count, at most @ARCPKT_T_ERROR more
 * @ARCPKT_T_BYTES: u64, its bytes since it last entered the table (all
 *	of them when @ARCPKT_T_ERROR is 0)
 * @ARCPKT_T_ERROR: u64, the most @ARCPKT_T_PACKETS can exceed the true
 *	count by
 * @ARCPKT_T_PAD: padding for 64-bit attributes
 * @__ARCPKT_T_MAX: one past the last value
 */
enum arcpkt_talker_attr {
	ARCPKT_T_UNSPEC,
	ARCPKT_T_FAMILY,
	ARCPKT_T_ADDR,
	ARCPKT_T_PACKETS,
	ARCPKT_T_BYTES,
	ARCPKT_T_ERROR,
	ARCPKT_T_PAD,
	__ARCPKT_T_MAX,
};

#define ARCPKT_T_MAX (__ARCPKT_T_MAX - 1)

/**
 * enum arcpkt_event_attr - one detection (events only)
 * @ARCPKT_EV_UNSPEC: unused
 * @ARCPKT_EV_TYPE: u8, &enum arcpkt_detect
 * @ARCPKT_EV_FAMILY: u8, AF_INET or AF_INET6
 * @ARCPKT_EV_SADDR: binary, 4 or 16 bytes: the source (for a SYN flood,
 *	the source of the SYN that crossed the threshold)
 * @ARCPKT_EV_DADDR: binary, 4 or 16 bytes: the destination
 * @ARCPKT_EV_DPORT: u16, destination port
 * @ARCPKT_EV_COUNT: u32, SYNs without a handshake (SYN flood) or distinct
 *	ports (port scan) in the window when the threshold was crossed
 * @ARCPKT_EV_PROBES: u8, ARCPKT_PROBE_* bits (port scan)
 * @ARCPKT_EV_QNAME: string, the queried name in dotted form, bytes other
 *	than letters, digits, '-' and '_' shown as '?' (DNS query)
 * @ARCPKT_EV_QTYPE: u16, the query type (DNS query)
 * @ARCPKT_EV_PROTO: u8, IPPROTO_UDP or IPPROTO_TCP (DNS query)
 * @__ARCPKT_EV_MAX: one past the last value
 */
enum arcpkt_event_attr {
	ARCPKT_EV_UNSPEC,
	ARCPKT_EV_TYPE,
	ARCPKT_EV_FAMILY,
	ARCPKT_EV_SADDR,
	ARCPKT_EV_DADDR,
	ARCPKT_EV_DPORT,
	ARCPKT_EV_COUNT,
	ARCPKT_EV_PROBES,
	ARCPKT_EV_QNAME,
	ARCPKT_EV_QTYPE,
	ARCPKT_EV_PROTO,
	__ARCPKT_EV_MAX,
};

#define ARCPKT_EV_MAX (__ARCPKT_EV_MAX - 1)

/* The longest ARCPKT_EV_QNAME, with its NUL. */
#define ARCPKT_QNAME_SIZE	254

#endif /* _UAPI_ARC_PKTAN_H */
