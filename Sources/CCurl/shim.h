#ifndef FENXIAO_CCURL_SHIM_H
#define FENXIAO_CCURL_SHIM_H
#include <curl/curl.h>

/* Swift cannot call C variadic functions; these typed wrappers forward to curl_easy_setopt/getinfo. */
static inline CURLcode fx_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fx_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fx_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*fx_write_cb)(char *, size_t, size_t, void *);
static inline CURLcode fx_setopt_write(CURL *h, CURLoption o, fx_write_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode fx_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode fx_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
#endif
