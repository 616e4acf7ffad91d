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

/* Short-lived, CPU-local mapping of a page (kmap_local_page since 5.11). */
#ifdef ARC_HAVE_KMAP_LOCAL
#define arc_kmap_local(page)	kmap_local_page(page)
#define arc_kunmap_local(addr)	kunmap_local(addr)
#else
/* Before 5.11 the atomic mapping is the local one (no sleeping inside). */
#define arc_kmap_local(page)	kmap_atomic(page)
#define arc_kunmap_local(addr)	kunmap_atomic(addr)
#endif

#endif /* _ARC_COMPAT_H */
