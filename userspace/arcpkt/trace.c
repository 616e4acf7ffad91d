// SPDX-License-Identifier: GPL-2.0
/*
 * arcpkt trace: load arcpkt.bpf.c (its bpftool skeleton) onto arc_pktan's
 * tracepoints and print what it aggregates: per-source packets and bytes,
 * the counters by hook, family and protocol, and detections as they come.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <arc/pktan.h>

#include "../lib/agenl.h"
#include "arcpkt.h"
#include "arcpkt.skel.h"
#include "trace_bpf.h"

static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, R_OK))
			return dirs[i];
	}
	agenl_die(EX_FAIL, "trace: no tracefs (mount -t tracefs nodev /sys/kernel/tracing)");
}

/*
 * The record layout the BPF programs were built for must be the kernel's:
 * each field at its offset, with its size, in the event's format file.
 */
static void check_format(const char *dir, const char *event,
			 const char *const *fields, const int *offsets,
			 const int *sizes)
{
	char path[256], line[512];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/events/arc_pktan/%s/format", dir, event);
	f = fopen(path, "r");
	if (!f)
		agenl_die(errno == ENOENT ? EX_NOMODULE : EX_FAIL,
			  "trace: %s: %s (is arc_pktan loaded?)", path,
			  strerror(errno));
	for (i = 0; fields[i]; i++) {
		bool found = false;

		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			char *name = strstr(line, "field:"), *semi, *sp;
			int off, size;

			if (!name || !(semi = strchr(name, ';')))
				continue;
			*semi = '\0';
			sp = strrchr(name, ' ');
			if (!sp || strncmp(sp + 1, fields[i], strlen(fields[i])) ||
			    (sp[1 + strlen(fields[i])] && sp[1 + strlen(fields[i])] != '['))
				continue;
			if (sscanf(semi + 1, " offset:%d; size:%d;", &off, &size) != 2)
				continue;
			if (off != offsets[i] || size != sizes[i])
				agenl_die(EX_FAIL, "trace: %s.%s is at %d (%d bytes) in this kernel, arcpkt was built for %d (%d): rebuild arcpkt",
					  event, fields[i], off, size, offsets[i],
					  sizes[i]);
			found = true;
			break;
		}
		if (!found)
			agenl_die(EX_FAIL, "trace: %s has no field %s: rebuild arcpkt against this arc_pktan",
				  event, fields[i]);
	}
	fclose(f);
}

#define OFF(type, field)	((int)__builtin_offsetof(type, field))
#define SIZE(type, field)	((int)sizeof(((type *)0)->field))

static void check_formats(void)
{
	static const char *const pf[] = {
		"saddr", "len", "hook", "family", "proto", "malformed", NULL,
	};
	static const int po[] = {
		OFF(struct arcpkt_packet_ctx, saddr),
		OFF(struct arcpkt_packet_ctx, len),
		OFF(struct arcpkt_packet_ctx, hook),
		OFF(struct arcpkt_packet_ctx, family),
		OFF(struct arcpkt_packet_ctx, proto),
		OFF(struct arcpkt_packet_ctx, malformed),
	};
	static const int ps[] = {
		SIZE(struct arcpkt_packet_ctx, saddr),
		SIZE(struct arcpkt_packet_ctx, len),
		SIZE(struct arcpkt_packet_ctx, hook),
		SIZE(struct arcpkt_packet_ctx, family),
		SIZE(struct arcpkt_packet_ctx, proto),
		SIZE(struct arcpkt_packet_ctx, malformed),
	};
	static const char *const df[] = {
		"saddr", "daddr", "count", "dport", "qtype", "type", "probes",
		"qname", NULL,
	};
	static const int dof[] = {
		OFF(struct arcpkt_detect_ctx, saddr),
		OFF(struct arcpkt_detect_ctx, daddr),
		OFF(struct arcpkt_detect_ctx, count),
		OFF(struct arcpkt_detect_ctx, dport),
		OFF(struct arcpkt_detect_ctx, qtype),
		OFF(struct arcpkt_detect_ctx, type),
		OFF(struct arcpkt_detect_ctx, probes),
		OFF(struct arcpkt_detect_ctx, qname_loc),
	};
	static const int ds[] = {
		SIZE(struct arcpkt_detect_ctx, saddr),
		SIZE(struct arcpkt_detect_ctx, daddr),
		SIZE(struct arcpkt_detect_ctx, count),
		SIZE(struct arcpkt_detect_ctx, dport),
		SIZE(struct arcpkt_detect_ctx, qtype),
		SIZE(struct arcpkt_detect_ctx, type),
		SIZE(struct arcpkt_detect_ctx, probes),
		SIZE(struct arcpkt_detect_ctx, qname_loc),
	};
	const char *dir = tracefs();

	check_format(dir, "pktan_packet", pf, po, ps);
	check_format(dir, "pktan_detect", df, dof, ds);
}

static void format_key(const __u8 *addr, __u8 family, char *out, size_t len)
{
	const void *a = family == 6 ? addr : addr + 12;

	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, out, len))
		snprintf(out, len, "?");
}

struct src {
	char addr[INET6_ADDRSTRLEN];
	__u64 packets, bytes;
};

static int src_cmp(const void *a, const void *b)
{
	const struct src *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return strcmp(x->addr, y->addr);
}

/* Every source in the map, its per-CPU values summed, heaviest first. */
static struct src *read_sources(int fd, int ncpu, size_t *n)
{
	struct arcpkt_trace_val *v = calloc(ncpu, sizeof(*v));
	struct arcpkt_trace_key k, next, *prev = NULL;
	struct src *s = NULL;
	size_t cap = 0;
	int c;

	*n = 0;
	if (!v)
		agenl_die(EX_FAIL, "out of memory");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, v))
			continue;	/* evicted meanwhile */
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			s = realloc(s, cap * sizeof(*s));
			if (!s)
				agenl_die(EX_FAIL, "out of memory");
		}
		format_key(k.addr, k.family, s[*n].addr, sizeof(s[*n].addr));
		s[*n].packets = s[*n].bytes = 0;
		for (c = 0; c < ncpu; c++) {
			s[*n].packets += v[c].packets;
			s[*n].bytes += v[c].bytes;
		}
		(*n)++;
	}
	free(v);
	qsort(s, *n, sizeof(*s), src_cmp);
	return s;
}

static void read_class(int fd, int ncpu, __u32 c, __u64 *packets,
		       __u64 *bytes)
{
	struct arcpkt_trace_val *v = calloc(ncpu, sizeof(*v));
	int i;

	if (!v)
		agenl_die(EX_FAIL, "out of memory");
	*packets = *bytes = 0;
	if (!bpf_map_lookup_elem(fd, &c, v))
		for (i = 0; i < ncpu; i++) {
			*packets += v[i].packets;
			*bytes += v[i].bytes;
		}
	free(v);
}

static bool json_out;
static FILE *events_tmp;

static int on_event(void *ctx, void *data, size_t len)
{
	const struct arcpkt_trace_event *e = data;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	bool v4 = !memcmp(e->saddr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
	FILE *out = json_out ? events_tmp : stdout;

	(void)ctx;
	if (len < sizeof(*e) || e->type >= ARCPKT_NR_DETECT)
		return 0;
	format_key(e->saddr, v4 ? 4 : 6, src, sizeof(src));
	format_key(e->daddr, v4 ? 4 : 6, dst, sizeof(dst));
	if (json_out)
		fprintf(out, "%s{\"type\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\",\"dport\":%u,\"count\":%u,\"probes\":%u,\"qname\":\"%s\",\"qtype\":%u}",
			ftell(out) ? "," : "", arcpkt_detect_name(e->type),
			src, dst, e->dport, e->count, e->probes, e->qname,
			e->qtype);
	else
		printf("event %s src %s dst %s dport %u count %u probes 0x%x qname %s qtype %u\n",
		       arcpkt_detect_name(e->type), src, dst, e->dport,
		       e->count, e->probes, e->qname[0] ? e->qname : "-",
		       e->qtype);
	fflush(stdout);
	return 0;
}

static void print_tables(struct arcpkt_bpf *skel, int ncpu, size_t limit,
			 bool final)
{
	int sfd = bpf_map__fd(skel->maps.sources);
	int cfd = bpf_map__fd(skel->maps.classes);
	size_t n, i;
	struct src *s = read_sources(sfd, ncpu, &n);
	__u64 p, b;
	__u32 c;
	int ch;

	if (json_out && final) {
		printf("{\"classes\":[");
		for (c = 0; c < ARCPKT_TRACE_CLASSES; c++) {
			read_class(cfd, ncpu, c, &p, &b);
			printf("%s{\"hook\":\"%s\",\"family\":\"%s\",\"proto\":\"%s\",\"packets\":%llu,\"bytes\":%llu}",
			       c ? "," : "", arcpkt_hook_name(c / 10),
			       c / 5 % 2 ? "ipv6" : "ipv4",
			       arcpkt_proto_name(c % 5),
			       (unsigned long long)p, (unsigned long long)b);
		}
		printf("],\"sources\":[");
		for (i = 0; i < n && i < limit; i++)
			printf("%s{\"source\":\"%s\",\"packets\":%llu,\"bytes\":%llu}",
			       i ? "," : "", s[i].addr,
			       (unsigned long long)s[i].packets,
			       (unsigned long long)s[i].bytes);
		printf("],\"events\":[");
		rewind(events_tmp);
		while ((ch = fgetc(events_tmp)) != EOF)
			putchar(ch);
		printf("]}\n");
	} else if (!json_out) {
		if (!final && isatty(STDOUT_FILENO))
			printf("\033[H\033[2J");
		printf("%-39s %14s %16s\n", "source (BPF)", "packets", "bytes");
		for (i = 0; i < n && i < limit; i++)
			printf("%-39s %14llu %16llu\n", s[i].addr,
			       (unsigned long long)s[i].packets,
			       (unsigned long long)s[i].bytes);
	}
	fflush(stdout);
	free(s);
}

static volatile sig_atomic_t trace_stop;

static void on_trace_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt,
		       va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/**
 * arcpkt_trace() - the trace command
 * @interval: seconds between tables
 * @duration: seconds to run, 0 until interrupted
 * @limit: sources per table
 * @json: one JSON object at the end instead of live tables
 *
 * Return: the exit status.
 */
int arcpkt_trace(double interval, double duration, size_t limit, bool json)
{
	struct timespec t0, now, last;
	struct ring_buffer *rb;
	struct arcpkt_bpf *skel;
	int ncpu, err;

	json_out = json;
	check_formats();
	libbpf_set_print(quiet_print);
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		agenl_die(EX_FAIL, "trace: cannot count the CPUs: %s", strerror(-ncpu));
	skel = arcpkt_bpf__open_and_load();
	if (!skel)
		agenl_die(errno == EPERM ? EX_PERM : EX_FAIL,
			  "trace: loading the BPF programs: %s%s", strerror(errno),
			  errno == EPERM ? " (needs CAP_BPF and CAP_PERFMON, or root)" : "");
	err = arcpkt_bpf__attach(skel);
	if (err)
		agenl_die(EX_FAIL, "trace: attaching to arc_pktan's tracepoints: %s",
			  strerror(-err));
	rb = ring_buffer__new(bpf_map__fd(skel->maps.detections), on_event,
			      NULL, NULL);
	if (!rb)
		agenl_die(EX_FAIL, "trace: ring buffer: %s", strerror(errno));
	if (json && !(events_tmp = tmpfile()))
		agenl_die(EX_FAIL, "trace: %s", strerror(errno));
	signal(SIGINT, on_trace_signal);
	signal(SIGTERM, on_trace_signal);
	fprintf(stderr, "%s: tracing\n", agenl_prog);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	last = t0;
	while (!trace_stop) {
		err = ring_buffer__poll(rb, 100);
		if (err < 0 && err != -EINTR)
			agenl_die(EX_FAIL, "trace: ring buffer: %s", strerror(-err));
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration > 0 && now.tv_sec - t0.tv_sec +
		    (now.tv_nsec - t0.tv_nsec) / 1e9 >= duration)
			break;
		if (!json && now.tv_sec - last.tv_sec +
		    (now.tv_nsec - last.tv_nsec) / 1e9 >= interval) {
			print_tables(skel, ncpu, limit, false);
			last = now;
		}
	}
	/* What is still in the ring, then the last tables. */
	ring_buffer__consume(rb);
	print_tables(skel, ncpu, limit, true);
	ring_buffer__free(rb);
	arcpkt_bpf__destroy(skel);
	if (events_tmp)
		fclose(events_tmp);
	return EX_OK;
}
