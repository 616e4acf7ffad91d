// SPDX-License-Identifier: GPL-2.0
/*
 * arcpkt trace: BPF programs on arc_pktan's tracepoints. Classic
 * tracepoint programs, attached through the tracefs event id: they work
 * for a module's tracepoints on every kernel of arc's range, with or
 * without module BTF (Debian's 5.10 and 6.1 have none; tp_btf programs
 * would need it). The context layouts below are the tracepoints' records
 * (modules/pktan/trace.h); arcpkt checks them against the running
 * kernel's format files before it loads anything.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "trace_bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Per source: packets and bytes, bounded by LRU eviction. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, ARCPKT_TRACE_SOURCES);
	__type(key, struct arcpkt_trace_key);
	__type(value, struct arcpkt_trace_val);
} sources SEC(".maps");

/* Per hook, family and protocol class, as the module counts. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ARCPKT_TRACE_CLASSES);
	__type(key, __u32);
	__type(value, struct arcpkt_trace_val);
} classes SEC(".maps");

/* Detections, as they happen. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} detections SEC(".maps");

SEC("tracepoint/arc_pktan/pktan_packet")
int on_packet(struct arcpkt_packet_ctx *ctx)
{
	struct arcpkt_trace_key k = { .family = ctx->family };
	struct arcpkt_trace_val *v, one = { 1, ctx->len };
	__u32 c;

	if (ctx->hook > 1 || ctx->proto > 4)
		return 0;
	c = (ctx->hook * 2 + (ctx->family == 6)) * 5 + ctx->proto;
	v = bpf_map_lookup_elem(&classes, &c);
	if (v) {
		v->packets++;
		v->bytes += ctx->len;
	}
	if (ctx->hook)
		return 0;
	__builtin_memcpy(k.addr, ctx->saddr, sizeof(k.addr));
	v = bpf_map_lookup_elem(&sources, &k);
	if (v) {
		v->packets++;
		v->bytes += ctx->len;
	} else {
		bpf_map_update_elem(&sources, &k, &one, BPF_NOEXIST);
	}
	return 0;
}

SEC("tracepoint/arc_pktan/pktan_detect")
int on_detect(struct arcpkt_detect_ctx *ctx)
{
	struct arcpkt_trace_event *e;
	__u32 off = ctx->qname_loc & 0xffff, len = ctx->qname_loc >> 16;

	e = bpf_ringbuf_reserve(&detections, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memcpy(e->saddr, ctx->saddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, ctx->daddr, sizeof(e->daddr));
	e->count = ctx->count;
	e->dport = ctx->dport;
	e->qtype = ctx->qtype;
	e->type = ctx->type;
	e->probes = ctx->probes;
	e->qname[0] = 0;
	if (len > sizeof(e->qname))
		len = sizeof(e->qname);
	if (len)
		bpf_probe_read_kernel(e->qname, len & (sizeof(e->qname) - 1),
				      (void *)ctx + (off & 0xfff));
	e->qname[sizeof(e->qname) - 1] = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
