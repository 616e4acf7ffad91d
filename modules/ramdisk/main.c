// SPDX-License-Identifier: GPL-2.0
/*
 * arc_ramdisk: a sparse RAM disk on ARC_BLOCK.
 *
 * /dev/arcram0 .. /dev/arcram<nr_devices-1>, each size_mb MiB. Memory is
 * allocated on first write and given back by discard; see
 * Documentation/ramdisk.md for the sysfs view of it. blk-mq by default,
 * bio-based with queue_mode=bio; requests complete inline, from a softirq
 * or after a timer (completion=).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "ramdisk.h"

#define RAMDISK_MAX_DEVICES	256
#define RAMDISK_MAX_DEPTH	4096

/*
 * A parameter that is an unsigned int within [min, max()]. Out-of-range
 * values are refused while the module's arguments are parsed, so a bad
 * value stops the load before anything is registered.
 */
struct ramdisk_param {
	unsigned int value;
	unsigned int min;
	unsigned int (*limit)(void);
	const char *unit;
	unsigned int (*dflt)(void);
};

static unsigned int ram_mb(void)
{
	return totalram_pages() >> (20 - PAGE_SHIFT);
}

static unsigned int max_sleep_ms(void)
{
	return MSEC_PER_SEC;
}

static unsigned int max_devices(void)
{
	return RAMDISK_MAX_DEVICES;
}

static unsigned int max_queues(void)
{
	return nr_cpu_ids;
}

static unsigned int max_depth(void)
{
	return RAMDISK_MAX_DEPTH;
}

static int ramdisk_param_set(const char *val, const struct kernel_param *kp)
{
	struct ramdisk_param *p = kp->arg;
	unsigned int v, max = p->limit();

	if (kstrtouint(val, 0, &v)) {
		arc_err("%s='%s': not an unsigned integer\n", kp->name, val);
		return -EINVAL;
	}
	if (v < p->min || v > max) {
		arc_err("%s=%u: must be %u to %u%s\n", kp->name, v, p->min,
			max, p->unit);
		return -EINVAL;
	}
	p->value = v;
	return 0;
}

static int ramdisk_param_get(char *buf, const struct kernel_param *kp)
{
	const struct ramdisk_param *p = kp->arg;

	/* Where 0 is not valid, it marks a default computed at load time. */
	return sysfs_emit(buf, "%u\n",
			  !p->value && p->dflt ? p->dflt() : p->value);
}

static const struct kernel_param_ops ramdisk_param_ops = {
	.set = ramdisk_param_set,
	.get = ramdisk_param_get,
};

static struct ramdisk_param nr_devices = { 1, 1, max_devices, "" };
module_param_cb(nr_devices, &ramdisk_param_ops, &nr_devices, 0444);
MODULE_PARM_DESC(nr_devices, "Number of RAM disks /dev/arcramN (1-256, default 1)");

static struct ramdisk_param size_mb = { 100, 1, ram_mb, " (MiB of RAM)" };
module_param_cb(size_mb, &ramdisk_param_ops, &size_mb, 0444);
MODULE_PARM_DESC(size_mb, "Size of each RAM disk in MiB (default 100; all disks together must fit in RAM)");

static struct ramdisk_param hw_queues = { 0, 1, max_queues, " (CPUs)", max_queues };
module_param_cb(hw_queues, &ramdisk_param_ops, &hw_queues, 0444);
MODULE_PARM_DESC(hw_queues, "blk-mq hardware queues per disk (1-nr_cpu_ids, default one per CPU)");

static struct ramdisk_param queue_depth = { 128, 1, max_depth, "" };
module_param_cb(queue_depth, &ramdisk_param_ops, &queue_depth, 0444);
MODULE_PARM_DESC(queue_depth, "Tags per hardware queue (1-4096, default 128)");

static struct ramdisk_param reserve_mb = { 64, 0, ram_mb, " (MiB of RAM)" };
module_param_cb(reserve_mb, &ramdisk_param_ops, &reserve_mb, 0444);
MODULE_PARM_DESC(reserve_mb, "MiB of available memory the disks leave to the rest of the system: a write needing a new page below it fails (default 64; 0: only the page allocator's limits)");

static bool alloc_nowait = true;
module_param(alloc_nowait, bool, 0444);
MODULE_PARM_DESC(alloc_nowait, "Allocate the page a write needs on the submitting CPU without sleeping, leaving only failures to the disk's worker (default Y); N: every such write goes through the worker, which may reclaim memory (slower; tests that path)");

static struct ramdisk_param worker_sleep_ms = { 0, 0, max_sleep_ms, " ms" };
module_param_cb(worker_sleep_ms, &ramdisk_param_ops, &worker_sleep_ms, 0444);
MODULE_PARM_DESC(worker_sleep_ms, "Test only: the disk's worker sleeps this long before allocating each page, as it may under memory pressure (0-1000, default 0)");

static bool iostats;
module_param(iostats, bool, 0444);
MODULE_PARM_DESC(iostats, "Keep I/O statistics in /proc/diskstats (default N, as brd; each disk's queue/iostats can still turn them on)");

/* A parameter that is one of a few words; its value is the word's index. */
struct ramdisk_choice {
	unsigned int value;
	const char *const *words;
	const char *expect;
};

static int ramdisk_choice_set(const char *val, const struct kernel_param *kp)
{
	struct ramdisk_choice *c = kp->arg;
	int i = __sysfs_match_string(c->words, -1, val);

	if (i < 0) {
		arc_err("%s='%.*s': must be %s\n", kp->name,
			(int)strcspn(val, "\n"), val, c->expect);
		return -EINVAL;
	}
	c->value = i;
	return 0;
}

static int ramdisk_choice_get(char *buf, const struct kernel_param *kp)
{
	const struct ramdisk_choice *c = kp->arg;

	return sysfs_emit(buf, "%s\n", c->words[c->value]);
}

static const struct kernel_param_ops ramdisk_choice_ops = {
	.set = ramdisk_choice_set,
	.get = ramdisk_choice_get,
};

static const char *const queue_mode_words[] = { "mq", "bio", NULL };
static struct ramdisk_choice queue_mode = { 0, queue_mode_words, "mq or bio" };
module_param_cb(queue_mode, &ramdisk_choice_ops, &queue_mode, 0444);
MODULE_PARM_DESC(queue_mode, "How I/O reaches the disk: mq (blk-mq requests, the default) or bio (each bio straight from submit_bio(), completed inline), like null_blk's queue_mode");

/* In the order of enum ramdisk_completion. */
static const char *const completion_words[] = { "inline", "softirq", "timer", NULL };
static struct ramdisk_choice completion = {
	0, completion_words, "inline, softirq or timer"
};
module_param_cb(completion, &ramdisk_choice_ops, &completion, 0444);
MODULE_PARM_DESC(completion, "How a served request ends (queue_mode=mq): inline (default), softirq (the block layer's completion on the submitting CPU, as after an interrupt) or timer (completion_nsec later), like null_blk's irqmode");

static unsigned int max_nsec(void)
{
	return NSEC_PER_SEC;
}

static struct ramdisk_param completion_nsec = { 10000, 0, max_nsec, " ns" };
module_param_cb(completion_nsec, &ramdisk_param_ops, &completion_nsec, 0444);
MODULE_PARM_DESC(completion_nsec, "Latency of completion=timer in ns (0-1000000000, default 10000)");

static struct ramdisk_param hold_every = { 0, 0, max_depth, "" };
module_param_cb(hold_every, &ramdisk_param_ops, &hold_every, 0444);
MODULE_PARM_DESC(hold_every, "Test only: every Nth write request (queue_mode=mq) is served but not ended until the block layer's timeout (queue/io_timeout) ends it (0-4096, default 0: never)");

static struct ramdisk **ramdisks;
/* What every disk is made from; the disks keep a pointer to it. */
static struct ramdisk_config cfg;

static void ramdisk_destroy_all(unsigned int count)
{
	while (count--)
		ramdisk_destroy(ramdisks[count]);
	kfree(ramdisks);
	ramdisks = NULL;
	/* Pages freed by discard wait for a grace period in call_rcu(). */
	rcu_barrier();
}

static int __init ramdisk_init(void)
{
	u64 total_mb = (u64)nr_devices.value * size_mb.value;
	unsigned int i;
	int err;

	err = arc_core_api_check() ?: arc_block_api_check();
	if (err)
		return err;
	cfg = (struct ramdisk_config) {
		.size_mb = size_mb.value,
		.hw_queues = hw_queues.value ? hw_queues.value : nr_cpu_ids,
		.queue_depth = queue_depth.value,
		.reserve_pages = (unsigned long)reserve_mb.value << (20 - PAGE_SHIFT),
		.alloc_nowait = alloc_nowait,
		.sleep_ms = worker_sleep_ms.value,
		.iostats = iostats,
		.bio = queue_mode.value == 1,
		.completion = completion.value,
		.completion_nsec = completion_nsec.value,
		.hold_every = hold_every.value,
	};
	if (cfg.bio && (cfg.completion != RAMDISK_COMPLETE_INLINE || cfg.hold_every)) {
		arc_err("queue_mode=bio completes every bio inline: completion=%s and hold_every=%u need queue_mode=mq\n",
			completion_words[cfg.completion], cfg.hold_every);
		return -EINVAL;
	}
	if (total_mb > ram_mb()) {
		arc_err("nr_devices=%u x size_mb=%u = %llu MiB: more than the %u MiB of RAM\n",
			nr_devices.value, size_mb.value, total_mb, ram_mb());
		return -EINVAL;
	}

	ramdisks = kcalloc(nr_devices.value, sizeof(*ramdisks), GFP_KERNEL);
	if (!ramdisks)
		return -ENOMEM;
	for (i = 0; i < nr_devices.value; i++) {
		ramdisks[i] = ramdisk_create(i, &cfg);
		if (IS_ERR(ramdisks[i])) {
			err = PTR_ERR(ramdisks[i]);
			arc_err("cannot create arcram%u: %d\n", i, err);
			goto err_disks;
		}
	}
	if (cfg.bio)
		arc_info("%u disk(s) of %u MiB, bio-based\n", nr_devices.value,
			 cfg.size_mb);
	else
		arc_info("%u disk(s) of %u MiB, %u hw queue(s) of depth %u, completion %s\n",
			 nr_devices.value, cfg.size_mb, cfg.hw_queues,
			 cfg.queue_depth, completion_words[cfg.completion]);
	return 0;

err_disks:
	ramdisk_destroy_all(i);
	return err;
}

static void __exit ramdisk_exit(void)
{
	ramdisk_destroy_all(nr_devices.value);
	arc_info("unloaded\n");
}

module_init(ramdisk_init);
module_exit(ramdisk_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc example: sparse RAM disk, blk-mq or bio-based (/dev/arcramN)");
MODULE_VERSION(ARC_RELEASE);
ARC_IMPORT_NS(ARC_CORE);
ARC_IMPORT_NS(ARC_BLOCK);
