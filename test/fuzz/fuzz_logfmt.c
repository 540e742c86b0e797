/*
 * fuzz_logfmt.c: fuzz target of the log-format parser (kw_logformat_check()
 * in compiler/kw-http.c, then the %[...] sample expressions of the format
 * compiled as anonymous ACL lines, kw-http.c's http_logfmt_exprs()).
 *
 * Each input is the text of a format. It is spelled as one double-quoted
 * word (every byte escaped as the lexer reads it back: \" \\ \$ \t \n \r
 * and \xHH for the other control bytes) on the log-format line of an HTTP
 * frontend that logs, and the configuration goes through cfgc's front
 * end (fuzz_compile()). Then:
 *
 *   - a format cfgc refuses (a located error) is fine;
 *   - a plan cfgc writes must verify;
 *   - it must dump to text that compiles back to the same plan.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LF_MAX 4096        /* bytes of a format looked at */

static const char fuzz_lf_pre[] =
	"defaults\n"
	"    mode http\n"
	"    timeout client 5s\n"
	"    timeout server 5s\n"
	"    timeout connect 1s\n"
	"frontend fe\n"
	"    bind 127.0.0.1:8080\n"
	"    log 127.0.0.1:514 local0\n"
	"    log-format \"";
static const char fuzz_lf_post[] =
	"\"\n"
	"    default_backend be\n"
	"backend be\n"
	"    server s1 127.0.0.1:8081\n";

/* Byte c as the lexer reads it inside double quotes, into out (5 bytes
 * at most); returns the bytes written. */
static size_t fuzz_lf_escape(uint8_t c, char *out)
{
	switch (c) {
	case '"': case '\\': case '$':
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	case '\t':
		memcpy(out, "\\t", 2);
		return 2;
	case '\n':
		memcpy(out, "\\n", 2);
		return 2;
	case '\r':
		memcpy(out, "\\r", 2);
		return 2;
	}
	if (c < 0x20 || c >= 0x7f)
		return (size_t)snprintf(out, 5, "\\x%02x", c);
	out[0] = (char)c;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, len = 0;
	struct plan p;
	uint8_t *img;
	char why[512];
	char *text;

	if (size > FUZZ_LF_MAX)
		return 0;
	cap = sizeof(fuzz_lf_pre) + 4 * size + sizeof(fuzz_lf_post);
	text = malloc(cap);
	if (!text)
		return 0;
	memcpy(text, fuzz_lf_pre, sizeof(fuzz_lf_pre) - 1);
	len = sizeof(fuzz_lf_pre) - 1;
	for (size_t i = 0; i < size; i++)
		len += fuzz_lf_escape(data[i], text + len);
	memcpy(text + len, fuzz_lf_post, sizeof(fuzz_lf_post) - 1);
	len += sizeof(fuzz_lf_post) - 1;
	switch (fuzz_compile(text, len, "logfmt.cfg", &img, &p, why,
	                     sizeof(why))) {
	case FUZZ_REFUSED:
		free(text);
		return 0;
	case FUZZ_UNVERIFIED:
		fprintf(stderr, "fuzz_logfmt: cfgc wrote a plan the verifier "
		        "refuses: %s\n--- configuration:\n%.*s", why, (int)len,
		        text);
		abort();
	case FUZZ_COMPILED:
		break;
	}
	fuzz_roundtrip(&p, "fuzz_logfmt", 0, 0);
	free(img);
	free(text);
	return 0;
}
