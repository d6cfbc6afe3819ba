#ifndef FENXIAO_CPOSTGRES_SHIM_H
#define FENXIAO_CPOSTGRES_SHIM_H
/* libpq (Debian libpq-dev): the PostgreSQL client central's PostgreSQL backend uses. */
#include <postgresql/libpq-fe.h>
#endif
