/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arc compatibility layer: the only place (with the C files beside it) where
 * kernel differences are tested. The ARC_HAVE_* macros come from the
 * probes (shim/compat/probe.sh), never from LINUX_VERSION_CODE: distro and
 * stable kernels backport API changes, so version numbers lie.
 */
#ifndef _ARC_COMPAT_H
#define _ARC_COMPAT_H

#include <arc_probes.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/module.h>

/*
 * Symbol namespaces: a bare identifier before 6.13, a string literal
 * since. The extra macro level makes the argument expand before the
 * kernel's macros stringify it.
 */
#if defined(ARC_HAVE_NS_IDENT)
#define ARC_COMPAT_NS(ns)	ns
#elif defined(ARC_HAVE_NS_STRING)
#define ARC_COMPAT_NS(ns)	#ns
#else
#error "arc: no MODULE_IMPORT_NS shape probed (see shim/compat/probes.list)"
#endif
#define ARC_COMPAT_IMPORT_NS(ns)	MODULE_IMPORT_NS(ns)
/* GPL-only: arc is built on GPL-only kernel interfaces. */
#define ARC_COMPAT_EXPORT_NS(sym, ns) EXPORT_SYMBOL_NS_GPL(sym, ns)

/*
 * A page's kernel address for a short copy, never an atomic mapping: the
 * caller's context stays what it was (preemptible or not, page faults
 * allowed or not), so a caller that may sleep still may while it holds
 * one. kmap_local_page() (5.11) disables neither preemption nor page
 * faults: on kernels without highmem (every 64-bit one) it is
 * page_address(), and highmem mappings follow the task across a context
 * switch. Older kernels only have kmap_atomic(), which disables both,
 * and kmap(), which may sleep to get a slot; without highmem neither is
 * needed and the page's linear address is the mapping. A highmem kernel
 * without kmap_local_page() (32-bit, before 5.11) is refused rather than
 * given an atomic mapping that a sleeping caller would break.
 */
#if defined(ARC_HAVE_KMAP_LOCAL)
#define arc_kmap_local(page)	kmap_local_page(page)
#define arc_kunmap_local(addr)	kunmap_local(addr)
#elif !defined(CONFIG_HIGHMEM)
#define arc_kmap_local(page)	page_address(page)
#define arc_kunmap_local(addr)	((void)(addr))
#else
#error "arc: highmem kernel without kmap_local_page() (before 5.11): not supported"
#endif

/*
 * block_device_operations.submit_bio returns a blk_qc_t until 5.15
 * (include/arc/block.h's ARC_BLK_BIO_FOPS names arc's).
 */
#if defined(ARC_HAVE_SUBMIT_BIO_VOID)
#define ARC_COMPAT_SUBMIT_BIO_TYPE	void
#elif defined(ARC_HAVE_SUBMIT_BIO_QC)
#define ARC_COMPAT_SUBMIT_BIO_TYPE	blk_qc_t
#endif

/* A relative CLOCK_MONOTONIC timer that calls @fn. */
static inline void
arc_compat_hrtimer_setup(struct hrtimer *t,
			 enum hrtimer_restart (*fn)(struct hrtimer *))
{
#ifdef ARC_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->function = fn;
#endif
}

#endif /* _ARC_COMPAT_H */
