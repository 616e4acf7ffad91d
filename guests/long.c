// SPDX-License-Identifier: GPL-2.0
/*
 * A long-mode guest in C: computes, prints what it computed on COM1,
 * halts. Its output is fixed, so a test compares it whole:
 *
 *	primes below 10000: 1229
 *	fib(90): 2880067194370816120
 *	sum of squares 1..1000: 333833500
 */
#include "console.h"

static unsigned char sieve[10000];

static unsigned long long count_primes(unsigned int n)
{
	unsigned long long count = 0;
	unsigned int i, j;

	for (i = 2; i < n; i++) {
		if (sieve[i])
			continue;
		count++;
		for (j = i * 2; j < n; j += i)
			sieve[j] = 1;
	}
	return count;
}

static unsigned long long fib(unsigned int n)
{
	unsigned long long a = 0, b = 1, t;

	while (n--) {
		t = a + b;
		a = b;
		b = t;
	}
	return a;
}

void guest_main(void);
void guest_main(void)
{
	unsigned long long s = 0, i;

	com1_puts("primes below 10000: ");
	put_u64(count_primes(sizeof(sieve)));
	com1_puts("\nfib(90): ");
	put_u64(fib(90));
	for (i = 1; i <= 1000; i++)
		s += i * i;
	com1_puts("\nsum of squares 1..1000: ");
	put_u64(s);
	com1_puts("\n");
}
