/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARC_CORE (arc.ko): API versions, symbol namespaces, logging helpers.
 *
 * Every arc module includes this header (directly or through another
 * <arc/...> header). It must not test kernel versions: anything that
 * differs between kernels comes from <compat/compat.h>, which the probes
 * generate for the target kernel.
 */
#ifndef _ARC_ARC_H
#define _ARC_ARC_H

#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <uapi/arc/version.h>
#include <compat/compat.h>

/**
 * ARC_IMPORT_NS() - import one arc symbol namespace into this module
 * @ns: namespace identifier, e.g. ARC_BLOCK (written without quotes)
 *
 * Expands to MODULE_IMPORT_NS() in whatever form the target kernel takes
 * (a bare identifier before 6.13, a string literal since). modpost
 * refuses to link a module that uses an arc symbol whose namespace it did
 * not import; modinfo lists the imports under "import_ns", and depmod
 * makes modprobe load the shim module of each namespace used (modinfo's
 * "depends"), and no other.
 */
#define ARC_IMPORT_NS(ns)	ARC_COMPAT_IMPORT_NS(ARC_COMPAT_NS(ns))

/**
 * EXPORT_SYMBOL_ARC() - export an arc symbol into a namespace (shim only)
 * @sym: the function or variable to export
 * @ns: namespace identifier, e.g. ARC_BLOCK (written without quotes)
 *
 * Always GPL-only: arc sits on GPL-only kernel interfaces. Named like the
 * kernel's EXPORT_SYMBOL*() so tools treat it as one.
 */
#define EXPORT_SYMBOL_ARC(sym, ns) ARC_COMPAT_EXPORT_NS(sym, ARC_COMPAT_NS(ns))

/**
 * arc_core_api_version() - the ARC_CORE API version of the loaded arc.ko
 *
 * Every shim module exports one such function, arc_<area>_api_version(),
 * and shows the same version in modinfo ("version").
 *
 * Return: ARC_API(ARC_CORE) as arc.ko was built.
 */
u32 arc_core_api_version(void);

/**
 * arc_api_check() - refuse to run on a shim module of another API version
 * @who: the calling module's name, for the message
 * @ns: the namespace, for the message ("ARC_BLOCK")
 * @have: the version of the loaded shim module (its arc_*_api_version())
 * @built_for: the version the caller was compiled against (ARC_API(ns))
 *
 * The major numbers must match and the shim module's minor must be at
 * least the caller's. Logs the reason on mismatch. Modules call it
 * through the check of each namespace they import, e.g.
 * arc_block_api_check(), from their init function.
 *
 * Return: 0 if compatible, -EPROTO otherwise.
 */
int arc_api_check(const char *who, const char *ns, u32 have, u32 built_for);

/**
 * arc_core_api_check() - check the loaded arc.ko against this module
 *
 * Return: 0 if this module may use ARC_CORE, -EPROTO otherwise.
 */
static inline int arc_core_api_check(void)
{
	return arc_api_check(KBUILD_MODNAME, "ARC_CORE",
			     arc_core_api_version(), ARC_API(ARC_CORE));
}

/**
 * arc_sleep_forbidden() - whether the caller is where it must not sleep
 *
 * As far as the running kernel can tell: page faults disabled (as by
 * pagefault_disable() and kmap_atomic()), interrupts off, hard or soft
 * interrupt context or preemption disabled (a non-zero preempt_count();
 * preempt_disable() counts only on kernels built with
 * CONFIG_PREEMPT_COUNT), or inside a read-side section of preemptible
 * RCU.
 *
 * Return: true if sleeping here is a bug.
 */
static inline bool arc_sleep_forbidden(void)
{
	return pagefault_disabled() || irqs_disabled() || preempt_count() ||
	       rcu_preempt_depth();
}

/**
 * arc_might_sleep() - mark a point where the caller may sleep, and check it
 *
 * Put it where a module may sleep on a path that it also runs, under
 * other conditions, in atomic context (a request handler called with
 * can_sleep true, say). It is might_sleep() (a full report on kernels
 * built with CONFIG_DEBUG_ATOMIC_SLEEP, a voluntary preemption point
 * otherwise), preceded by a check that works on every kernel, including
 * stock ones that count neither preemption nor sleeps (Debian's 5.10):
 * if arc_sleep_forbidden(), it warns once per call site with a stack
 * trace ("MODULE: may sleep in atomic context (preempt COUNT pf
 * PAGEFAULTS_DISABLED irq IRQS_DISABLED rcu RCU_DEPTH)").
 */
#define arc_might_sleep()						\
	do {								\
		WARN_ONCE(arc_sleep_forbidden(),			\
			  "%s: may sleep in atomic context (preempt %#x pf %d irq %d rcu %d)\n", \
			  KBUILD_MODNAME, preempt_count(),		\
			  pagefault_disabled(), irqs_disabled(),	\
			  (int)rcu_preempt_depth());			\
		might_sleep();						\
	} while (0)

/*
 * Logging: every message starts with the name of the module that printed
 * it ("arc_ramdisk: ..."), whatever pr_fmt the file defines.
 */
#define arc_err(fmt, ...)	pr_err(KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)
#define arc_warn(fmt, ...)	pr_warn(KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)
#define arc_info(fmt, ...)	pr_info(KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)
#define arc_dbg(fmt, ...)	pr_debug(KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)
#define arc_err_ratelimited(fmt, ...) \
	pr_err_ratelimited(KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)

#endif /* _ARC_ARC_H */
