/*
 * test_mptcp.c: what cfgrun says when the kernel refuses MPTCP
 * (runtime/mptcp.c), and the MPTCP_INFO probe on real sockets.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mptcp.h"

START_TEST(refusals_are_explained)
{
	ck_assert_str_eq(mptcp_strerror(ENOPROTOOPT),
	                 "MPTCP is disabled on this host (sysctl net.mptcp.enabled=0)");
	ck_assert_str_eq(mptcp_strerror(EPROTONOSUPPORT),
	                 "this kernel has no MPTCP support");
	ck_assert_str_eq(mptcp_strerror(EINVAL), "this kernel has no MPTCP support");
	ck_assert_str_eq(mptcp_strerror(EMFILE), strerror(EMFILE));
}
END_TEST

/* A connected pair over loopback with `proto` on both ends; the accepted
 * end in *srv. Returns the client end, or -1 when `proto` is refused. */
static int mp_pair(int proto, int *srv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l, c;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, proto);
	if (l < 0)
		return -1;
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
	c = socket(AF_INET, SOCK_STREAM, proto);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	*srv = accept(l, NULL, NULL);
	ck_assert_int_ge(*srv, 0);
	close(l);
	return c;
}

START_TEST(info_answers_only_on_mptcp)
{
	int s, c = mp_pair(0, &s);

	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(mptcp_is_active(c), 0);
	ck_assert_int_eq(mptcp_is_active(s), 0);
	close(c);
	close(s);
	c = mp_pair(IPPROTO_MPTCP, &s);
	if (c < 0)
		return;   /* host without MPTCP: the refusal test above covers it */
	ck_assert_int_eq(mptcp_is_active(c), 1);
	ck_assert_int_eq(mptcp_is_active(s), 1);
	close(c);
	close(s);
}
END_TEST

/* The log's and the counters' mark: '-' not asked, '0' fell back or no
 * socket, '1' real MPTCP. */
START_TEST(marks_say_what_a_side_is)
{
	int s, c = mp_pair(0, &s);

	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(mptcp_mark(0, c), '-');
	ck_assert_int_eq(mptcp_mark(1, c), '0');
	ck_assert_int_eq(mptcp_mark(1, -1), '0');
	close(c);
	close(s);
	c = mp_pair(IPPROTO_MPTCP, &s);
	if (c < 0)
		return;
	ck_assert_int_eq(mptcp_mark(1, c), '1');
	ck_assert_int_eq(mptcp_mark(0, c), '-');
	close(c);
	close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mptcp");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, refusals_are_explained);
	tcase_add_test(tc, info_answers_only_on_mptcp);
	tcase_add_test(tc, marks_say_what_a_side_is);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
