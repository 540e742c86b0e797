/*
 * http_reply.c: the answers cfgrun makes itself: HAProxy's default error
 * pages, byte for byte as HAProxy 2.6 sends them (a client or a monitor
 * that matches on them sees no difference).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http_reply.h"

/* Status, reason and the one-line explanation of HAProxy's pages. */
static const struct http_err_page {
	uint16_t status;
	const char *reason;
	const char *text;
} http_err_pages[] = {
	{ 200, "OK", "Service ready." },
	{ 400, "Bad request", "Your browser sent an invalid request." },
	{ 401, "Unauthorized", "You need a valid user and password to access this content." },
	{ 403, "Forbidden", "Request forbidden by administrative rules." },
	{ 404, "Not Found", "The resource could not be found." },
	{ 405, "Method Not Allowed", "A request was made of a resource using a request method not supported by that resource" },
	{ 407, "Unauthorized", "You need a valid user and password to access this content." },
	{ 408, "Request Time-out", "Your browser didn't send a complete request in time." },
	{ 410, "Gone", "The resource is no longer available and will not be available again." },
	{ 413, "Payload Too Large", "The request entity exceeds the maximum allowed." },
	{ 425, "Too Early", "Your browser sent early data." },
	{ 429, "Too Many Requests", "You have sent too many requests in a given amount of time." },
	{ 500, "Internal Server Error", "An internal server error occurred." },
	{ 501, "Not Implemented", "The server does not support the functionality required to fulfill the request." },
	{ 502, "Bad Gateway", "The server returned an invalid or incomplete response." },
	{ 503, "Service Unavailable", "No server is available to handle this request." },
	{ 504, "Gateway Time-out", "The server didn't respond in time." },
};

#define HTTP_NERR_PAGES (sizeof(http_err_pages) / sizeof(http_err_pages[0]))

static const struct http_err_page *http_err_page(unsigned status)
{
	for (size_t i = 0; i < HTTP_NERR_PAGES; i++)
		if ((unsigned)http_err_pages[i].status == status)
			return &http_err_pages[i];
	return NULL;
}

size_t http_err_default(unsigned status, int raw, char *out, size_t size)
{
	const struct http_err_page *e = http_err_page(status);
	char body[256];
	int blen, n;

	if (!e)
		e = http_err_page(status >= 500 ? 500u : 400u);
	blen = snprintf(body, sizeof(body),
	                "<html><body><h1>%u %s</h1>\n%s\n</body></html>\n",
	                e->status, e->reason, e->text);
	if (blen < 0 || (size_t)blen >= sizeof(body))
		return 0;
	/* HAProxy writes the two forms differently; clients see both. */
	n = snprintf(out, size,
	             raw ? "HTTP/1.1 %u %s\r\n"
	                   "Content-length: %d\r\n"
	                   "Cache-Control: no-cache\r\n"
	                   "Connection: close\r\n"
	                   "Content-Type: text/html\r\n"
	                   "\r\n%s" :
	                   "HTTP/1.1 %u %s\r\n"
	                   "content-length: %d\r\n"
	                   "cache-control: no-cache\r\n"
	                   "content-type: text/html\r\n"
	                   "\r\n%s",
	             e->status, e->reason, blen, body);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}
