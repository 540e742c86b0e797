/*
 * test_balance.c: the balancing algorithms (runtime/balance.c), server
 * states and their effect on the pool (runtime/server.c), the HTTP status
 * line parser of checks (runtime/check.c), and the object pool.
 *
 * Each test lays out a small plan view in memory (one backend, a few
 * servers) with the runtime state cfgrun would have, then drives the real
 * functions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "dynsrv.h"
#include "hash.h"
#include "healthcheck.h"
#include "plan.h"
#include "pool.h"
#include "server.h"

#define FX_MAX 8                      /* servers of a fixture */

/* One backend "be" with servers s0..s(n-1) and their running state. */
struct fx {
	struct plan plan;
	struct plan_global glb;     /* no log targets: state lines on stderr */
	struct plan_proxy px;
	struct plan_server sv[FX_MAX];
	char blob[128];
	char tail[DYNSRV_TAIL];     /* plan_open_tail()'s, same object */
	struct runtime rt;
	struct rt_proxy rpx;
	struct rt_server rsv[FX_MAX];
};

static struct fx fx;

/*
 * Lay out n servers with the given weights (-1: weight 1 and no address),
 * algorithm `algo`; `backups` is a bit mask of backup servers. Running
 * state as at start (server_init_all), balancing state built.
 */
static void fx_setup(const int *weights, unsigned n, uint32_t algo,
                     unsigned backups)
{
	size_t off = 1;

	ck_assert_uint_le(n, FX_MAX);
	memset(&fx, 0, sizeof(fx));
	memcpy(fx.blob + off, "be", 3);
	fx.px.name = (struct plan_str){ (uint32_t)off, 2 };
	off += 3;
	fx.px.cap = PLAN_CAP_BE;
	fx.px.balance = algo;
	fx.px.default_backend = PLAN_NONE;
	fx.px.nservers = n;
	fx.px.random_draws = 2;
	for (unsigned i = 0; i < n; i++) {
		struct plan_server *sv = &fx.sv[i];
		int len = snprintf(fx.blob + off, sizeof(fx.blob) - off, "s%u", i);

		sv->name = (struct plan_str){ (uint32_t)off, (uint32_t)len };
		off += (size_t)len + 1;
		sv->weight = weights[i] < 0 ? 1 : (uint16_t)weights[i];
		sv->check_addr = PLAN_NONE;
		sv->rise = 2;
		sv->fall = 3;
		sv->inter = 2000;
		if (backups & (1u << i))
			sv->flags |= PLAN_SRV_F_BACKUP;
		if (weights[i] >= 0) {
			uint32_t lo = htonl(INADDR_LOOPBACK);

			sv->addr.family = PLAN_FAM_INET;
			sv->addr.port = (uint16_t)(9000 + i);
			memcpy(sv->addr.ip, &lo, sizeof(lo));
		}
	}
	fx.plan.global = &fx.glb;
	fx.plan.proxies = &fx.px;
	fx.plan.nproxies = 1;
	fx.plan.servers = fx.sv;
	fx.plan.nservers = n;
	fx.plan.blob = fx.blob;
	fx.plan.blob_len = (uint32_t)off;
	fx.rt.plan = &fx.plan;
	fx.rt.proxies = &fx.rpx;
	fx.rt.servers = fx.rsv;
}

/* Build the running state (after any tweak of the plan records). */
static void fx_start(void)
{
	server_init_all(&fx.rt);
	ck_assert_int_eq(balance_init(&fx.rt, 42), 0);
}

static void fx_teardown(void)
{
	balance_free(&fx.rt);
}

/* `n` picks as a string of server digits, '-' for PLAN_NONE; with
 * `hold`, each pick keeps a connection open on its server. */
static void fx_run(unsigned n, int hold, char *out)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t s = balance_pick(&fx.rt, 0);

		out[i] = s == PLAN_NONE ? '-' : (char)('0' + s);
		if (hold && s != PLAN_NONE)
			fx.rsv[s].cur_conn++;
	}
	out[n] = '\0';
}

static unsigned count_char(const char *s, char c)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* The server client 10.x.y.z (from `k`) is sent to by `source`. */
static uint32_t fx_pick_ip(uint32_t k)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(0x0a000000u + k * 7919u);
	in.sin_port = htons((uint16_t)(1024 + k));
	return balance_pick_for(&fx.rt, 0, (struct sockaddr *)&in, sizeof(in));
}

/* Mark server i DOWN or UP as a check would, and rebuild the pool. */
static void fx_set_op(uint32_t i, enum rt_srv_op op)
{
	fx.rsv[i].op = (uint8_t)op;
	ck_assert_int_eq(balance_update(&fx.rt, 0), 0);
}

/* ---- roundrobin --------------------------------------------------------- */

START_TEST(rr_equal_weights_take_turns)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	fx_run(9, 0, seq);
	ck_assert_str_eq(seq, "012012012");
	fx_teardown();
}
END_TEST

START_TEST(rr_weights_are_proportional_and_interleaved)
{
	static const int w[] = { 5, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	fx_run(7, 0, seq);
	/* nginx's classic example: a a b a c a a */
	ck_assert_str_eq(seq, "0010200");
	fx_run(7, 0, seq);
	ck_assert_str_eq(seq, "0010200");
	fx_teardown();
}
END_TEST

START_TEST(rr_weight_zero_and_no_address_are_skipped)
{
	static const int w[] = { 0, 2, -1, 1 };
	char seq[16];

	fx_setup(w, 4, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	fx_run(6, 0, seq);
	ck_assert_str_eq(seq, "131131");
	ck_assert_uint_eq(balance_usable(&fx.rt, 0), 2);
	fx_teardown();
}
END_TEST

START_TEST(rr_no_usable_server_gives_none)
{
	static const int w[] = { 0, 0 };

	fx_setup(w, 2, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), PLAN_NONE);
	ck_assert_uint_eq(balance_usable(&fx.rt, 0), 0);
	fx_teardown();
}
END_TEST

START_TEST(rr_skips_full_servers)
{
	static const int w[] = { 1, 1 };
	char seq[16];

	fx_setup(w, 2, PLAN_BALANCE_ROUNDROBIN, 0);
	fx.sv[0].maxconn = 1;
	fx_start();
	fx_run(4, 1, seq);
	ck_assert_str_eq(seq, "0111");
	fx_teardown();
}
END_TEST

START_TEST(rr_weight_changes_at_run_time)
{
	static const int w[] = { 1, 1 };
	char seq[32], err[200];

	fx_setup(w, 2, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	ck_assert_int_eq(balance_set_weight(&fx.rt, 1, 0, err, sizeof(err)), 0);
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "0000");
	ck_assert_int_eq(balance_set_weight(&fx.rt, 1, 3, err, sizeof(err)), 0);
	fx_run(8, 0, seq);
	ck_assert_uint_eq(count_char(seq, '1'), 6);
	ck_assert_uint_eq(count_char(seq, '0'), 2);
	ck_assert_int_eq(balance_set_weight(&fx.rt, 1, 257, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "257"));
	fx_teardown();
}
END_TEST

/* ---- static-rr ---------------------------------------------------------- */

START_TEST(static_rr_turns_and_weights)
{
	static const int w[] = { 1, 1, 1 };
	static const int w2[] = { 2, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_STATIC_RR, 0);
	fx_start();
	fx_run(7, 0, seq);
	ck_assert_str_eq(seq, "0120120");
	fx_teardown();

	fx_setup(w2, 2, PLAN_BALANCE_STATIC_RR, 0);
	fx_start();
	fx_run(6, 0, seq);
	ck_assert_str_eq(seq, "010010");
	fx_teardown();
}
END_TEST

START_TEST(static_rr_weights_only_zero_or_configured)
{
	static const int w[] = { 2, 1 };
	char seq[16], err[200];

	fx_setup(w, 2, PLAN_BALANCE_STATIC_RR, 0);
	fx_start();
	ck_assert_int_eq(balance_is_static(&fx.rt, 0), 1);
	ck_assert_int_eq(balance_set_weight(&fx.rt, 0, 5, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "static"));
	ck_assert_int_eq(balance_set_weight(&fx.rt, 0, 0, err, sizeof(err)), 0);
	fx_run(3, 0, seq);
	ck_assert_str_eq(seq, "111");
	ck_assert_int_eq(balance_set_weight(&fx.rt, 0, 2, err, sizeof(err)), 0);
	fx_run(6, 0, seq);
	ck_assert_str_eq(seq, "010010");
	fx_teardown();
}
END_TEST

/* ---- leastconn ---------------------------------------------------------- */

START_TEST(leastconn_picks_the_least_loaded)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_LEASTCONN, 0);
	fx_start();
	fx.rsv[0].cur_conn = 3;
	fx.rsv[1].cur_conn = 1;
	fx.rsv[2].cur_conn = 2;
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), 1);
	/* Holding each pick: 1 (now 2), then 1 and 2 tie at 2 ... */
	fx.rsv[0].cur_conn = fx.rsv[1].cur_conn = fx.rsv[2].cur_conn = 0;
	fx_run(6, 1, seq);
	ck_assert_str_eq(seq, "201201");
	ck_assert_uint_eq(fx.rsv[0].cur_conn, 2);
	ck_assert_uint_eq(fx.rsv[1].cur_conn, 2);
	ck_assert_uint_eq(fx.rsv[2].cur_conn, 2);
	fx_teardown();
}
END_TEST

START_TEST(leastconn_ties_go_round_robin)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_LEASTCONN, 0);
	fx_start();
	/* Connections that end at once: every pick is a tie. */
	fx_run(6, 0, seq);
	ck_assert_str_eq(seq, "012012");
	fx_teardown();
}
END_TEST

START_TEST(leastconn_counts_per_weight)
{
	static const int w[] = { 2, 1 };
	char seq[16];

	fx_setup(w, 2, PLAN_BALANCE_LEASTCONN, 0);
	fx_start();
	fx_run(9, 1, seq);
	ck_assert_uint_eq(fx.rsv[0].cur_conn, 6);
	ck_assert_uint_eq(fx.rsv[1].cur_conn, 3);
	fx.rsv[0].cur_conn = 3;     /* three of s0's connections end */
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), 0);
	fx_teardown();
}
END_TEST

/* ---- first -------------------------------------------------------------- */

START_TEST(first_fills_servers_in_order)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_FIRST, 0);
	for (int i = 0; i < 3; i++)
		fx.sv[i].maxconn = 2;
	fx_start();
	fx_run(7, 1, seq);
	ck_assert_str_eq(seq, "001122-");
	fx.rsv[0].cur_conn--;       /* a slot frees up on s0 */
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), 0);
	fx_teardown();
}
END_TEST

START_TEST(first_without_maxconn_always_first)
{
	static const int w[] = { 1, 1 };
	char seq[16];

	fx_setup(w, 2, PLAN_BALANCE_FIRST, 0);
	fx_start();
	fx_run(5, 1, seq);
	ck_assert_str_eq(seq, "00000");
	fx_set_op(0, RT_SRV_DOWN);
	fx_run(2, 1, seq);
	ck_assert_str_eq(seq, "11");
	fx_teardown();
}
END_TEST

/* ---- hashing on a key (uri, url_param, hdr) ------------------------------ */

START_TEST(hash_functions_known_values)
{
	ck_assert_uint_eq(hash_crc32("123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(hash_djb2("", 0), 5381u);
	ck_assert_uint_eq(hash_djb2("a", 1), 5381u * 33 + 'a');
	ck_assert_uint_eq(hash_sdbm("a", 1), 'a');
	ck_assert_uint_eq(hash_sdbm("ab", 2), 'b' + ('a' << 6) + ('a' << 16) - 'a');
	ck_assert_uint_eq(hash_avalanche(0), 0xab4ed927u);
	/* none: the key as a number, negative ones wrapped */
	ck_assert_uint_eq(hash_key(PLAN_HASH_FN_NONE, 0, "1234x9", 6), 1234u);
	ck_assert_uint_eq(hash_key(PLAN_HASH_FN_NONE, 0, "-1", 2), 0xffffffffu);
	ck_assert_uint_eq(hash_key(PLAN_HASH_FN_CRC32, 1, "123456789", 9),
	                  hash_avalanche(0xcbf43926u));
}
END_TEST

/* HAProxy's map: weights 2 and 1 give s0 s0 s1 (its order, not an
 * interleaved one), and 4 and 2 the same map (divided by their gcd). */
START_TEST(hash_map_is_haproxys)
{
	static const int w[2][2] = { { 2, 1 }, { 4, 2 } };

	for (int k = 0; k < 2; k++) {
		char seq[8];

		fx_setup(w[k], 2, PLAN_BALANCE_URI, 0);
		fx_start();
		for (uint32_t h = 0; h < 6; h++) {
			uint32_t s = balance_pick_key(&fx.rt, 0, NULL, 0, &h);

			seq[h] = (char)('0' + s);
		}
		seq[6] = '\0';
		ck_assert_str_eq(seq, "001001");
		/* without a key: round robin */
		fx_run(3, 0, seq);
		ck_assert_str_eq(seq, "010");
		fx_teardown();
	}
}
END_TEST

/* Consistent hashing on a key: a server that goes down only loses its
 * own keys. */
START_TEST(hash_consistent_key_moves_only_the_lost_servers)
{
	static const int w[] = { 1, 1, 1, 1 };
	static uint32_t before[1000];

	fx_setup(w, 4, PLAN_BALANCE_HDR, 0);
	fx.px.hash_type = PLAN_HASH_CONSISTENT;
	fx.px.flags |= PLAN_PX_F_HASH_AVALANCHE;   /* cfgc's default */
	fx_start();
	for (uint32_t k = 0; k < 1000; k++) {
		uint32_t h = hash_avalanche(k);

		before[k] = balance_pick_key(&fx.rt, 0, NULL, 0, &h);
	}
	fx_set_op(1, RT_SRV_DOWN);
	for (uint32_t k = 0; k < 1000; k++) {
		uint32_t h = hash_avalanche(k);
		uint32_t s = balance_pick_key(&fx.rt, 0, NULL, 0, &h);

		ck_assert_uint_ne(s, 1);
		if (before[k] != 1)
			ck_assert_uint_eq(s, before[k]);
	}
	fx_teardown();
}
END_TEST

/* ---- source ------------------------------------------------------------- */

START_TEST(source_map_based_is_stable_and_spread)
{
	static const int w[] = { 1, 1, 1 };
	unsigned per[3] = { 0, 0, 0 };

	fx_setup(w, 3, PLAN_BALANCE_SOURCE, 0);
	fx.px.hash_type = PLAN_HASH_MAP_BASED;
	fx_start();
	for (uint32_t k = 0; k < 3000; k++) {
		uint32_t s = fx_pick_ip(k);

		ck_assert_uint_lt(s, 3);
		ck_assert_uint_eq(fx_pick_ip(k), s);   /* same client, same server */
		per[s]++;
	}
	for (int i = 0; i < 3; i++)
		ck_assert_msg(per[i] > 800 && per[i] < 1200,
		              "server %d got %u of 3000 clients", i, per[i]);
	/* Without an IP address, source falls back to round robin. */
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), 0);
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), 1);
	fx_teardown();
}
END_TEST

START_TEST(source_consistent_moves_only_the_lost_servers_clients)
{
	static const int w[] = { 1, 1, 1, 1, 1 };
	static uint32_t before[2000];
	unsigned moved = 0, on2 = 0, per[5] = { 0 };

	fx_setup(w, 5, PLAN_BALANCE_SOURCE, 0);
	fx.px.hash_type = PLAN_HASH_CONSISTENT;
	fx.px.flags |= PLAN_PX_F_HASH_AVALANCHE;   /* cfgc's default */
	fx_start();
	for (uint32_t k = 0; k < 2000; k++) {
		before[k] = fx_pick_ip(k);
		per[before[k]]++;
	}
	for (int i = 0; i < 5; i++)
		ck_assert_msg(per[i] > 150 && per[i] < 700,
		              "server %d got %u of 2000 clients", i, per[i]);
	fx_set_op(2, RT_SRV_DOWN);
	for (uint32_t k = 0; k < 2000; k++) {
		uint32_t s = fx_pick_ip(k);

		ck_assert_uint_ne(s, 2);
		if (before[k] == 2)
			on2++;
		else if (s != before[k])
			moved++;
	}
	ck_assert_uint_eq(moved, 0);    /* nobody else's client moved */
	ck_assert_uint_gt(on2, 0);
	fx_set_op(2, RT_SRV_UP);
	for (uint32_t k = 0; k < 2000; k++)
		ck_assert_uint_eq(fx_pick_ip(k), before[k]);
	fx_teardown();
}
END_TEST

START_TEST(source_consistent_follows_weights)
{
	static const int w[] = { 3, 1 };
	unsigned per[2] = { 0, 0 };

	fx_setup(w, 2, PLAN_BALANCE_SOURCE, 0);
	fx.px.hash_type = PLAN_HASH_CONSISTENT;
	fx.px.flags |= PLAN_PX_F_HASH_AVALANCHE;   /* cfgc's default */
	fx_start();
	for (uint32_t k = 0; k < 4000; k++)
		per[fx_pick_ip(k)]++;
	ck_assert_msg(per[0] > 2500 && per[0] < 3500,
	              "weight 3 of 4 got %u of 4000 clients", per[0]);
	fx_teardown();
}
END_TEST

/* ---- random ------------------------------------------------------------- */

START_TEST(random_single_draw_follows_weights)
{
	static const int w[] = { 3, 1 };
	unsigned per[2] = { 0, 0 };

	fx_setup(w, 2, PLAN_BALANCE_RANDOM, 0);
	fx.px.random_draws = 1;
	fx_start();
	for (int k = 0; k < 4000; k++)
		per[balance_pick(&fx.rt, 0)]++;
	ck_assert_msg(per[0] > 2800 && per[0] < 3200,
	              "weight 3 of 4 got %u of 4000 picks", per[0]);
	fx_teardown();
}
END_TEST

START_TEST(random_draws_avoid_the_loaded_server)
{
	static const int w[] = { 1, 1, 1, 1 };
	unsigned per[4] = { 0 };

	fx_setup(w, 4, PLAN_BALANCE_RANDOM, 0);
	fx.px.random_draws = 2;
	fx_start();
	fx.rsv[0].cur_conn = 100;
	/* s0 wins only when both draws hit it: about 1 in 16. */
	for (int k = 0; k < 4000; k++)
		per[balance_pick(&fx.rt, 0)]++;
	ck_assert_msg(per[0] > 100 && per[0] < 420,
	              "loaded server got %u of 4000 picks", per[0]);
	for (int i = 1; i < 4; i++)
		ck_assert_uint_gt(per[i], 1000);
	fx_teardown();
}
END_TEST

START_TEST(random_full_servers_are_skipped)
{
	static const int w[] = { 1, 1 };

	fx_setup(w, 2, PLAN_BALANCE_RANDOM, 0);
	fx.sv[0].maxconn = 1;
	fx_start();
	fx.rsv[0].cur_conn = 1;
	for (int k = 0; k < 50; k++)
		ck_assert_uint_eq(balance_pick(&fx.rt, 0), 1);
	/* the running limit, as `set maxconn server` sets it */
	fx.rsv[1].maxconn = 1;
	fx.rsv[1].cur_conn = 1;
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), PLAN_NONE);
	fx_teardown();
}
END_TEST

/* ---- backups and states ------------------------------------------------- */

START_TEST(backup_only_when_no_active_is_usable)
{
	static const int w[] = { 1, 1, 1, 1 };
	char seq[16];

	fx_setup(w, 4, PLAN_BALANCE_ROUNDROBIN, 0xc); /* s2, s3 backups */
	fx_start();
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "0101");
	fx_set_op(0, RT_SRV_DOWN);
	fx_run(3, 0, seq);
	ck_assert_str_eq(seq, "111");
	fx_set_op(1, RT_SRV_DOWN);
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "2222");         /* only the first backup */
	fx_set_op(2, RT_SRV_DOWN);
	fx_run(2, 0, seq);
	ck_assert_str_eq(seq, "33");           /* the next one steps in */
	fx_set_op(3, RT_SRV_DOWN);
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), PLAN_NONE);
	fx_set_op(1, RT_SRV_UP);
	fx_run(2, 0, seq);
	ck_assert_str_eq(seq, "11");
	fx_teardown();
}
END_TEST

START_TEST(allbackups_uses_every_backup)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16];

	fx_setup(w, 3, PLAN_BALANCE_ROUNDROBIN, 0x6);
	fx.px.flags = PLAN_PX_F_ALLBACKUPS;
	fx_start();
	fx_run(2, 0, seq);
	ck_assert_str_eq(seq, "00");
	fx_set_op(0, RT_SRV_DOWN);
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "1212");
	fx_teardown();
}
END_TEST

START_TEST(admin_states_take_servers_out)
{
	static const int w[] = { 1, 1, 1 };
	char seq[16], st[32];

	fx_setup(w, 3, PLAN_BALANCE_ROUNDROBIN, 0);
	fx.sv[2].flags |= PLAN_SRV_F_DISABLED;
	fx_start();
	ck_assert_str_eq(server_status(&fx.rt, 2, st, sizeof(st)), "MAINT");
	ck_assert_str_eq(server_status(&fx.rt, 0, st, sizeof(st)), "no check");
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "0101");
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 0, RT_ADMIN_DRAIN), 0);
	ck_assert_str_eq(server_status(&fx.rt, 0, st, sizeof(st)), "DRAIN");
	fx_run(2, 0, seq);
	ck_assert_str_eq(seq, "11");
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 1, RT_ADMIN_MAINT), 0);
	ck_assert_uint_eq(balance_pick(&fx.rt, 0), PLAN_NONE);
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 2, RT_ADMIN_READY), 0);
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 0, RT_ADMIN_READY), 0);
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "0202");
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 0, (enum rt_srv_admin)7), -1);
	fx_teardown();
}
END_TEST

START_TEST(servers_are_found_by_name)
{
	static const int w[] = { 1, 1 };

	fx_setup(w, 2, PLAN_BALANCE_ROUNDROBIN, 0);
	fx_start();
	ck_assert_uint_eq(server_find(&fx.rt, "be", "s1"), 1);
	ck_assert_uint_eq(server_find(&fx.rt, "be", "s9"), PLAN_NONE);
	ck_assert_uint_eq(server_find(&fx.rt, "nope", "s0"), PLAN_NONE);
	ck_assert_str_eq(server_check_status(&fx.rt, 0, NULL, NULL, NULL), "");
	ck_assert_str_eq(server_check_reason(RT_CHK_L4CON),
	                 "Layer4 connection problem");
	fx_teardown();
}
END_TEST

/* ---- servers added at run time ------------------------------------------- */

/* The servers be_srv_first()/next() visit, as digits. */
static void fx_walk(char *out)
{
	size_t n = 0;

	for (uint32_t s = be_srv_first(&fx.rt, 0); s != PLAN_NONE;
	     s = be_srv_next(&fx.rt, 0, s))
		out[n++] = (char)('0' + s);
	out[n] = '\0';
}

START_TEST(added_servers_are_walked_balanced_and_deleted)
{
	static const int w[] = { 1, 1 };
	struct plan_server rec;
	char seq[16], msg[256];
	struct rt_server *all;
	uint32_t s;

	fx_setup(w, 2, PLAN_BALANCE_ROUNDROBIN, 0);
	fx.plan.tail = (uint8_t *)fx.tail;
	fx.plan.tail_len = sizeof(fx.tail);
	ck_assert_int_eq(dynsrv_gen_init(&fx.rt), 0);
	ck_assert_uint_eq(dynsrv_nrecords(&fx.plan), 2 + DYNSRV_MAX);
	all = calloc(dynsrv_nrecords(&fx.plan), sizeof(*all));
	ck_assert_ptr_nonnull(all);
	fx.rt.servers = all;
	fx_start();
	rec = fx.plan.servers[1];
	rec.addr.port = 9002;
	s = dynsrv_insert(&fx.rt, 0, "d0", &rec, msg, sizeof(msg));
	ck_assert_uint_eq(s, 2);
	ck_assert_str_eq(msg, "New server registered.\n\n");
	ck_assert_str_eq(plan_str_get(&fx.plan, fx.plan.servers[2].name), "d0");
	ck_assert_uint_eq(server_find(&fx.rt, "be", "d0"), 2);
	ck_assert_uint_eq(server_sid(&fx.rt, 2), 3);
	fx_walk(seq);
	ck_assert_str_eq(seq, "012");
	fx_run(4, 0, seq);
	ck_assert_str_eq(seq, "0101");       /* in maintenance */
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 2, RT_ADMIN_READY), 0);
	fx_run(6, 0, seq);
	ck_assert_uint_eq(count_char(seq, '2'), 2);
	ck_assert_uint_eq(dynsrv_insert(&fx.rt, 0, "s1", &rec, msg, sizeof(msg)),
	                  PLAN_NONE);
	ck_assert_str_eq(msg, "Already exists a server with the same name in backend.\n\n");
	ck_assert_int_eq(dynsrv_remove(&fx.rt, 2, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "Only servers in maintenance mode can be deleted.\n");
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 2, RT_ADMIN_MAINT), 0);
	fx.rt.servers[2].cur_conn = 1;
	ck_assert_int_eq(dynsrv_remove(&fx.rt, 2, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "Server still has connections attached to it, cannot remove it.\n");
	fx.rt.servers[2].cur_conn = 0;
	ck_assert_int_eq(dynsrv_remove(&fx.rt, 2, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "Server deleted.\n");
	ck_assert_uint_eq(server_find(&fx.rt, "be", "d0"), PLAN_NONE);
	/* a new one takes the next record: the deleted one is never reused */
	ck_assert_uint_eq(dynsrv_insert(&fx.rt, 0, "d0", &rec, msg, sizeof(msg)), 3);
	ck_assert_uint_eq(server_sid(&fx.rt, 3), 4);
	ck_assert_int_eq(server_set_admin_state(&fx.rt, 0, RT_ADMIN_MAINT), 0);
	ck_assert_int_eq(dynsrv_remove(&fx.rt, 0, msg, sizeof(msg)), 0);
	fx_walk(seq);
	ck_assert_str_eq(seq, "13");         /* a configured one deleted too */
	ck_assert_uint_eq(srv_walk(&fx.rt, PLAN_NONE, PLAN_NONE), 1);
	ck_assert_uint_eq(srv_walk(&fx.rt, 1, PLAN_NONE), 3);
	ck_assert_uint_eq(srv_walk(&fx.rt, 3, PLAN_NONE), PLAN_NONE);
	for (uint32_t i = 2; i < DYNSRV_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%u", i);
		ck_assert_uint_ne(dynsrv_insert(&fx.rt, 0, name, &rec, msg,
		                                 sizeof(msg)), PLAN_NONE);
	}
	ck_assert_uint_eq(dynsrv_insert(&fx.rt, 0, "g", &rec, msg, sizeof(msg)),
	                  PLAN_NONE);
	ck_assert_ptr_nonnull(strstr(msg, "at most 1024 servers"));
	fx_teardown();
	dynsrv_gen_free(&fx.rt);
	free(all);
}
END_TEST

/* ---- HTTP check status lines -------------------------------------------- */

START_TEST(http_status_lines)
{
	char reason[32];
	int code = 0;

	ck_assert_int_eq(check_http_status("HTTP/1.1 200 OK\r\nX: y\r\n", 23,
	                                   &code, reason, sizeof(reason)), 1);
	ck_assert_int_eq(code, 200);
	ck_assert_str_eq(reason, "OK");
	ck_assert_int_eq(check_http_status("HTTP/1.0 503 Service Unavailable\n",
	                                   33, &code, reason, sizeof(reason)), 1);
	ck_assert_int_eq(code, 503);
	ck_assert_str_eq(reason, "Service Unavailable");
	ck_assert_int_eq(check_http_status("HTTP/1.1 204\r\n", 14, &code,
	                                   reason, sizeof(reason)), 1);
	ck_assert_int_eq(code, 204);
	ck_assert_str_eq(reason, "");
	ck_assert_int_eq(check_http_status("HTTP/1.1 20", 11, &code, reason,
	                                   sizeof(reason)), 0);
	ck_assert_int_eq(check_http_status("SSH-2.0-x\r\n", 11, &code, reason,
	                                   sizeof(reason)), -1);
	ck_assert_int_eq(check_http_status("HTTP/1.1 2x0 OK\r\n", 17, &code,
	                                   reason, sizeof(reason)), -1);
	ck_assert_int_eq(check_http_status("HTTP/1.1 200OK\r\n", 16, &code,
	                                   reason, sizeof(reason)), -1);
	/* A long reason is cut, never overflowed. */
	ck_assert_int_eq(check_http_status("HTTP/1.1 500 a very long reason phrase indeed\r\n",
	                                   47, &code, reason, 8), 1);
	ck_assert_str_eq(reason, "a very ");
}
END_TEST

/* ---- pool --------------------------------------------------------------- */

START_TEST(pool_reuses_and_bounds_its_free_list)
{
	struct pool p;
	void *a, *b, *c;

	pool_init(&p, 64, 1);
	a = pool_get(&p);
	b = pool_get(&p);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(p.used, 2);
	pool_put(&p, a);
	pool_put(&p, b);           /* beyond max_free: freed */
	ck_assert_uint_eq(p.nfree, 1);
	ck_assert_uint_eq(p.used, 0);
	c = pool_get(&p);
	ck_assert_ptr_eq(c, a);    /* the kept object comes back */
	pool_put(&p, c);
	pool_put(&p, NULL);
	pool_drain(&p);
	ck_assert_uint_eq(p.nfree, 0);
	ck_assert_ptr_null(p.free);
}
END_TEST

static Suite *balance_suite(void)
{
	Suite *s = suite_create("balance");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rr_equal_weights_take_turns);
	tcase_add_test(tc, rr_weights_are_proportional_and_interleaved);
	tcase_add_test(tc, rr_weight_zero_and_no_address_are_skipped);
	tcase_add_test(tc, rr_no_usable_server_gives_none);
	tcase_add_test(tc, rr_skips_full_servers);
	tcase_add_test(tc, rr_weight_changes_at_run_time);
	tcase_add_test(tc, static_rr_turns_and_weights);
	tcase_add_test(tc, static_rr_weights_only_zero_or_configured);
	tcase_add_test(tc, leastconn_picks_the_least_loaded);
	tcase_add_test(tc, leastconn_ties_go_round_robin);
	tcase_add_test(tc, leastconn_counts_per_weight);
	tcase_add_test(tc, first_fills_servers_in_order);
	tcase_add_test(tc, first_without_maxconn_always_first);
	tcase_add_test(tc, source_map_based_is_stable_and_spread);
	tcase_add_test(tc, source_consistent_moves_only_the_lost_servers_clients);
	tcase_add_test(tc, source_consistent_follows_weights);
	tcase_add_test(tc, random_single_draw_follows_weights);
	tcase_add_test(tc, random_draws_avoid_the_loaded_server);
	tcase_add_test(tc, random_full_servers_are_skipped);
	tcase_add_test(tc, backup_only_when_no_active_is_usable);
	tcase_add_test(tc, allbackups_uses_every_backup);
	tcase_add_test(tc, admin_states_take_servers_out);
	tcase_add_test(tc, servers_are_found_by_name);
	tcase_add_test(tc, added_servers_are_walked_balanced_and_deleted);
	tcase_add_test(tc, http_status_lines);
	tcase_add_test(tc, pool_reuses_and_bounds_its_free_list);
	tcase_add_test(tc, hash_functions_known_values);
	tcase_add_test(tc, hash_map_is_haproxys);
	tcase_add_test(tc, hash_consistent_key_moves_only_the_lost_servers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(balance_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
