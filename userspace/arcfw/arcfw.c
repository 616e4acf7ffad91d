// SPDX-License-Identifier: GPL-2.0
/*
 * arcfw: control arc_firewall over generic netlink (libmnl).
 * See arcfw(8) or `arcfw help`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <arc/firewall.h>

#include "../lib/agenl.h"

/* Exit codes (documented in arcfw(8) and `arcfw help`). */
enum {
	EX_OK = 0,
	EX_USAGE = 1,
	EX_NOMODULE = 2,
	EX_PERM = 3,
	EX_ADDR = 4,
	EX_FULL = 5,
	EX_NOENT = 6,
	EX_FAIL = 7,
};

#define BATCH_BYTES	(AGENL_MSG_BUF - 512)

struct prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t plen;
	uint8_t addr[16];
};

struct entry {
	struct prefix p;
	uint64_t packets, bytes;
	bool counters;
};

static bool json;

static void usage(FILE *f)
{
	fprintf(f,
"usage: arcfw [--json] COMMAND [ARGS]\n"
"\n"
"Control arc_firewall (kernel module) in the current network namespace.\n"
"\n"
"commands:\n"
"  block PREFIX...        drop packets whose source is in PREFIX\n"
"                         (ADDR or ADDR/LEN, IPv4 or IPv6; host bits must be 0)\n"
"  unblock PREFIX...      remove exactly these prefixes (all or none)\n"
"  list                   every prefix with packets and bytes dropped\n"
"  stats                  namespace totals: drops, port-rule drops, entries\n"
"  flush                  remove every prefix\n"
"  save [FILE]            write the prefixes, one per line (default stdout)\n"
"  restore FILE           replace the whole set with FILE's prefixes ('-' is\n"
"                         stdin), atomically: packets see the old set or the\n"
"                         new one, never a mix; blank lines and #comments ok\n"
"  ssh-guard              show the port rule\n"
"  ssh-guard on|off [--ports P[,P...]] [--local PREFIX...]\n"
"                         drop TCP to the ports (default 22) unless the source\n"
"                         is in a local prefix (default private + link-local)\n"
"  help                   this text\n"
"\n"
"options:\n"
"  -j, --json             machine-readable output (list, stats, ssh-guard)\n"
"\n"
"Changes need CAP_NET_ADMIN in the namespace; reading does not.\n"
"\n"
"exit status:\n"
"  0 success             1 usage error          2 arc_firewall not loaded\n"
"  3 permission denied   4 invalid address      5 set full (max_entries)\n"
"  6 prefix not found    7 other error\n");
}

/* Parse ADDR or ADDR/LEN; host bits past LEN must be zero. */
static int parse_prefix(const char *s, struct prefix *p, char *why, size_t wlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max, i;
	char *end;
	long len;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(why, wlen, "not an IPv4 or IPv6 address");
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = 0;
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		snprintf(why, wlen, "not an IPv4 or IPv6 address");
		return -1;
	}
	p->plen = max;
	if (slash) {
		errno = 0;
		len = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || len < 0 || len > (long)max) {
			snprintf(why, wlen, "prefix length must be 0-%u", max);
			return -1;
		}
		p->plen = len;
	}
	for (i = p->plen; i < max; i++) {
		if (p->addr[i / 8] & (0x80 >> (i % 8))) {
			snprintf(why, wlen, "host bits set past /%u", p->plen);
			return -1;
		}
	}
	return 0;
}

static void format_prefix(const struct prefix *p, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->addr, a, sizeof(a));
	snprintf(out, len, "%s/%u", a, p->plen);
}

static void parse_prefix_or_die(const char *s, struct prefix *p)
{
	char why[64];

	if (parse_prefix(s, p, why, sizeof(why)))
		agenl_die(EX_ADDR, "invalid address '%s': %s", s, why);
}

/* The kernel's errnos as arcfw's exit statuses. */
static const struct agenl_errno fw_errors[] = {
	{ EPERM, EX_PERM, "(changing the firewall needs CAP_NET_ADMIN)" },
	{ EACCES, EX_PERM, "(changing the firewall needs CAP_NET_ADMIN)" },
	{ ENOSPC, EX_FULL, NULL },
	{ ENOENT, EX_NOENT, NULL },
	{ EINVAL, EX_ADDR, NULL },
	{ 0 }
};

static struct agenl fw = {
	.family = ARCFW_GENL_NAME,
	.module = "arc_firewall",
	.version = ARCFW_GENL_VERSION,
	.nomodule_code = EX_NOMODULE,
	.fail_code = EX_FAIL,
	.errors = fw_errors,
};

static void put_prefix(struct nlmsghdr *nlh, uint16_t type,
		       const struct prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, ARCFW_E_FAMILY, p->family);
	mnl_attr_put(nlh, ARCFW_E_ADDR, p->family == AF_INET ? 4 : 16, p->addr);
	mnl_attr_put_u8(nlh, ARCFW_E_PREFIXLEN, p->plen);
	mnl_attr_nest_end(nlh, nest);
}

/* Send @n prefixes with command @cmd, in as many messages as needed. */
static void send_prefixes(uint8_t cmd, const struct prefix *p, size_t n,
			  const char *what)
{
	size_t i = 0;

	while (i < n) {
		struct nlmsghdr *nlh = agenl_msg(&fw, cmd, NLM_F_ACK);

		while (i < n && nlh->nlmsg_len < BATCH_BYTES)
			put_prefix(nlh, ARCFW_A_ENTRY, &p[i++]);
		agenl_transact(&fw, nlh, NULL, NULL, what);
	}
}

static void simple(uint8_t cmd, const char *what)
{
	agenl_transact(&fw, agenl_msg(&fw, cmd, NLM_F_ACK), NULL, NULL, what);
}

static int entry_attr_cb(const struct nlattr *a, void *data)
{
	struct entry *e = data;

	switch (mnl_attr_get_type(a)) {
	case ARCFW_E_FAMILY:
		e->p.family = mnl_attr_get_u8(a);
		break;
	case ARCFW_E_ADDR:
		if (mnl_attr_get_payload_len(a) <= 16)
			memcpy(e->p.addr, mnl_attr_get_payload(a),
			       mnl_attr_get_payload_len(a));
		break;
	case ARCFW_E_PREFIXLEN:
		e->p.plen = mnl_attr_get_u8(a);
		break;
	case ARCFW_E_PACKETS:
		e->packets = mnl_attr_get_u64(a);
		e->counters = true;
		break;
	case ARCFW_E_BYTES:
		e->bytes = mnl_attr_get_u64(a);
		break;
	}
	return MNL_CB_OK;
}

struct list_out {
	FILE *f;
	bool counters;
	size_t n;
};

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_out *out = data;
	struct entry e = { 0 };
	struct nlattr *a;
	char s[INET6_ADDRSTRLEN + 8];

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != ARCFW_A_ENTRY)
			continue;
		mnl_attr_parse_nested(a, entry_attr_cb, &e);
		format_prefix(&e.p, s, sizeof(s));
		if (json)
			fprintf(out->f, "%s{\"prefix\":\"%s\",\"packets\":%" PRIu64
				",\"bytes\":%" PRIu64 "}", out->n ? "," : "", s,
				e.packets, e.bytes);
		else if (out->counters)
			fprintf(out->f, "%s packets %" PRIu64 " bytes %" PRIu64 "\n",
				s, e.packets, e.bytes);
		else
			fprintf(out->f, "%s\n", s);
		out->n++;
	}
	return MNL_CB_OK;
}

static int cmd_list(FILE *f, bool counters)
{
	struct list_out out = { .f = f, .counters = counters };
	int tries;

	/* A dump interrupted by a concurrent change is taken again. */
	for (tries = 0; tries < 5; tries++) {
		char *mem = NULL;
		size_t size = 0;
		bool intr;

		out.f = open_memstream(&mem, &size);
		out.n = 0;
		if (!out.f)
			agenl_die(EX_FAIL, "out of memory");
		intr = agenl_transact(&fw, agenl_msg(&fw, ARCFW_CMD_LIST,
					  NLM_F_DUMP), list_cb, &out, "list");
		fclose(out.f);
		if (!intr) {
			if (json)
				fprintf(f, "[%s]\n", mem ? mem : "");
			else
				fwrite(mem, 1, size, f);
			free(mem);
			return EX_OK;
		}
		free(mem);
	}
	agenl_die(EX_FAIL, "list: the set kept changing during the dump");
	return EX_FAIL;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t *v = data;
	struct nlattr *a, *s;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != ARCFW_A_STATS)
			continue;
		mnl_attr_for_each_nested(s, a) {
			unsigned int t = mnl_attr_get_type(s);

			if (t == ARCFW_S_ENTRIES || t == ARCFW_S_MAX_ENTRIES)
				v[t] = mnl_attr_get_u32(s);
			else if (t <= ARCFW_S_MAX && t != ARCFW_S_PAD)
				v[t] = mnl_attr_get_u64(s);
		}
	}
	return MNL_CB_OK;
}

static int cmd_stats(void)
{
	uint64_t v[ARCFW_S_MAX + 1] = { 0 };

	agenl_transact(&fw, agenl_msg(&fw, ARCFW_CMD_GET_STATS, NLM_F_ACK),
		 stats_cb, v, "stats");
	if (json)
		printf("{\"dropped_packets\":%" PRIu64 ",\"dropped_bytes\":%" PRIu64
		       ",\"port_rule_packets\":%" PRIu64 ",\"port_rule_bytes\":%" PRIu64
		       ",\"entries\":%" PRIu64 ",\"max_entries\":%" PRIu64
		       ",\"filter_bytes\":%" PRIu64 ",\"table_bytes\":%" PRIu64 "}\n",
		       v[ARCFW_S_PACKETS], v[ARCFW_S_BYTES],
		       v[ARCFW_S_SSH_PACKETS], v[ARCFW_S_SSH_BYTES],
		       v[ARCFW_S_ENTRIES], v[ARCFW_S_MAX_ENTRIES],
		       v[ARCFW_S_FILTER_BYTES], v[ARCFW_S_TABLE_BYTES]);
	else
		printf("entries %" PRIu64 " of %" PRIu64 "\n"
		       "blocklist drops: packets %" PRIu64 " bytes %" PRIu64 "\n"
		       "port rule drops: packets %" PRIu64 " bytes %" PRIu64 "\n"
		       "lookup filter: %" PRIu64 " bytes\n"
		       "hash table: %" PRIu64 " bytes\n",
		       v[ARCFW_S_ENTRIES], v[ARCFW_S_MAX_ENTRIES],
		       v[ARCFW_S_PACKETS], v[ARCFW_S_BYTES],
		       v[ARCFW_S_SSH_PACKETS], v[ARCFW_S_SSH_BYTES],
		       v[ARCFW_S_FILTER_BYTES], v[ARCFW_S_TABLE_BYTES]);
	return EX_OK;
}

/* Read prefixes from a file: every line must parse, or nothing is sent. */
static struct prefix *read_prefixes(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct prefix *p = NULL;
	size_t cap = 0, lineno = 0;
	char *line = NULL, why[64];
	size_t llen = 0;

	if (!f)
		agenl_die(EX_FAIL, "%s: %s", path, strerror(errno));
	*n = 0;
	while (getline(&line, &llen, f) >= 0) {
		char *s = line, *e;

		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strcspn(s, " \t\r\n#");
		if (*e && *e != '#' && e[strspn(e, " \t\r\n")] &&
		    e[strspn(e, " \t\r\n")] != '#')
			agenl_die(EX_ADDR, "%s:%zu: one prefix per line", path, lineno);
		*e = 0;
		if (!*s)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			p = realloc(p, cap * sizeof(*p));
			if (!p)
				agenl_die(EX_FAIL, "out of memory");
		}
		if (parse_prefix(s, &p[*n], why, sizeof(why)))
			agenl_die(EX_ADDR, "%s:%zu: invalid address '%s': %s", path,
			    lineno, s, why);
		(*n)++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return p;
}

static int cmd_restore(const char *path)
{
	size_t n;
	struct prefix *p = read_prefixes(path, &n);

	simple(ARCFW_CMD_REPLACE_BEGIN, "restore");
	/* An error exits; closing the socket drops the staging set. */
	send_prefixes(ARCFW_CMD_REPLACE_ADD, p, n, "restore");
	simple(ARCFW_CMD_REPLACE_COMMIT, "restore");
	free(p);
	if (!json)
		fprintf(stderr, "%s: restored %zu prefixes\n", agenl_prog, n);
	return EX_OK;
}

struct ssh_out {
	int enabled;
	unsigned int nr_ports, nr_local;
	uint16_t ports[ARCFW_SSH_MAX_PORTS];
	struct prefix local[ARCFW_SSH_MAX_LOCAL];
};

static int ssh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ssh_out *o = data;
	struct nlattr *a, *s, *x;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != ARCFW_A_SSH)
			continue;
		mnl_attr_for_each_nested(s, a) {
			switch (mnl_attr_get_type(s)) {
			case ARCFW_SSH_ENABLED:
				o->enabled = mnl_attr_get_u8(s);
				break;
			case ARCFW_SSH_PORTS:
				mnl_attr_for_each_nested(x, s)
					if (o->nr_ports < ARCFW_SSH_MAX_PORTS)
						o->ports[o->nr_ports++] = mnl_attr_get_u16(x);
				break;
			case ARCFW_SSH_LOCAL:
				mnl_attr_for_each_nested(x, s) {
					struct entry e = { 0 };

					if (o->nr_local == ARCFW_SSH_MAX_LOCAL)
						break;
					mnl_attr_parse_nested(x, entry_attr_cb, &e);
					o->local[o->nr_local++] = e.p;
				}
				break;
			}
		}
	}
	return MNL_CB_OK;
}

static int cmd_ssh_show(void)
{
	struct ssh_out o = { 0 };
	char s[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	agenl_transact(&fw, agenl_msg(&fw, ARCFW_CMD_GET_SSH, NLM_F_ACK), ssh_cb, &o,
		 "ssh-guard");
	if (json) {
		printf("{\"enabled\":%s,\"ports\":[", o.enabled ? "true" : "false");
		for (i = 0; i < o.nr_ports; i++)
			printf("%s%u", i ? "," : "", o.ports[i]);
		printf("],\"local\":[");
		for (i = 0; i < o.nr_local; i++) {
			format_prefix(&o.local[i], s, sizeof(s));
			printf("%s\"%s\"", i ? "," : "", s);
		}
		printf("]}\n");
		return EX_OK;
	}
	printf("ssh-guard %s\nports", o.enabled ? "on" : "off");
	for (i = 0; i < o.nr_ports; i++)
		printf(" %u", o.ports[i]);
	printf("\nlocal");
	for (i = 0; i < o.nr_local; i++) {
		format_prefix(&o.local[i], s, sizeof(s));
		printf(" %s", s);
	}
	printf("\n");
	return EX_OK;
}

static int cmd_ssh_set(int argc, char **argv)
{
	struct nlmsghdr *nlh = agenl_msg(&fw, ARCFW_CMD_SET_SSH, NLM_F_ACK);
	struct nlattr *nest, *list;
	struct prefix p;
	int i, nlocal = -1;

	if (strcmp(argv[0], "on") && strcmp(argv[0], "off"))
		agenl_die(EX_USAGE, "ssh-guard: expected on or off, got '%s'", argv[0]);
	nest = mnl_attr_nest_start(nlh, ARCFW_A_SSH);
	mnl_attr_put_u8(nlh, ARCFW_SSH_ENABLED, !strcmp(argv[0], "on"));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ports") && i + 1 < argc) {
			char *copy = strdup(argv[++i]), *tok, *save = NULL, *end;
			unsigned int n = 0;
			long port;

			list = mnl_attr_nest_start(nlh, ARCFW_SSH_PORTS);
			for (tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				port = strtol(tok, &end, 10);
				if (*end || port < 1 || port > 65535)
					agenl_die(EX_USAGE, "ssh-guard: invalid port '%s' (1-65535)", tok);
				if (++n > ARCFW_SSH_MAX_PORTS)
					agenl_die(EX_USAGE, "ssh-guard: at most %d ports",
					    ARCFW_SSH_MAX_PORTS);
				mnl_attr_put_u16(nlh, ARCFW_SSH_PORT, port);
			}
			if (!n)
				agenl_die(EX_USAGE, "ssh-guard: --ports needs at least one port");
			mnl_attr_nest_end(nlh, list);
			free(copy);
		} else if (!strcmp(argv[i], "--local")) {
			list = mnl_attr_nest_start(nlh, ARCFW_SSH_LOCAL);
			nlocal = 0;
			while (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) {
				parse_prefix_or_die(argv[++i], &p);
				if (++nlocal > ARCFW_SSH_MAX_LOCAL)
					agenl_die(EX_USAGE, "ssh-guard: at most %d local prefixes",
					    ARCFW_SSH_MAX_LOCAL);
				put_prefix(nlh, ARCFW_A_ENTRY, &p);
			}
			mnl_attr_nest_end(nlh, list);
		} else {
			agenl_die(EX_USAGE, "ssh-guard: unexpected '%s'", argv[i]);
		}
	}
	mnl_attr_nest_end(nlh, nest);
	agenl_transact(&fw, nlh, NULL, NULL, "ssh-guard");
	return EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *cmd;
	struct prefix *p;
	int c, i, n;

	agenl_prog = "arcfw";
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
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
	/* Validate arguments before touching the kernel. */
	if (!strcmp(cmd, "block") || !strcmp(cmd, "unblock")) {
		if (argc < 2)
			agenl_die(EX_USAGE, "%s: at least one PREFIX", cmd);
		n = argc - 1;
		p = calloc(n, sizeof(*p));
		if (!p)
			agenl_die(EX_FAIL, "out of memory");
		for (i = 0; i < n; i++)
			parse_prefix_or_die(argv[i + 1], &p[i]);
		agenl_open(&fw, NULL);
		send_prefixes(cmd[0] == 'b' ? ARCFW_CMD_ADD : ARCFW_CMD_DEL, p,
			      n, cmd);
		free(p);
		return EX_OK;
	}
	if (strcmp(cmd, "list") && strcmp(cmd, "stats") && strcmp(cmd, "flush") &&
	    strcmp(cmd, "save") && strcmp(cmd, "restore") &&
	    strcmp(cmd, "ssh-guard"))
		agenl_die(EX_USAGE, "unknown command '%s' (try 'arcfw help')", cmd);
	if (!strcmp(cmd, "restore") && argc != 2)
		agenl_die(EX_USAGE, "restore: exactly one FILE ('-' for stdin)");
	agenl_open(&fw, NULL);
	if (!strcmp(cmd, "list"))
		return cmd_list(stdout, true);
	if (!strcmp(cmd, "stats"))
		return cmd_stats();
	if (!strcmp(cmd, "flush")) {
		simple(ARCFW_CMD_FLUSH, "flush");
		return EX_OK;
	}
	if (!strcmp(cmd, "save")) {
		FILE *f = argc > 1 ? fopen(argv[1], "w") : stdout;

		if (!f)
			agenl_die(EX_FAIL, "%s: %s", argv[1], strerror(errno));
		json = false;
		cmd_list(f, false);
		if (f != stdout && fclose(f))
			agenl_die(EX_FAIL, "%s: %s", argv[1], strerror(errno));
		return EX_OK;
	}
	if (!strcmp(cmd, "restore"))
		return cmd_restore(argv[1]);
	if (argc == 1)
		return cmd_ssh_show();
	return cmd_ssh_set(argc - 1, argv + 1);
}
