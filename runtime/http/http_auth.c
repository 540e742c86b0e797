/*
 * http_auth.c: Basic credentials against a packed userlist (http_auth.h).
 */
#include "config.h"

#include <crypt.h>
#include <string.h>
#include <openssl/base64.h>
#include <openssl/mem.h>

#include "http_auth.h"

/* crypt_r's state: large, one per thread. */
static __thread struct crypt_data http_auth_cd;

static int http_auth_pass_ok(const struct plan_ul_user *u, const char *pw,
                             size_t pl)
{
	char clear[512], hash[512];
	const char *r;

	if (u->kind == 'I')
		return u->pass_len == pl && !CRYPTO_memcmp(u->pass, pw, pl);
	if (!u->pass_len || pl >= sizeof(clear) || u->pass_len >= sizeof(hash) ||
	    memchr(pw, '\0', pl))
		return 0;
	memcpy(clear, pw, pl);
	clear[pl] = '\0';
	memcpy(hash, u->pass, u->pass_len);
	hash[u->pass_len] = '\0';
	memset(&http_auth_cd, 0, sizeof(http_auth_cd));
	r = crypt_r(clear, hash, &http_auth_cd);
	/* a failing crypt gives NULL or a string starting with '*' */
	return r && r[0] != '*' && strlen(r) == u->pass_len &&
	       !CRYPTO_memcmp(r, hash, u->pass_len);
}

int http_auth_check(const char *ul, size_t ull, const char *hv, size_t hl,
                    struct plan_ul_user *u)
{
	uint8_t dec[768];
	size_t declen, pos = 0;
	const char *colon;

	while (hl && (*hv == ' ' || *hv == '\t')) {
		hv++;
		hl--;
	}
	if (hl < 6 || strncasecmp(hv, "Basic", 5) || (hv[5] != ' ' && hv[5] != '\t'))
		return 0;
	hv += 6;
	hl -= 6;
	while (hl && (*hv == ' ' || *hv == '\t')) {
		hv++;
		hl--;
	}
	while (hl && (hv[hl - 1] == ' ' || hv[hl - 1] == '\t'))
		hl--;
	if (!hl || !EVP_DecodeBase64(dec, &declen, sizeof(dec),
	                             (const uint8_t *)hv, hl))
		return 0;
	if (!(colon = memchr(dec, ':', declen)))
		return 0;
	while (plan_userlist_next(ul, ull, &pos, u)) {
		size_t nl = (size_t)(colon - (const char *)dec);

		if (u->name_len != nl || memcmp(u->name, dec, nl))
			continue;
		return http_auth_pass_ok(u, colon + 1, declen - nl - 1);
	}
	return 0;
}
