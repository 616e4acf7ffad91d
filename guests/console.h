/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The long-mode guests' console: COM1, a 16550 at 0x3f8, polled (wait
 * for the transmit holding register to be empty, bit 5 of the line
 * status register, then write the byte). The real-mode guests use the
 * debug port 0xE9 instead; a VMM shows both as one console.
 */
#ifndef _ARC_GUEST_CONSOLE_H
#define _ARC_GUEST_CONSOLE_H

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20

static inline void outb(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void com1_putc(char c)
{
	int spins = 1000;

	while (!(inb(COM1_LSR) & LSR_THRE) && --spins)
		;
	outb(COM1, c);
}

static inline void com1_puts(const char *s)
{
	while (*s)
		com1_putc(*s++);
}

static inline void put_u64(unsigned long long v)
{
	char buf[21];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	com1_puts(buf + i);
}

#endif
