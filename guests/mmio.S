/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A long-mode guest that stores to 0xd0000000, above any RAM a VM of
 * this project may have (the identity map covers 4 GiB): an MMIO exit.
 * If the store comes back, "mmio\n" on 0xE9 and HLT.
 */
	.code64
	.section .text.start, "ax"
	.globl	_start
_start:
	mov	$0xd0000000, %rax
	movl	$0x12345678, (%rax)
	lea	msg(%rip), %rsi
1:
	lodsb
	test	%al, %al
	jz	2f
	out	%al, $0xe9
	jmp	1b
2:
	hlt
	jmp	2b
msg:
	.asciz	"mmio\n"

	.section .note.GNU-stack, "", @progbits
