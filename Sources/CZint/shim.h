#ifndef FENXIAO_CZINT_SHIM_H
#define FENXIAO_CZINT_SHIM_H
/* Zint (Debian libzint-dev): Code 128 barcodes of order ids on till receipts. */
#include <zint.h>
#endif
