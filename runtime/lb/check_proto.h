/*
 * check_proto.h: the answers of the protocol health checks (option
 * mysql-check, pgsql-check, redis-check, smtpchk, ldap-check), judged as
 * HAProxy judges them.
 *
 * cfgc compiles each of these options into a tcp-check rule list whose
 * expect rules are of kind PLAN_CHK_EXPECT_PROTO with the protocol step in
 * `arg` (enum plan_check_proto); healthcheck.c hands the bytes received to
 * check_proto_judge(). A pure function over bytes: no I/O, no allocation.
 */
#ifndef HAPC_CHECK_PROTO_H
#define HAPC_CHECK_PROTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Judge step `kind` (enum plan_check_proto) on the answer rx[0..len); `last`
 * is 1 when no more bytes will come (the server closed, or the buffer is
 * full). Returns 1 when it passed, 0 when more bytes are needed, -1 when
 * it failed. On 1 and -1, *status is the enum rt_chk_status to report
 * (L7OK, L7RSP or L7STS), *code the protocol's code (0 = none) and info a
 * printable detail, NUL-terminated within infolen bytes.
 */
int check_proto_judge(uint32_t kind, const unsigned char *rx, uint32_t len,
                      int last, int *status, int *code, char *info,
                      size_t infolen);

#endif /* HAPC_CHECK_PROTO_H */
