/* SPDX-License-Identifier: GPL-2.0 */
/* Between the files of arc_kvm.ko. */
#ifndef _ARC_KVM_INTERNAL_H
#define _ARC_KVM_INTERNAL_H

int arc_kvm_vm_init(void);

#endif /* _ARC_KVM_INTERNAL_H */
