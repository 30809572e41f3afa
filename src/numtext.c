#include "numtext.h"

#include <math.h>
#include <string.h>

/* Writes the digits of v (v > 0 or v == 0) ending just before end;
 * returns where they start. */
static char *S_digits(unsigned long long v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

size_t numtext_int(long long v, char *out)
{
	char tmp[24];
	char *end = tmp + sizeof tmp;
	unsigned long long mag =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *p = S_digits(mag, end);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(end - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

size_t numtext_millionths(long long millionths, char *out)
{
	unsigned long long mag = millionths < 0
				     ? 0ULL - (unsigned long long)millionths
				     : (unsigned long long)millionths;
	unsigned long long whole = mag / 1000000, frac = mag % 1000000;
	size_t n = 0;
	if (millionths < 0)
		out[n++] = '-';
	char tmp[24];
	char *end = tmp + sizeof tmp;
	char *p = S_digits(whole, end);
	memcpy(out + n, p, (size_t)(end - p));
	n += (size_t)(end - p);
	if (frac) {
		char digits[6];
		int places = 6;
		for (int i = 5; i >= 0; i--) {
			digits[i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		while (digits[places - 1] == '0')
			places--;
		out[n++] = '.';
		memcpy(out + n, digits, (size_t)places);
		n += (size_t)places;
	}
	out[n] = '\0';
	return n;
}

int numtext_as_millionths(double d, long long *millionths)
{
	if (!(fabs(d) < 1e9))
		return -1;
	long long k = llround(d * 1e6);
	if ((double)k / 1e6 != d)
		return -1;
	*millionths = k;
	return 0;
}
