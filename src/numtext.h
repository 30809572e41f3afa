/* numtext: decimal text of numbers without printf, for the hot paths of
 * the build (every price and count of every page goes through here).
 *
 * Each function writes a NUL-terminated string to the caller's buffer and
 * returns its length; the results equal the printf forms named below,
 * which the unit test checks over many values. */
#ifndef STACKMAP_NUMTEXT_H
#define STACKMAP_NUMTEXT_H

#include <stddef.h>

/* v in decimal, as "%lld". out holds at least 21 bytes. */
size_t numtext_int(long long v, char *out);

/* millionths / 1e6 with its six decimals and trailing zeros dropped (and
 * the point when none is left): 1500000 -> "1.5", -250 -> "-0.00025",
 * 3000000 -> "3". out holds at least 29 bytes. */
size_t numtext_millionths(long long millionths, char *out);

/* The exact number of millionths d stands for when d is the double
 * nearest a decimal with at most six places and |d| < 1e9: then 0 with
 * *millionths set; else -1. */
int numtext_as_millionths(double d, long long *millionths);

#endif
