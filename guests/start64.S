/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the long-mode guests: the VMM enters at 0x1000 in 64-bit mode
 * with paging on (identity map), a flat code segment and the stack at
 * the top of guest RAM. Clears .bss, calls guest_main(), halts for good.
 */
	.code64
	.section .text.start, "ax"
	.globl	_start
_start:
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	call	guest_main
1:
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
