// SPDX-License-Identifier: GPL-2.0
/*
 * arcpkt: read and configure arc_pktan over generic netlink (libmnl).
 * See arcpkt(8) or `arcpkt help`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <arc/pktan.h>

#include "../lib/agenl.h"
#include "arcpkt.h"

static bool json;

static const char *const hook_names[ARCPKT_NR_HOOKS] = {
	"pre_routing", "local_out",
};
static const char *const proto_names[ARCPKT_NR_PROTOS] = {
	"tcp", "udp", "icmp", "icmpv6", "other",
};
static const char *const mal_names[ARCPKT_NR_MALFORMED] = {
	"header", "exthdr", "tiny_frag", "frag_overlap", "truncated",
	"tcp_doff", "dns",
};
static const char *const detect_names[ARCPKT_NR_DETECT] = {
	"syn_flood", "port_scan", "dns_query",
};

const char *arcpkt_hook_name(unsigned int hook)
{
	return hook < ARCPKT_NR_HOOKS ? hook_names[hook] : "?";
}

const char *arcpkt_proto_name(unsigned int proto)
{
	return proto < ARCPKT_NR_PROTOS ? proto_names[proto] : "?";
}

const char *arcpkt_detect_name(unsigned int type)
{
	return type < ARCPKT_NR_DETECT ? detect_names[type] : "?";
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: arcpkt [--json] COMMAND [ARGS]\n"
		"\n"
		"  stats                      counters of this network namespace\n"
		"  reset                      counters from zero; detectors and top talkers forget\n"
		"  config                     show the detector settings\n"
		"  config KEY VALUE ...       change them (needs CAP_NET_ADMIN); KEY is one of\n"
		"                             syn-threshold syn-window-ms scan-threshold\n"
		"                             scan-window-ms event-rate dns (on|off)\n"
		"                             detect (on|off)\n"
		"  top [-n N] [--once] [--interval SECONDS]\n"
		"                             heaviest sources, refreshed like top(1)\n"
		"  events [--count N] [--timeout SECONDS]\n"
		"                             print detections as they happen\n"
		"  trace [-n N] [--interval SECONDS] [--duration SECONDS]\n"
		"                             the same seen through BPF programs on\n"
		"                             arc_pktan's tracepoints (libbpf)\n"
		"  help                       this text\n"
		"\n"
		"Exit status: 0 ok, 1 usage, 2 arc_pktan not loaded, 3 not permitted,\n"
		"4 invalid value, 5 timeout (events), 7 other failure.\n");
}

/* The kernel's errnos as arcpkt's exit statuses. */
static const struct agenl_errno pa_errors[] = {
	{ EPERM, EX_PERM, "(changing arc_pktan needs CAP_NET_ADMIN)" },
	{ EACCES, EX_PERM, "(changing arc_pktan needs CAP_NET_ADMIN)" },
	{ EINVAL, EX_INVAL, NULL },
	{ ERANGE, EX_INVAL, NULL },
	{ 0 }
};

static struct agenl pa = {
	.family = ARCPKT_GENL_NAME,
	.module = "arc_pktan",
	.version = ARCPKT_GENL_VERSION,
	.nomodule_code = EX_NOMODULE,
	.fail_code = EX_FAIL,
	.errors = pa_errors,
};

struct stats {
	uint64_t packets[ARCPKT_NR_HOOKS][2][ARCPKT_NR_PROTOS];
	uint64_t bytes[ARCPKT_NR_HOOKS][2][ARCPKT_NR_PROTOS];
	bool hook[ARCPKT_NR_HOOKS];
	uint64_t malformed[ARCPKT_NR_MALFORMED];
	uint64_t detections[ARCPKT_NR_DETECT];
	uint64_t suppressed, evictions, memory;
};

static int row_cb(const struct nlattr *row, struct stats *s, int type)
{
	const struct nlattr *a;
	int hook = -1, fam = -1, kind = -1;
	uint64_t packets = 0, bytes = 0;

	mnl_attr_for_each_nested(a, row) {
		switch (mnl_attr_get_type(a)) {
		case ARCPKT_C_HOOK:
			hook = mnl_attr_get_u8(a);
			break;
		case ARCPKT_C_FAMILY:
			fam = mnl_attr_get_u8(a) == AF_INET6;
			break;
		case ARCPKT_C_KIND:
			kind = mnl_attr_get_u8(a);
			break;
		case ARCPKT_C_PACKETS:
			packets = mnl_attr_get_u64(a);
			break;
		case ARCPKT_C_BYTES:
			bytes = mnl_attr_get_u64(a);
			break;
		}
	}
	if (kind < 0)
		return MNL_CB_ERROR;
	if (type == ARCPKT_S_COUNTER) {
		if (hook < 0 || hook >= ARCPKT_NR_HOOKS || fam < 0 ||
		    kind >= ARCPKT_NR_PROTOS)
			return MNL_CB_ERROR;
		s->hook[hook] = true;
		s->packets[hook][fam][kind] = packets;
		s->bytes[hook][fam][kind] = bytes;
	} else if (type == ARCPKT_S_MALFORMED && kind < ARCPKT_NR_MALFORMED) {
		s->malformed[kind] = packets;
	} else if (type == ARCPKT_S_DETECTIONS && kind < ARCPKT_NR_DETECT) {
		s->detections[kind] = packets;
	}
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats *s = data;
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != ARCPKT_A_STATS)
			continue;
		mnl_attr_for_each_nested(b, a) {
			int t = mnl_attr_get_type(b);

			switch (t) {
			case ARCPKT_S_COUNTER:
			case ARCPKT_S_MALFORMED:
			case ARCPKT_S_DETECTIONS:
				if (row_cb(b, s, t) < 0)
					return MNL_CB_ERROR;
				break;
			case ARCPKT_S_EVENTS_SUPPRESSED:
				s->suppressed = mnl_attr_get_u64(b);
				break;
			case ARCPKT_S_EVICTIONS:
				s->evictions = mnl_attr_get_u64(b);
				break;
			case ARCPKT_S_MEMORY:
				s->memory = mnl_attr_get_u64(b);
				break;
			}
		}
	}
	return MNL_CB_OK;
}

static void print_stats_json(const struct stats *s)
{
	const char *sep = "";
	int h, f, k;

	printf("{\"counters\":[");
	for (h = 0; h < ARCPKT_NR_HOOKS; h++) {
		if (!s->hook[h])
			continue;
		for (f = 0; f < 2; f++)
			for (k = 0; k < ARCPKT_NR_PROTOS; k++) {
				printf("%s{\"hook\":\"%s\",\"family\":\"%s\",\"proto\":\"%s\",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 "}",
				       sep, hook_names[h], f ? "ipv6" : "ipv4",
				       proto_names[k], s->packets[h][f][k],
				       s->bytes[h][f][k]);
				sep = ",";
			}
	}
	printf("],\"malformed\":{");
	for (k = 0; k < ARCPKT_NR_MALFORMED; k++)
		printf("%s\"%s\":%" PRIu64, k ? "," : "", mal_names[k],
		       s->malformed[k]);
	printf("},\"detections\":{");
	for (k = 0; k < ARCPKT_NR_DETECT; k++)
		printf("%s\"%s\":%" PRIu64, k ? "," : "", detect_names[k],
		       s->detections[k]);
	printf("},\"events_suppressed\":%" PRIu64 ",\"evictions\":%" PRIu64
	       ",\"memory_bytes\":%" PRIu64 "}\n",
	       s->suppressed, s->evictions, s->memory);
}

static void print_stats(const struct stats *s)
{
	int h, f, k;

	printf("%-12s %-5s %-7s %14s %16s\n", "hook", "family", "proto",
	       "packets", "bytes");
	for (h = 0; h < ARCPKT_NR_HOOKS; h++) {
		if (!s->hook[h])
			continue;
		for (f = 0; f < 2; f++)
			for (k = 0; k < ARCPKT_NR_PROTOS; k++)
				printf("%-12s %-6s %-7s %14" PRIu64 " %16" PRIu64 "\n",
				       hook_names[h], f ? "ipv6" : "ipv4",
				       proto_names[k], s->packets[h][f][k],
				       s->bytes[h][f][k]);
	}
	printf("malformed:");
	for (k = 0; k < ARCPKT_NR_MALFORMED; k++)
		printf(" %s %" PRIu64, mal_names[k], s->malformed[k]);
	printf("\ndetections:");
	for (k = 0; k < ARCPKT_NR_DETECT; k++)
		printf(" %s %" PRIu64, detect_names[k], s->detections[k]);
	printf("\nevents suppressed by the rate limit: %" PRIu64
	       "\ntable evictions: %" PRIu64
	       "\ndetector memory: %" PRIu64 " bytes\n",
	       s->suppressed, s->evictions, s->memory);
}

static int cmd_stats(void)
{
	struct stats s = { 0 };

	agenl_transact(&pa, agenl_msg(&pa, ARCPKT_CMD_GET_STATS, NLM_F_ACK),
		       stats_cb, &s, "stats");
	if (json)
		print_stats_json(&s);
	else
		print_stats(&s);
	return EX_OK;
}

/* The settings, by name: the command line's keys and the JSON's. */
static const struct {
	const char *key;
	int attr;
} cfg_keys[] = {
	{ "syn-threshold", ARCPKT_CFG_SYN_THRESHOLD },
	{ "syn-window-ms", ARCPKT_CFG_SYN_WINDOW_MS },
	{ "scan-threshold", ARCPKT_CFG_SCAN_THRESHOLD },
	{ "scan-window-ms", ARCPKT_CFG_SCAN_WINDOW_MS },
	{ "event-rate", ARCPKT_CFG_EVENT_RATE },
	{ "dns", ARCPKT_CFG_DNS },
	{ "detect", ARCPKT_CFG_DETECT },
};

#define NR_KEYS	(sizeof(cfg_keys) / sizeof(cfg_keys[0]))

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t *v = data;
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != ARCPKT_A_CONFIG)
			continue;
		mnl_attr_for_each_nested(b, a) {
			int t = mnl_attr_get_type(b);

			if (t == ARCPKT_CFG_DNS || t == ARCPKT_CFG_DETECT)
				v[t] = mnl_attr_get_u8(b);
			else if (t > 0 && t <= ARCPKT_CFG_MAX)
				v[t] = mnl_attr_get_u32(b);
		}
	}
	return MNL_CB_OK;
}

static int cmd_config_show(void)
{
	uint64_t v[ARCPKT_CFG_MAX + 1] = { 0 };
	size_t i;

	agenl_transact(&pa, agenl_msg(&pa, ARCPKT_CMD_GET_CONFIG, NLM_F_ACK),
		       config_cb, v, "config");
	for (i = 0; i < NR_KEYS; i++) {
		uint64_t x = v[cfg_keys[i].attr];

		if (json)
			printf("%s\"%s\":%" PRIu64 "%s", i ? "," : "{",
			       cfg_keys[i].key, x, i + 1 == NR_KEYS ? "}\n" : "");
		else if (cfg_keys[i].attr == ARCPKT_CFG_DNS ||
			 cfg_keys[i].attr == ARCPKT_CFG_DETECT)
			printf("%s %s\n", cfg_keys[i].key, x ? "on" : "off");
		else
			printf("%s %" PRIu64 "\n", cfg_keys[i].key, x);
	}
	return EX_OK;
}

/* Values are range-checked by the kernel, which names the bad one. */
static int cmd_config_set(int argc, char **argv)
{
	struct nlmsghdr *nlh = agenl_msg(&pa, ARCPKT_CMD_SET_CONFIG, NLM_F_ACK);
	struct nlattr *nest = mnl_attr_nest_start(nlh, ARCPKT_A_CONFIG);
	int i;
	size_t k;

	if (argc % 2)
		agenl_die(EX_USAGE, "config: KEY VALUE pairs (try 'arcpkt help')");
	for (i = 0; i < argc; i += 2) {
		const char *val = argv[i + 1];
		unsigned long long x;
		char *end;

		for (k = 0; k < NR_KEYS; k++)
			if (!strcmp(argv[i], cfg_keys[k].key))
				break;
		if (k == NR_KEYS)
			agenl_die(EX_USAGE, "config: unknown key '%s'", argv[i]);
		if (cfg_keys[k].attr == ARCPKT_CFG_DNS ||
		    cfg_keys[k].attr == ARCPKT_CFG_DETECT) {
			if (strcmp(val, "on") && strcmp(val, "off"))
				agenl_die(EX_USAGE, "config: %s: expected on or off, got '%s'",
					  argv[i], val);
			mnl_attr_put_u8(nlh, cfg_keys[k].attr, !strcmp(val, "on"));
			continue;
		}
		errno = 0;
		x = strtoull(val, &end, 10);
		if (errno || end == val || *end || *val == '-' || x > UINT32_MAX)
			agenl_die(EX_INVAL, "config: %s: '%s' is not a number",
				  argv[i], val);
		mnl_attr_put_u32(nlh, cfg_keys[k].attr, (uint32_t)x);
	}
	mnl_attr_nest_end(nlh, nest);
	agenl_transact(&pa, nlh, NULL, NULL, "config");
	return EX_OK;
}

static void format_addr(uint8_t family, const void *addr, char *out,
			size_t len)
{
	if (!inet_ntop(family, addr, out, len))
		snprintf(out, len, "?");
}

struct talker {
	uint8_t family;
	uint8_t addr[16];
	uint64_t packets, bytes, err;
};

struct talkers {
	struct talker *t;
	size_t n, cap;
};

static int top_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talkers *ts = data;
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		struct talker t = { 0 };

		if (mnl_attr_get_type(a) != ARCPKT_A_TALKER)
			continue;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case ARCPKT_T_FAMILY:
				t.family = mnl_attr_get_u8(b);
				break;
			case ARCPKT_T_ADDR:
				if (mnl_attr_get_payload_len(b) > sizeof(t.addr))
					return MNL_CB_ERROR;
				memcpy(t.addr, mnl_attr_get_payload(b),
				       mnl_attr_get_payload_len(b));
				break;
			case ARCPKT_T_PACKETS:
				t.packets = mnl_attr_get_u64(b);
				break;
			case ARCPKT_T_BYTES:
				t.bytes = mnl_attr_get_u64(b);
				break;
			case ARCPKT_T_ERROR:
				t.err = mnl_attr_get_u64(b);
				break;
			}
		}
		if (ts->n == ts->cap) {
			ts->cap = ts->cap ? 2 * ts->cap : 64;
			ts->t = realloc(ts->t, ts->cap * sizeof(*ts->t));
			if (!ts->t)
				agenl_die(EX_FAIL, "out of memory");
		}
		ts->t[ts->n++] = t;
	}
	return MNL_CB_OK;
}

static void print_top(const struct talkers *ts, size_t limit)
{
	char addr[INET6_ADDRSTRLEN];
	size_t i, n = ts->n < limit ? ts->n : limit;

	if (json)
		printf("[");
	else
		printf("%-4s %-39s %14s %16s %12s\n", "rank", "source",
		       "packets", "bytes", "error");
	for (i = 0; i < n; i++) {
		const struct talker *t = &ts->t[i];

		format_addr(t->family, t->addr, addr, sizeof(addr));
		if (json)
			printf("%s{\"source\":\"%s\",\"packets\":%" PRIu64
			       ",\"bytes\":%" PRIu64 ",\"error\":%" PRIu64 "}",
			       i ? "," : "", addr, t->packets, t->bytes, t->err);
		else
			printf("%-4zu %-39s %14" PRIu64 " %16" PRIu64 " %12" PRIu64 "\n",
			       i + 1, addr, t->packets, t->bytes, t->err);
	}
	if (json)
		printf("]\n");
	fflush(stdout);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_top(size_t limit, bool once, double interval)
{
	struct talkers ts = { 0 };
	struct timespec ts_sleep = {
		.tv_sec = (time_t)interval,
		.tv_nsec = (long)((interval - (time_t)interval) * 1e9),
	};

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		ts.n = 0;
		agenl_transact(&pa, agenl_msg(&pa, ARCPKT_CMD_GET_TOP,
					      NLM_F_DUMP),
			       top_cb, &ts, "top");
		if (!once && isatty(STDOUT_FILENO))
			printf("\033[H\033[2J");
		print_top(&ts, limit);
		if (once)
			break;
		nanosleep(&ts_sleep, NULL);
	} while (!stop);
	free(ts.t);
	return EX_OK;
}

static const char *qtype_name(unsigned int t)
{
	switch (t) {
	case 1:
		return "A";
	case 2:
		return "NS";
	case 5:
		return "CNAME";
	case 6:
		return "SOA";
	case 12:
		return "PTR";
	case 15:
		return "MX";
	case 16:
		return "TXT";
	case 28:
		return "AAAA";
	case 33:
		return "SRV";
	case 65:
		return "HTTPS";
	case 255:
		return "ANY";
	default:
		return NULL;
	}
}

struct event {
	int type;
	uint8_t family, probes, proto;
	uint8_t saddr[16], daddr[16];
	uint16_t dport, qtype;
	uint32_t count;
	char qname[ARCPKT_QNAME_SIZE];
};

static int event_attrs(const struct nlattr *nest, struct event *e)
{
	const struct nlattr *b;

	mnl_attr_for_each_nested(b, nest) {
		size_t len = mnl_attr_get_payload_len(b);

		switch (mnl_attr_get_type(b)) {
		case ARCPKT_EV_TYPE:
			e->type = mnl_attr_get_u8(b);
			break;
		case ARCPKT_EV_FAMILY:
			e->family = mnl_attr_get_u8(b);
			break;
		case ARCPKT_EV_SADDR:
		case ARCPKT_EV_DADDR:
			if (len > 16)
				return -1;
			memcpy(mnl_attr_get_type(b) == ARCPKT_EV_SADDR ?
			       e->saddr : e->daddr, mnl_attr_get_payload(b), len);
			break;
		case ARCPKT_EV_DPORT:
			e->dport = mnl_attr_get_u16(b);
			break;
		case ARCPKT_EV_COUNT:
			e->count = mnl_attr_get_u32(b);
			break;
		case ARCPKT_EV_PROBES:
			e->probes = mnl_attr_get_u8(b);
			break;
		case ARCPKT_EV_QNAME:
			if (mnl_attr_validate(b, MNL_TYPE_NUL_STRING) ||
			    len > sizeof(e->qname))
				return -1;
			memcpy(e->qname, mnl_attr_get_str(b), len);
			break;
		case ARCPKT_EV_QTYPE:
			e->qtype = mnl_attr_get_u16(b);
			break;
		case ARCPKT_EV_PROTO:
			e->proto = mnl_attr_get_u8(b);
			break;
		}
	}
	return e->type >= 0 && e->type < ARCPKT_NR_DETECT ? 0 : -1;
}

static void print_event(const struct event *e)
{
	static const char *const probe_names[] = { "syn", "null", "fin", "xmas" };
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], probes[32] = "";
	const char *qt = qtype_name(e->qtype);
	unsigned int i;

	format_addr(e->family, e->saddr, src, sizeof(src));
	format_addr(e->family, e->daddr, dst, sizeof(dst));
	for (i = 0; i < 4; i++)
		if (e->probes & (1u << i))
			snprintf(probes + strlen(probes),
				 sizeof(probes) - strlen(probes), "%s%s",
				 *probes ? "," : "", probe_names[i]);
	if (json) {
		printf("{\"type\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\",\"dport\":%u",
		       detect_names[e->type], src, dst, e->dport);
		if (e->type == ARCPKT_DETECT_DNS_QUERY)
			printf(",\"proto\":\"%s\",\"qname\":\"%s\",\"qtype\":%u}\n",
			       e->proto == IPPROTO_TCP ? "tcp" : "udp", e->qname,
			       e->qtype);
		else if (e->type == ARCPKT_DETECT_PORT_SCAN)
			printf(",\"ports\":%u,\"probes\":\"%s\"}\n", e->count,
			       probes);
		else
			printf(",\"half_open\":%u}\n", e->count);
	} else if (e->type == ARCPKT_DETECT_DNS_QUERY) {
		printf("dns-query src %s dst %s proto %s qname %s qtype %s%s%u%s\n",
		       src, dst, e->proto == IPPROTO_TCP ? "tcp" : "udp",
		       e->qname, qt ? qt : "", qt ? "(" : "", e->qtype,
		       qt ? ")" : "");
	} else if (e->type == ARCPKT_DETECT_PORT_SCAN) {
		printf("port-scan src %s dst %s ports %u probes %s\n", src, dst,
		       e->count, probes);
	} else {
		printf("syn-flood src %s dst %s port %u half-open %u\n", src,
		       dst, e->dport, e->count);
	}
	fflush(stdout);
}

static int cmd_events(long count, double timeout)
{
	static char rbuf[64 * 1024];
	struct timespec t0, now;
	long seen = 0;
	uint32_t group = pa.group;

	if (mnl_socket_setsockopt(pa.nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		agenl_die(EX_FAIL, "events: joining group '%s': %s",
			  ARCPKT_MCGRP_EVENTS, strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Listening: a caller waiting for this can start the traffic. */
	fprintf(stderr, "%s: listening\n", agenl_prog);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && (count <= 0 || seen < count)) {
		struct pollfd p = { .fd = mnl_socket_get_fd(pa.nl),
				    .events = POLLIN };
		int wait = -1, len;
		struct nlmsghdr *h;
		ssize_t n;

		if (timeout > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			wait = (int)((timeout - (now.tv_sec - t0.tv_sec) -
				      (now.tv_nsec - t0.tv_nsec) / 1e9) * 1000);
			if (wait <= 0)
				return EX_TIMEOUT;
		}
		if (poll(&p, 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			agenl_die(EX_FAIL, "events: poll: %s", strerror(errno));
		}
		if (!(p.revents & POLLIN))
			continue;
		n = mnl_socket_recvfrom(pa.nl, rbuf, sizeof(rbuf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "%s: events lost (socket buffer full)\n",
					agenl_prog);
				continue;
			}
			agenl_die(EX_FAIL, "events: receive: %s", strerror(errno));
		}
		len = n;
		for (h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, len);
		     h = mnl_nlmsg_next(h, &len)) {
			const struct nlattr *a;

			if (h->nlmsg_type != pa.id)
				continue;
			mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
				struct event e = { .type = -1 };

				if (mnl_attr_get_type(a) != ARCPKT_A_EVENT)
					continue;
				if (event_attrs(a, &e))
					agenl_die(EX_FAIL, "events: bad event");
				print_event(&e);
				seen++;
			}
		}
	}
	return EX_OK;
}

static double parse_seconds(const char *s, const char *what)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 86400)
		agenl_die(EX_USAGE, "%s: '%s' is not a number of seconds", what, s);
	return v;
}

static long parse_count(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1)
		agenl_die(EX_USAGE, "%s: '%s' is not a positive number", what, s);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "once", no_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ 0 }
	};
	double interval = 1, timeout = 0, duration = 0;
	long count = 0, limit = 20;
	bool once = false;
	const char *cmd;
	int c;

	agenl_prog = "arcpkt";
	while ((c = getopt_long(argc, argv, "jhoi:c:t:n:d:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'o':
			once = true;
			break;
		case 'i':
			interval = parse_seconds(optarg, "--interval");
			break;
		case 't':
			timeout = parse_seconds(optarg, "--timeout");
			break;
		case 'c':
			count = parse_count(optarg, "--count");
			break;
		case 'd':
			duration = parse_seconds(optarg, "--duration");
			break;
		case 'n':
			limit = parse_count(optarg, "-n");
			break;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EX_USAGE;
	}
	cmd = argv[0];
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(cmd, "stats") && strcmp(cmd, "reset") &&
	    strcmp(cmd, "config") && strcmp(cmd, "top") &&
	    strcmp(cmd, "events") && strcmp(cmd, "trace"))
		agenl_die(EX_USAGE, "unknown command '%s' (try 'arcpkt help')", cmd);
	if (strcmp(cmd, "config") && argc > 1)
		agenl_die(EX_USAGE, "%s: unexpected '%s'", cmd, argv[1]);
	/* trace needs no netlink: only the tracepoints. */
	if (!strcmp(cmd, "trace"))
		return arcpkt_trace(interval, duration, (size_t)limit, json);
	agenl_open(&pa, strcmp(cmd, "events") ? NULL : ARCPKT_MCGRP_EVENTS);
	if (!strcmp(cmd, "stats"))
		return cmd_stats();
	if (!strcmp(cmd, "reset")) {
		agenl_transact(&pa, agenl_msg(&pa, ARCPKT_CMD_RESET, NLM_F_ACK),
			       NULL, NULL, "reset");
		return EX_OK;
	}
	if (!strcmp(cmd, "config"))
		return argc == 1 ? cmd_config_show() :
				   cmd_config_set(argc - 1, argv + 1);
	if (!strcmp(cmd, "top"))
		return cmd_top((size_t)limit, once, interval);
	return cmd_events(count, timeout);
}
