/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A triple fault, in long mode: an interrupt table of limit 0 makes UD2's
 * #UD fault, the fault's delivery fault again (#GP, then #DF), and the
 * CPU shut down.
 */
	.code64
	.section .text.start, "ax"
	.globl	_start
_start:
	lidt	idt(%rip)
	ud2
	hlt
idt:
	.word	0
	.quad	0

	.section .note.GNU-stack, "", @progbits
