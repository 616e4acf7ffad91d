// SPDX-License-Identifier: GPL-2.0
/*
 * arc_kvm.ko: ARC_KVM, a VM with one vCPU driven through the stock KVM
 * (include/arc/kvm.h). Built when the kernel has CONFIG_KVM.
 */
#include <linux/module.h>

#include <arc/kvm.h>

#include "internal.h"

u32 arc_kvm_api_version(void)
{
	return ARC_API(ARC_KVM);
}
EXPORT_SYMBOL_ARC(arc_kvm_api_version, ARC_KVM);

static int __init arc_kvm_init(void)
{
	return arc_kvm_vm_init();
}

static void __exit arc_kvm_exit(void)
{
}

module_init(arc_kvm_init);
module_exit(arc_kvm_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The arc developers");
MODULE_DESCRIPTION("arc compatibility shim: ARC_KVM (a VM driven through the stock KVM)");
MODULE_VERSION(ARC_API_STRING(ARC_KVM));
